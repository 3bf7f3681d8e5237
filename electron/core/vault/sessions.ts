// Who is signed in, and what each kind of session holds in memory (and nothing more).
import type { SessionInfo } from '../../../shared/api';
import type { AuditSecrets } from '../audit/audit-format';

/** The therapist's session: the master key, and through it everything. */
export interface UnlockedSession {
  info: SessionInfo;
  masterKey: Uint8Array;
  auditSecrets: AuditSecrets;
  lastActivityAt: number;
}

/** A client in review mode: their own client key, and nothing else. */
export interface ReviewSession {
  kind: 'client';
  info: SessionInfo;
  clientId: string;
  clientKey: Uint8Array;
  /** The review ends here, whatever happens (the therapist sets the maximum). */
  endsAt: number;
  acknowledged: boolean;
  lastActivityAt: number;
}

/** An auditor: the audit secrets (read and sign the log), and nothing else. */
export interface AuditorSession {
  kind: 'auditor';
  info: SessionInfo;
  auditorId: string;
  auditSecrets: AuditSecrets;
  lastActivityAt: number;
}

export type OtherSession = ReviewSession | AuditorSession;
