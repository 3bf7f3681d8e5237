// Failed tries per subject (the therapist, a client's review, the auditors), kept in the vault so
// a restart does not reset them.
import type { Database } from 'better-sqlite3';

export class UnlockThrottleStore {
  constructor(private readonly db: Database) {}

  get(subject: string): { failures: number; lastFailureAt: number } | null {
    const row = this.db
      .prepare('SELECT failures, last_failure_at FROM unlock_throttle WHERE subject = ?')
      .get(subject) as { failures: number; last_failure_at: number } | undefined;
    return row ? { failures: row.failures, lastFailureAt: row.last_failure_at } : null;
  }

  recordFailure(subject: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO unlock_throttle (subject, failures, last_failure_at) VALUES (?, 1, ?)
         ON CONFLICT (subject) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at`,
      )
      .run(subject, at);
  }

  clear(subject: string): void {
    this.db.prepare('DELETE FROM unlock_throttle WHERE subject = ?').run(subject);
  }
}
