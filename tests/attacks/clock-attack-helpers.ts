// What the clock attacks share: a real core on a real vault folder whose two clocks the test
// holds apart, as a person at the laptop can (they set the system clock; monotonic time only
// ever runs on), and a restart on the same folder with the same device secret.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Core } from '../../electron/core/create-core';
import type { AuditEntryView, ClientSummary } from '../../shared/api';
import { PASSPHRASE } from '../unit/helpers/kernel-helpers';
import {
  call,
  sendSeconds,
  startCapture,
  stopCapture,
  testCore,
} from '../unit/helpers/practice-helpers';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365 * DAY;

/** The system clock, which anyone at the laptop can set, and a monotonic clock, which they cannot. */
export function twoClocks(start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
  let wall = start;
  let mono = 1_000;
  return {
    wallNow: () => wall,
    monotonicNow: () => mono,
    /** Real time passes: both clocks run on. */
    pass(ms: number) {
      wall += ms;
      mono += ms;
    },
    /** Someone sets the system clock: only the wall clock moves. */
    setWall(to: number) {
      wall = to;
    },
  };
}

export type TwoClocks = ReturnType<typeof twoClocks>;

/** A vault folder, and a way to start (and restart) the real core on it. */
export async function clockAttackVault(clocks: TwoClocks) {
  const dataDir = mkdtempSync(join(tmpdir(), 'sv-attack-clock-'));
  const deviceSecret = new Uint8Array(randomBytes(32));
  const start = (): Promise<Core> =>
    testCore(
      dataDir,
      { now: clocks.wallNow, advance: () => undefined },
      {
        deviceSecret,
        clock: clocks.wallNow,
        monotonicClock: clocks.monotonicNow,
      },
    );
  let core = await start();
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  return {
    get core() {
      return core;
    },
    /** The app quits and starts again on the same folder. */
    async restart() {
      core.close();
      core = await start();
      return core;
    },
    cleanup() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The therapist records `seconds` of audio for `client`. */
export async function record(core: Core, client: ClientSummary, seconds = 2): Promise<string> {
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, seconds);
  await stopCapture(core, recordingId);
  return recordingId;
}

export async function recordingState(core: Core, clientId: string, recordingId: string) {
  const detail = await call(core, 'clients.detail', { clientId });
  return detail.recordings.find((r) => r.recordingId === recordingId)!;
}

/** The whole log as the therapist reads it, oldest first. */
export async function wholeLog(core: Core): Promise<AuditEntryView[]> {
  const { entries } = await call(core, 'audit.recent', {
    limit: 500,
  });
  return entries.reverse();
}

export interface ClockStatusView {
  state: string;
  unlockRetryAfterMs: number;
  clock: { behindByMs: number | null; destructionHeld: boolean; heldAt: number | null };
}

export function vaultStatus(core: Core): Promise<ClockStatusView> {
  return call(core, 'vault.status');
}

export { PASSPHRASE };
