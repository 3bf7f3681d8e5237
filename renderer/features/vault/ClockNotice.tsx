// What the laptop's clock did, in a sentence the therapist can act on: set back (the vault keeps
// its own time, nothing is kept longer) or leapt forward (destruction by date waits until the
// therapist confirms the date). Main decides both; this only shows vault.status's clock.
import { useState } from 'react';
import type { ClockStatus } from '../../../shared/api';
import { FormMessage } from '../../components/FormMessage';
import { clockText } from '../../../shared/ui-text';
import { useVault } from './vault-store';

/** `canConfirm`: false on the lock screen, where nobody who may confirm is signed in. */
export function ClockNotice({
  clock,
  canConfirm = true,
}: {
  clock: ClockStatus;
  canConfirm?: boolean;
}) {
  const confirmDate = useVault((state) => state.confirmDate);
  const announce = useVault((state) => state.announce);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  if (clock.behindByMs === null && !clock.destructionHeld) return null;

  async function confirm() {
    setBusy(true);
    const failure = await confirmDate();
    setBusy(false);
    if (failure) setProblem(failure.message);
    else announce(clockText.confirmed);
  }

  return (
    <section aria-label="The laptop’s clock" className="clock-notice" data-testid="clock-notice">
      {clock.behindByMs !== null ? (
        <p className="notice notice-problem" data-testid="clock-behind">
          {clockText.behind(clock.behindByMs)}
        </p>
      ) : null}
      {clock.destructionHeld && clock.heldAt !== null ? (
        <div className="notice notice-problem" data-testid="clock-held">
          <p>{clockText.held(clock.heldAt)}</p>
          {canConfirm ? (
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => void confirm()}
            >
              {clockText.confirm(clock.heldAt)}
            </button>
          ) : (
            <p>{clockText.confirmAfterUnlock}</p>
          )}
          <FormMessage message={problem} />
        </div>
      ) : null}
    </section>
  );
}
