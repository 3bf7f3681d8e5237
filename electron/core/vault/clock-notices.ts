// What a wrong clock did, written to the log once per episode: set back (retention keeps the
// vault's own time), or leapt forward (destruction waits for the therapist to confirm the date).
import type { ClockNotice } from '../platform/vault-clock';
import type { VaultService } from './vault-service';

const DAY_MS = 24 * 60 * 60_000;

function howFar(ms: number): string {
  if (ms >= DAY_MS) return `${Math.round(ms / DAY_MS)} days`;
  return `${Math.max(1, Math.round(ms / 60_000))} minutes`;
}

export function clockNoticeReason(notice: ClockNotice): string {
  return notice.kind === 'clock-back'
    ? `system clock ${howFar(notice.byMs)} behind the vault's time; retention keeps the vault's time`
    : `system clock ${howFar(notice.byMs)} ahead of the time that passed; destruction held until the date is confirmed`;
}

/** Logs each clock notice not yet logged. A vault that cannot log now keeps them for later. */
export function logClockNotices(lifecycle: VaultService): void {
  if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') return;
  const notices = lifecycle.clock.takeNotices();
  for (const [index, notice] of notices.entries()) {
    try {
      lifecycle.log({
        actorRole: 'system',
        action: notice.kind === 'clock-back' ? 'clock.back' : 'clock.forward',
        outcome: 'ok',
        reason: clockNoticeReason(notice),
      });
    } catch {
      lifecycle.clock.keepNotices(notices.slice(index));
      return;
    }
  }
}
