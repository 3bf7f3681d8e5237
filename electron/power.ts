// What the operating system does to a running session: screen lock and idle sleep.
import type { PowerMonitor, PowerSaveBlocker } from 'electron';

/** Seconds of inactivity getSystemIdleState needs; any value works for 'locked'. */
const idleThresholdSeconds = 60;

/**
 * Calls onLock once each time the screen locks. 'lock-screen' exists only on macOS and Windows
 * (electron.d.ts), so on every platform the ticker also asks for the idle state, which reports
 * 'locked' where the desktop tells (logind, GNOME, KDE).
 */
export function watchScreenLock(
  powerMonitor: Pick<PowerMonitor, 'on' | 'getSystemIdleState'>,
  onLock: () => void,
): { tick(): void } {
  let locked = false;
  const lockOnce = (): void => {
    if (locked) return;
    locked = true;
    onLock();
  };
  powerMonitor.on('lock-screen', lockOnce);
  powerMonitor.on('unlock-screen', () => {
    locked = false;
  });
  return {
    tick() {
      const state = powerMonitor.getSystemIdleState(idleThresholdSeconds);
      if (state === 'locked') lockOnce();
      else if (state === 'active' || state === 'idle') locked = false;
    },
  };
}

/**
 * Keeps the system awake while a recording runs: a quiet 50-minute session must not reach the
 * idle-sleep timeout, whose 'suspend' would end the recording. The display may still sleep.
 */
export function createSleepBlocker(blocker: Pick<PowerSaveBlocker, 'start' | 'stop'>): {
  hold(recordingId: string): void;
  release(recordingId: string): void;
} {
  const holders = new Set<string>();
  let blockerId: number | null = null;
  return {
    hold(recordingId) {
      holders.add(recordingId);
      blockerId ??= blocker.start('prevent-app-suspension');
    },
    release(recordingId) {
      holders.delete(recordingId);
      if (holders.size > 0 || blockerId === null) return;
      blocker.stop(blockerId);
      blockerId = null;
    },
  };
}
