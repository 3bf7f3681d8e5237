// What the laptop's clock did, in a sentence the therapist can act on: set back (the vault keeps
// its own time, nothing is kept longer) or leapt forward (destruction by date waits until the
// therapist confirms the date). Main decides both; this only shows vault.status's clock.
import { useState } from 'react';
import type { ClockStatus } from '../../../shared/api';
import { formatDate } from '../../../shared/format';
import { FormMessage } from '../../components/FormMessage';
import { useVault } from './vault-store';

const DAY_MS = 24 * 60 * 60_000;

function howFarBehind(ms: number): string {
  if (ms >= 2 * DAY_MS) return `${Math.round(ms / DAY_MS)} days`;
  if (ms >= 2 * 60 * 60_000) return `${Math.round(ms / (60 * 60_000))} hours`;
  return `${Math.max(1, Math.round(ms / 60_000))} minutes`;
}

export const clockText = {
  behind: (ms: number) =>
    `This laptop’s clock is ${howFarBehind(ms)} behind the time Session Vault has already seen. Session Vault keeps its own time, so no recording is kept or played longer than its consent allows. Set the clock right in the system settings.`,
  held: (at: number) =>
    `This laptop’s clock jumped forward to ${formatDate(at)}. Session Vault is not destroying any recording by date until you confirm that date. If the date is wrong, set the clock right first.`,
  confirm: (at: number) => `${formatDate(at)} is the right date`,
  confirmed: 'Date confirmed. Recordings whose time has come are now destroyed.',
};

export function ClockNotice({ clock }: { clock: ClockStatus }) {
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
          <button type="button" className="button" disabled={busy} onClick={() => void confirm()}>
            {clockText.confirm(clock.heldAt)}
          </button>
          <FormMessage message={problem} />
        </div>
      ) : null}
    </section>
  );
}
