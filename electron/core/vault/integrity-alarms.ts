// Tamper alarms: a row that decides access, retention or destruction and does not verify, or a
// key changed outside the app. Each is logged (integrity.alarm) and kept for the therapist's and
// the auditor's screens; none is ever a reason to play or to destroy.
import type { AuditLog } from '../audit/audit-log';

export interface IntegrityAlarm {
  /** What did not verify: a key id (`ck/<client>/mk`), `client/<id>`, `recording/<id>`. */
  subject: string;
  /** The client it belongs to, so the therapist sees a name; null for vault-wide subjects. */
  clientId: string | null;
  /** Which check failed, in words a person can read. */
  problem: string;
  at: number;
}

export class IntegrityAlarms {
  private readonly raised = new Map<string, IntegrityAlarm>();

  constructor(
    private readonly audit: AuditLog,
    private readonly now: () => number,
  ) {}

  /**
   * Logs the alarm (fails closed, like every entry) and keeps it for the screens. A check that runs
   * on every listing logs once per open; a sign-in attempt on a damaged key logs every try.
   */
  raise(alarm: Omit<IntegrityAlarm, 'at'>, options: { everyTime?: boolean } = {}): void {
    const key = `${alarm.subject}|${alarm.problem}`;
    if (this.raised.has(key) && !options.everyTime) return;
    this.audit.append({
      actorRole: 'system',
      action: 'integrity.alarm',
      subject: alarm.subject,
      outcome: 'failed',
      reason: alarm.problem,
    });
    this.raised.set(key, { ...alarm, at: this.now() });
  }

  list(): IntegrityAlarm[] {
    return [...this.raised.values()].sort((a, b) => a.at - b.at);
  }
}
