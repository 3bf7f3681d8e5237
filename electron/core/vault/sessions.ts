// Who is signed in, and what each kind of session holds in memory (and nothing more).
import type { SessionInfo } from '../../../shared/api';
import type { AuditSecrets } from '../audit/audit-format';

/** The therapist's session: the master key, and through it everything. */
export interface UnlockedSession {
  info: SessionInfo;
  masterKey: Uint8Array;
  auditSecrets: AuditSecrets;
  /** Monotonic (VaultClock.mark), so the wall clock cannot stop the idle lock. */
  lastActivityMark: number;
}

/** A client in review mode: their own client key, and nothing else. */
export interface ReviewSession {
  kind: 'client';
  info: SessionInfo;
  clientId: string;
  clientKey: Uint8Array;
  /** Shown to the client; the review ends after `maxMs` of monotonic time from `startMark`. */
  endsAt: number;
  /** Monotonic instant the review started at (VaultClock.mark). */
  startMark: number;
  /** The review's maximum length (the therapist sets it), whatever the wall clock does. */
  maxMs: number;
  acknowledged: boolean;
  lastActivityMark: number;
}

/** An auditor: the audit secrets (read and sign the log), and nothing else. */
export interface AuditorSession {
  kind: 'auditor';
  info: SessionInfo;
  auditorId: string;
  auditSecrets: AuditSecrets;
  lastActivityMark: number;
}

export type OtherSession = ReviewSession | AuditorSession;
