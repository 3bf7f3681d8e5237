// Time a wrong clock cannot steer. Setting the laptop's clock back must not keep recordings
// past retention or stop the idle lock; jumping it forward must not destroy everything at once;
// neither may lock a person out for longer than the delay they earned. Pure: both clocks are
// passed in (Date.now-like and performance.now-like), so tests drive them.

export interface ClockSources {
  /** The system's wall clock, ms since the epoch: anyone with the laptop can set it. */
  wallNow(): number;
  /** A monotonic clock in ms (performance.now): never goes back, means nothing across runs. */
  monotonicNow(): number;
}

export interface TrustedClockOptions {
  /**
   * The newest wall time the vault has seen: its last log entry, the anchor's newestTime. Null
   * for a vault that has seen none yet: then the system clock is taken as it is.
   */
  newestSeen: number | null;
  /** A clock going back by less than this is an NTP correction, not worth a word. */
  backwardToleranceMs?: number;
  /**
   * Wall time that passes without monotonic time passing with it (a clock set forward, or a
   * laptop asleep or switched off) beyond which destruction waits for the therapist to confirm
   * the date. At start, the whole gap since `newestSeen` counts.
   */
  forwardHoldMs?: number;
}

export const DEFAULT_BACKWARD_TOLERANCE_MS = 2 * 60_000;
export const DEFAULT_FORWARD_HOLD_MS = 7 * 24 * 60 * 60_000;

export type ClockNotice =
  /** The system clock reads earlier than time the vault has already seen. */
  | { kind: 'clock-back'; systemTime: number; trustedTime: number; byMs: number }
  /** The system clock leapt ahead of the time that passed: destruction now waits for a date. */
  | { kind: 'clock-forward'; systemTime: number; expectedTime: number; byMs: number };

export interface ClockStatus {
  /** How far the system clock reads behind trusted time, or null when it does not. */
  behindByMs: number | null;
  /** Destruction waits for the therapist to confirm the date. */
  destructionHeld: boolean;
  /** The time the clock jumped to, while destruction is held. */
  heldAt: number | null;
}

export class TrustedClock {
  private readonly backwardToleranceMs: number;
  private readonly forwardHoldMs: number;
  /** Trusted time at a monotonic instant: trusted time runs on from it at monotonic speed. */
  private trusted: { time: number; mono: number };
  /** The last date known good (confirmed, or reached without a leap) at a monotonic instant. */
  private confirmed: { time: number; mono: number };
  private held: { at: number } | null = null;
  private behind = false;
  private notices: ClockNotice[] = [];

  constructor(
    private readonly sources: ClockSources,
    options: TrustedClockOptions,
  ) {
    this.backwardToleranceMs = options.backwardToleranceMs ?? DEFAULT_BACKWARD_TOLERANCE_MS;
    this.forwardHoldMs = options.forwardHoldMs ?? DEFAULT_FORWARD_HOLD_MS;
    const mono = sources.monotonicNow();
    const seen = options.newestSeen ?? sources.wallNow();
    this.trusted = { time: seen, mono };
    this.confirmed = { time: seen, mono };
    this.observe();
  }

  /**
   * Time for retention, deadlines and log entries: the later of the system clock and trusted
   * time run on by the monotonic clock. It never goes back.
   */
  now(): number {
    return this.observe();
  }

  /**
   * Time up to which destruction may proceed. Equal to now() unless the clock leapt forward:
   * then it runs on from the last good date at monotonic speed until confirmDate().
   */
  destructionTime(): number {
    const now = this.observe();
    if (!this.held) return now;
    return Math.min(now, this.confirmed.time + (this.sources.monotonicNow() - this.confirmed.mono));
  }

  /** The therapist says the date shown is right: destruction catches up with it (logged by the caller). */
  confirmDate(): void {
    const now = this.observe();
    this.confirmed = { time: now, mono: this.sources.monotonicNow() };
    this.held = null;
  }

  /** A monotonic instant, for idle locks, review limits and unlock delays. */
  mark(): number {
    return this.sources.monotonicNow();
  }

  /** Milliseconds since `mark`, whatever the wall clock did meanwhile. */
  elapsedSince(mark: number): number {
    return Math.max(0, this.sources.monotonicNow() - mark);
  }

  /** What changed since the last call, each once: the caller logs them and shows them. */
  takeNotices(): ClockNotice[] {
    this.observe();
    const taken = this.notices;
    this.notices = [];
    return taken;
  }

  status(): ClockStatus {
    const now = this.observe();
    const wall = this.sources.wallNow();
    return {
      behindByMs: this.behind ? now - wall : null,
      destructionHeld: this.held !== null,
      heldAt: this.held?.at ?? null,
    };
  }

  private observe(): number {
    const wall = this.sources.wallNow();
    const mono = this.sources.monotonicNow();
    const runOn = this.trusted.time + Math.max(0, mono - this.trusted.mono);
    const now = Math.max(wall, runOn);
    this.trusted = { time: now, mono };

    const behindBy = runOn - wall;
    if (behindBy > this.backwardToleranceMs) {
      if (!this.behind)
        this.notices.push({
          kind: 'clock-back',
          systemTime: wall,
          trustedTime: now,
          byMs: behindBy,
        });
      this.behind = true;
    } else if (behindBy <= 0) this.behind = false;

    if (!this.held) {
      const expected = this.confirmed.time + Math.max(0, mono - this.confirmed.mono);
      const leap = now - expected;
      if (leap > this.forwardHoldMs) {
        this.held = { at: now };
        this.notices.push({
          kind: 'clock-forward',
          systemTime: wall,
          expectedTime: expected,
          byMs: leap,
        });
      } else this.confirmed = { time: now, mono };
    }
    return now;
  }
}

/**
 * What is left of an earned unlock delay. Within one run the monotonic clock decides; across a
 * restart the wall clock does, but never for longer than the delay itself, so setting the clock
 * back cannot stretch a 4-second wait into a day.
 */
export function remainingDelayMs(
  delayMs: number,
  failedAt: { wall: number; mono?: number },
  now: { wall: number; mono?: number },
): number {
  const left =
    failedAt.mono !== undefined && now.mono !== undefined
      ? delayMs - (now.mono - failedAt.mono)
      : failedAt.wall + delayMs - now.wall;
  return Math.min(delayMs, Math.max(0, left));
}
