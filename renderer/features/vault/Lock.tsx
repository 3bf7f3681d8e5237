// The lock screen: unlock with the passphrase, set a new one with the recovery key, sign in as an
// auditor to read the access log, or, for a client, learn how their review is opened.
import { useState, type FormEvent } from 'react';
import type { LastLock } from '../../../shared/api';
import { formatTime } from '../../../shared/format';
import { uiText } from '../../../shared/ui-text';
import { Button } from '../../components/Button';
import { PassphraseField } from '../../components/PassphraseField';
import { FormMessage } from '../../components/FormMessage';
import { LockIcon } from '../../components/LockIcon';
import { useFocusOnMount } from '../../components/focus';
import { useVault } from './vault-store';
import { AuditorSignIn } from '../audit/AuditorSignIn';
import { RecoverForm } from './RecoverForm';
import { ClockNotice } from './ClockNotice';

function UnlockForm({
  onForgot,
  onAuditor,
  onClient,
}: {
  onForgot: () => void;
  onAuditor: () => void;
  onClient: () => void;
}) {
  const unlock = useVault((state) => state.unlock);
  const secondsLeft = useVault((state) => state.retrySecondsLeft);
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useFocusOnMount<HTMLInputElement>();
  const waiting = secondsLeft > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || waiting) return;
    if (!passphrase) {
      setError('Type the passphrase first.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const failure = await unlock(passphrase);
    setBusy(false);
    if (failure) {
      setError(failure.message);
      setPassphrase('');
      inputRef.current?.focus();
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby="unlock-title">
      <h2 id="unlock-title" className="visually-hidden">
        Unlock
      </h2>
      <PassphraseField
        ref={inputRef}
        label="Passphrase"
        value={passphrase}
        onChange={setPassphrase}
        autoComplete="current-password"
        required
      />
      <FormMessage message={error} />
      <div className="actions actions-stacked">
        <Button
          type="submit"
          className="button button-primary button-block"
          busy={busy}
          unavailable={waiting}
          aria-describedby={waiting ? 'unlock-wait' : undefined}
        >
          {busy ? 'Unlocking…' : 'Unlock'}
        </Button>
        {waiting ? (
          <p id="unlock-wait" className="countdown" data-testid="unlock-countdown">
            {uiText.retryIn(secondsLeft)}
          </p>
        ) : null}
        <button type="button" className="link-button" onClick={onForgot}>
          Forgot your passphrase? Use the recovery key
        </button>
      </div>
      <p className="lock-other">
        <button type="button" className="link-button link-quiet" onClick={onClient}>
          I am a client
        </button>
        <button type="button" className="link-button link-quiet" onClick={onAuditor}>
          Sign in as an auditor
        </button>
      </p>
    </form>
  );
}

/**
 * A client at the locked laptop: the lock screen never lists who has recordings here, so the
 * therapist picks the client and the laptop then asks for that client's PIN.
 */
function ClientHelp({ onBack }: { onBack: () => void }) {
  const backRef = useFocusOnMount<HTMLButtonElement>();
  return (
    <div className="client-help">
      <ol className="plain-list big-list">
        <li>Ask your therapist to open your review.</li>
        <li>They choose you on their screen and hand you the laptop.</li>
        <li>It then asks for your PIN, and shows only your own recordings.</li>
      </ol>
      <p className="muted">
        This screen never shows who else has recordings here, so it cannot show your name before
        your therapist opens your review.
      </p>
      <div className="actions">
        <button ref={backRef} type="button" className="button button-secondary" onClick={onBack}>
          Back
        </button>
      </div>
    </div>
  );
}

const leads = {
  unlock: 'Everything inside is kept safe. Enter the passphrase to open it.',
  recover: 'Type the recovery key from the printed sheet, then choose a new passphrase.',
  auditor: 'Use the name and passphrase the practice gave you. You will see the access log only.',
  client: 'Your therapist opens your review for you.',
} as const;

/** Why it locked, from main's status, so nobody wonders whether something went wrong. */
function lockedBecause(last: LastLock): string {
  const at = formatTime(last.at);
  switch (last.reason) {
    case 'button':
      return `Locked with the Lock button at ${at}.`;
    case 'idle':
      return `Locked at ${at} after ${last.idleMinutes ?? 'some'} minutes without use.`;
    case 'screen-lock':
      return `Locked at ${at} when the laptop’s screen locked.`;
    case 'suspend':
      return `Locked at ${at} when the laptop went to sleep.`;
  }
}

export function Lock() {
  const [mode, setMode] = useState<keyof typeof leads>('unlock');
  const clock = useVault((state) => state.status?.clock ?? null);
  const lastLock = useVault((state) => state.status?.lastLock ?? null);

  return (
    <main className="page page-centered page-locked">
      <div className="card card-narrow">
        <div className="card-header card-header-center">
          <LockIcon size={64} />
          <h1>{uiText.lockedTitle}</h1>
          {mode === 'unlock' && lastLock ? (
            <p className="lock-reason" data-testid="lock-reason">
              {lockedBecause(lastLock)}
            </p>
          ) : null}
          <p className="lead">{leads[mode]}</p>
        </div>
        {clock ? <ClockNotice clock={clock} canConfirm={false} /> : null}
        {mode === 'unlock' ? (
          <UnlockForm
            onForgot={() => setMode('recover')}
            onAuditor={() => setMode('auditor')}
            onClient={() => setMode('client')}
          />
        ) : mode === 'recover' ? (
          <RecoverForm onBack={() => setMode('unlock')} />
        ) : mode === 'client' ? (
          <ClientHelp onBack={() => setMode('unlock')} />
        ) : (
          <AuditorSignIn onBack={() => setMode('unlock')} />
        )}
      </div>
    </main>
  );
}
