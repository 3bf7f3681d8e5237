// A growing delay after repeated wrong passphrases, kept in the vault so a restart does not
// reset it: two free tries, then 1 s, 2 s, 4 s ... up to 5 minutes.
import type { Database } from 'better-sqlite3';

const FREE_TRIES = 2;
const MAX_DELAY_MS = 5 * 60 * 1000;

export function delayAfterFailures(failures: number): number {
  if (failures <= FREE_TRIES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_TRIES - 1), MAX_DELAY_MS);
}

export class UnlockThrottle {
  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly schedule: (failures: number) => number = delayAfterFailures,
  ) {}

  private row(subject: string): { failures: number; last_failure_at: number } | undefined {
    return this.db
      .prepare('SELECT failures, last_failure_at FROM unlock_throttle WHERE subject = ?')
      .get(subject) as { failures: number; last_failure_at: number } | undefined;
  }

  /** Milliseconds until `subject` may try again (0: now). */
  retryAfterMs(subject: string): number {
    const row = this.row(subject);
    if (!row) return 0;
    return Math.max(0, row.last_failure_at + this.schedule(row.failures) - this.now());
  }

  failures(subject: string): number {
    return this.row(subject)?.failures ?? 0;
  }

  recordFailure(subject: string): void {
    this.db
      .prepare(
        `INSERT INTO unlock_throttle (subject, failures, last_failure_at) VALUES (?, 1, ?)
         ON CONFLICT (subject) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at`,
      )
      .run(subject, this.now());
  }

  clear(subject: string): void {
    this.db.prepare('DELETE FROM unlock_throttle WHERE subject = ?').run(subject);
  }
}
