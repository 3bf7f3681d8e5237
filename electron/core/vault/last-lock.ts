// Why the vault last locked, for the lock screen: a person who comes back to a locked laptop should
// know whether they pressed Lock, walked away, or the laptop slept. Cleared at the next unlock.
import type { LastLock } from '../../../shared/api';
import type { VaultService } from './vault-service';

const reasons: Record<string, LastLock['reason']> = {
  user: 'button',
  idle: 'idle',
  'screen-lock': 'screen-lock',
  suspend: 'suspend',
};

export function watchLastLock(lifecycle: VaultService, now: () => number): () => LastLock | null {
  let last: LastLock | null = null;
  lifecycle.onLock((reason) => {
    const known = reasons[reason];
    // A hand-over, a review's end or a quit has its own screen, or none.
    last = known
      ? {
          reason: known,
          at: now(),
          idleMinutes: known === 'idle' ? lifecycle.idleLockMinutes() : null,
        }
      : null;
  });
  lifecycle.onUnlock(() => {
    last = null;
  });
  return () => last;
}
