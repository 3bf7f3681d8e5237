// The trusted clock with both clocks in the test's hands: examples for each attack on the clock,
// then properties over arbitrary clock histories.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FORWARD_HOLD_MS,
  TrustedClock,
  remainingDelayMs,
} from '../../../electron/core/platform/trusted-clock';

const DAY = 24 * 60 * 60_000;
const START = Date.UTC(2026, 10, 30, 9, 0, 0);

/** A laptop whose wall clock a person can set, and whose monotonic clock only runs. */
function laptop(wall = START) {
  const state = { wall, mono: 1_000 };
  return {
    sources: { wallNow: () => state.wall, monotonicNow: () => state.mono },
    /** Time really passes: both clocks move. */
    pass(ms: number) {
      state.wall += ms;
      state.mono += ms;
    },
    /** Someone sets the clock: only the wall clock moves. */
    setWall(to: number) {
      state.wall = to;
    },
  };
}

describe('TrustedClock', () => {
  it('follows an honest clock exactly and says nothing', () => {
    const machine = laptop();
    const clock = new TrustedClock(machine.sources, { newestSeen: START - 60_000 });
    machine.pass(90 * 60_000);
    expect(clock.now()).toBe(START + 90 * 60_000);
    expect(clock.destructionTime()).toBe(clock.now());
    expect(clock.takeNotices()).toEqual([]);
    expect(clock.status()).toEqual({ behindByMs: null, destructionHeld: false, heldAt: null });
  });

  it('takes the system clock as it is for a vault that has seen no time yet', () => {
    const machine = laptop();
    const clock = new TrustedClock(machine.sources, { newestSeen: null });
    expect(clock.now()).toBe(START);
    expect(clock.takeNotices()).toEqual([]);
  });

  it('clock set back a year while running: time runs on, retention does not stop, it is said once', () => {
    const machine = laptop();
    const clock = new TrustedClock(machine.sources, { newestSeen: START });
    machine.setWall(START - 365 * DAY);
    machine.pass(60 * 60_000);
    expect(clock.now()).toBe(START + 60 * 60_000);
    expect(clock.destructionTime()).toBe(START + 60 * 60_000);
    const notices = clock.takeNotices();
    expect(notices).toEqual([expect.objectContaining({ kind: 'clock-back', byMs: 365 * DAY })]);
    machine.pass(60 * 60_000);
    clock.now();
    expect(clock.takeNotices()).toEqual([]);
    expect(clock.status().behindByMs).toBe(365 * DAY);
  });

  it('clock behind the newest logged time at start: trusted time starts from the log', () => {
    const machine = laptop(START - 3 * DAY);
    const clock = new TrustedClock(machine.sources, { newestSeen: START });
    expect(clock.now()).toBe(START);
    expect(clock.takeNotices()).toEqual([
      expect.objectContaining({ kind: 'clock-back', byMs: 3 * DAY }),
    ]);
  });

  it('a monotonic idle deadline fires although the clock went back', () => {
    const machine = laptop();
    const clock = new TrustedClock(machine.sources, { newestSeen: START });
    const lastActivity = clock.mark();
    machine.setWall(START - DAY);
    machine.pass(31 * 60_000);
    expect(clock.elapsedSince(lastActivity)).toBe(31 * 60_000);
  });

  it('clock jumped ten years forward while running: destruction holds until the date is confirmed', () => {
    const machine = laptop();
    const clock = new TrustedClock(machine.sources, { newestSeen: START });
    machine.pass(5 * 60_000);
    machine.setWall(START + 3650 * DAY);
    // Playback already sees the later time (less access, never more) ...
    expect(clock.now()).toBe(START + 3650 * DAY);
    // ... but destruction runs on from the last good date at real speed.
    expect(clock.destructionTime()).toBe(START + 5 * 60_000);
    expect(clock.takeNotices()).toEqual([
      expect.objectContaining({ kind: 'clock-forward', expectedTime: START + 5 * 60_000 }),
    ]);
    machine.pass(60_000);
    expect(clock.destructionTime()).toBe(START + 6 * 60_000);
    expect(clock.status()).toMatchObject({ destructionHeld: true, heldAt: START + 3650 * DAY });
    clock.confirmDate();
    expect(clock.destructionTime()).toBe(START + 3650 * DAY + 60_000);
    expect(clock.status().destructionHeld).toBe(false);
    expect(clock.takeNotices()).toEqual([]);
  });

  it('a start ten years after the last entry holds destruction; a weekend away does not', () => {
    const away = laptop(START + 3650 * DAY);
    const held = new TrustedClock(away.sources, { newestSeen: START });
    expect(held.destructionTime()).toBe(START);
    expect(held.takeNotices()).toEqual([expect.objectContaining({ kind: 'clock-forward' })]);

    const weekend = laptop(START + 3 * DAY);
    const fine = new TrustedClock(weekend.sources, { newestSeen: START });
    expect(fine.destructionTime()).toBe(START + 3 * DAY);
    expect(fine.takeNotices()).toEqual([]);
  });

  it('nightly sleeps do not add up to a hold', () => {
    const machine = laptop();
    const clock = new TrustedClock(machine.sources, { newestSeen: START });
    for (let night = 0; night < 30; night += 1) {
      machine.pass(10 * 60 * 60_000);
      machine.setWall(machine.sources.wallNow() + 14 * 60 * 60_000);
      clock.now();
    }
    expect(clock.status().destructionHeld).toBe(false);
    expect(clock.destructionTime()).toBe(clock.now());
  });
});

describe('remainingDelayMs', () => {
  it('clock back a day during a 4 s delay: still 4 s at most', () => {
    expect(remainingDelayMs(4_000, { wall: START }, { wall: START - DAY })).toBe(4_000);
    expect(
      remainingDelayMs(4_000, { wall: START, mono: 10 }, { wall: START - DAY, mono: 1_010 }),
    ).toBe(3_000);
    expect(remainingDelayMs(4_000, { wall: START }, { wall: START + 5_000 })).toBe(0);
  });
});

// A clock history: each step lets real time pass, or sets the wall clock anywhere within 20 years.
const step = fc.oneof(
  fc.record({ pass: fc.integer({ min: 0, max: 3 * DAY }) }),
  fc.record({ setWall: fc.integer({ min: START - 3650 * DAY, max: START + 3650 * DAY }) }),
);

describe('TrustedClock properties', () => {
  it('never goes back, never reads behind the system clock, and destruction never runs ahead', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: START - 3650 * DAY, max: START + 3650 * DAY }), { nil: null }),
        fc.array(step, { maxLength: 40 }),
        (newestSeen, steps) => {
          const machine = laptop();
          const clock = new TrustedClock(machine.sources, { newestSeen });
          let lastNow = clock.now();
          let lastDestruction = clock.destructionTime();
          if (newestSeen !== null) expect(lastNow).toBeGreaterThanOrEqual(newestSeen);
          for (const s of steps) {
            if ('pass' in s) machine.pass(s.pass);
            else machine.setWall(s.setWall);
            const now = clock.now();
            const destruction = clock.destructionTime();
            expect(now).toBeGreaterThanOrEqual(lastNow);
            expect(now).toBeGreaterThanOrEqual(machine.sources.wallNow());
            expect(destruction).toBeLessThanOrEqual(now);
            expect(destruction).toBeGreaterThanOrEqual(lastDestruction);
            lastNow = now;
            lastDestruction = destruction;
          }
        },
      ),
    );
  });

  it('no setting of the clock moves destruction further than real time plus one hold limit', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const machine = laptop();
        const clock = new TrustedClock(machine.sources, { newestSeen: START });
        let destruction = clock.destructionTime();
        for (const s of steps) {
          const passed = 'pass' in s ? s.pass : 0;
          if ('pass' in s) machine.pass(s.pass);
          else machine.setWall(s.setWall);
          const next = clock.destructionTime();
          expect(next - destruction).toBeLessThanOrEqual(passed + DEFAULT_FORWARD_HOLD_MS);
          destruction = next;
        }
        // Held once, it stays held and says so once, until the therapist confirms.
        expect(
          clock.takeNotices().filter((notice) => notice.kind === 'clock-forward').length,
        ).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('an earned delay is never stretched by any clock', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 * 60_000 }),
        fc.integer(),
        fc.integer(),
        fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: undefined }),
        (delay, failedWall, nowWall, monos) => {
          const left = remainingDelayMs(
            delay,
            { wall: failedWall, mono: monos?.[0] },
            { wall: nowWall, mono: monos ? monos[0] + monos[1] : undefined },
          );
          expect(left).toBeGreaterThanOrEqual(0);
          expect(left).toBeLessThanOrEqual(delay);
        },
      ),
    );
  });
});
