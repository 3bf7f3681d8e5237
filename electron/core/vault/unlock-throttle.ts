// A growing delay after repeated wrong passphrases, kept in the vault so a restart does not
// reset it: two free tries, then 1 s, 2 s, 4 s ... up to 5 minutes.
import type { Database } from 'better-sqlite3';
import { remainingDelayMs } from '../platform/trusted-clock';
import type { VaultClock } from '../platform/vault-clock';
import { UnlockThrottleStore } from './unlock-throttle-store';

const FREE_TRIES = 2;
const MAX_DELAY_MS = 5 * 60 * 1000;

export function delayAfterFailures(failures: number): number {
  if (failures <= FREE_TRIES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_TRIES - 1), MAX_DELAY_MS);
}

export class UnlockThrottle {
  private readonly store: UnlockThrottleStore;

  constructor(
    db: Database,
    private readonly now: () => number,
    private readonly schedule: (failures: number) => number = delayAfterFailures,
    /** Counts delays down on monotonic time; without it, on `now`, never past the delay. */
    private readonly clock?: VaultClock,
  ) {
    this.store = new UnlockThrottleStore(db);
  }

  /** Milliseconds until `subject` may try again (0: now). */
  retryAfterMs(subject: string): number {
    const row = this.store.get(subject);
    if (!row) return 0;
    const delayMs = this.schedule(row.failures);
    if (this.clock) return this.clock.remainingDelayMs(subject, row.lastFailureAt, delayMs);
    return remainingDelayMs(delayMs, { wall: row.lastFailureAt }, { wall: this.now() });
  }

  failures(subject: string): number {
    return this.store.get(subject)?.failures ?? 0;
  }

  recordFailure(subject: string): void {
    this.store.recordFailure(subject, this.now());
  }

  clear(subject: string): void {
    this.store.clear(subject);
  }
}
