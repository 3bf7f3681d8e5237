// The core's one clock: the trusted time of trusted-clock.ts, re-seeded whenever a vault is
// opened (its newest signed time, the anchor's newestTime once part 2 lands), and the unlock
// delays that a clock change must never stretch. Everything that decides retention, idle time,
// review limits and lockouts asks it, never Date.now.
import {
  TrustedClock,
  remainingDelayMs,
  type ClockNotice,
  type ClockSources,
  type ClockStatus,
  type TrustedClockOptions,
} from './trusted-clock';

export type { ClockNotice, ClockSources, ClockStatus };

export type VaultClockOptions = Omit<TrustedClockOptions, 'newestSeen'>;

export class VaultClock {
  private trusted: TrustedClock;
  private pendingNotices: ClockNotice[] = [];
  private seededWith: number | null = null;
  /** Where each subject's delay started in this run's monotonic time, and what was left then. */
  private readonly delays = new Map<
    string,
    { failedAt: number; delayMs: number; mono: number; left: number }
  >();

  constructor(
    readonly sources: ClockSources,
    private readonly options: VaultClockOptions = {},
  ) {
    this.trusted = new TrustedClock(sources, { ...options, newestSeen: null });
  }

  /**
   * A vault was opened: trusted time starts from the newest time it has seen, so a clock set back
   * between runs is caught at start, and a clock leapt forward since then holds destruction.
   * Notices not yet taken are kept (the vault logs them once it can).
   */
  seed(newestSeen: number | null): void {
    this.pendingNotices.push(...this.trusted.takeNotices());
    this.trusted = new TrustedClock(this.sources, { ...this.options, newestSeen });
    this.seededWith = newestSeen;
    this.delays.clear();
  }

  /**
   * A later newest time came to light after the vault was opened (the rollback anchor, read from
   * the keychain): time starts from it instead. What the first seed noticed is judged again
   * against the later time, so it is dropped rather than logged twice.
   */
  seedLater(newestSeen: number): void {
    if (this.seededWith !== null && newestSeen <= this.seededWith) return;
    this.trusted.takeNotices();
    this.trusted = new TrustedClock(this.sources, { ...this.options, newestSeen });
    this.seededWith = newestSeen;
  }

  /** Retention time: never goes back, never behind the system clock. */
  now(): number {
    return this.trusted.now();
  }

  /** Up to when destruction may go: behind now() while a forward leap waits for the therapist. */
  destructionTime(): number {
    return this.trusted.destructionTime();
  }

  /** The therapist says today's date is right (the caller logs it). */
  confirmDate(): void {
    this.trusted.confirmDate();
  }

  /** A monotonic instant, for idle locks and review limits. */
  mark(): number {
    return this.trusted.mark();
  }

  elapsedSince(mark: number): number {
    return this.trusted.elapsedSince(mark);
  }

  /** Clock changes seen since the last call, each once. */
  takeNotices(): ClockNotice[] {
    const taken = [...this.pendingNotices, ...this.trusted.takeNotices()];
    this.pendingNotices = [];
    return taken;
  }

  /** Puts back notices the caller could not log, to be taken again. */
  keepNotices(notices: ClockNotice[]): void {
    this.pendingNotices.unshift(...notices);
  }

  status(): ClockStatus {
    return this.trusted.status();
  }

  /**
   * What is left of `subject`'s earned delay after a failure at `failedAt` (trusted time). The
   * first time this run sees a failure, the stored time says how much is left, never more than
   * `delayMs`; from then on only monotonic time counts it down, whatever the wall clock does.
   */
  remainingDelayMs(subject: string, failedAt: number, delayMs: number): number {
    let start = this.delays.get(subject);
    if (!start || start.failedAt !== failedAt || start.delayMs !== delayMs) {
      start = {
        failedAt,
        delayMs,
        mono: this.mark(),
        left: remainingDelayMs(delayMs, { wall: failedAt }, { wall: this.now() }),
      };
      this.delays.set(subject, start);
    }
    return Math.max(0, start.left - this.elapsedSince(start.mono));
  }
}

/** The clocks of a core built without any: the system's wall clock and performance.now. */
export const systemClockSources: ClockSources = {
  wallNow: () => Date.now(),
  // Whole milliseconds: every time the vault stores is an INTEGER (STRICT tables), and trusted
  // time adds monotonic elapsed time to the wall clock.
  monotonicNow: () => Math.floor(performance.now()),
};
