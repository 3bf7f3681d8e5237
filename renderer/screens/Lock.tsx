// The lock screen: unlock with the passphrase, set a new one with the recovery key, or sign in
// as an auditor to read the access log.
import { useState, type FormEvent } from 'react';
import { uiText } from '../../shared/ui-text';
import { Field } from '../components/Field';
import { FormMessage } from '../components/FormMessage';
import { LockIcon } from '../components/LockIcon';
import { useFocusOnMount } from '../components/focus';
import { useVault } from '../store/vault-store';
import { AuditorSignIn } from './AuditorSignIn';
import { RecoverForm } from './RecoverForm';

function UnlockForm({ onForgot, onAuditor }: { onForgot: () => void; onAuditor: () => void }) {
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
      <Field
        ref={inputRef}
        label="Passphrase"
        type="password"
        value={passphrase}
        onChange={setPassphrase}
        autoComplete="current-password"
        required
      />
      <FormMessage message={error} />
      <div className="actions actions-stacked">
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={busy || waiting}
          aria-describedby={waiting ? 'unlock-wait' : undefined}
        >
          {busy ? 'Unlocking…' : 'Unlock'}
        </button>
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
        <button type="button" className="link-button link-quiet" onClick={onAuditor}>
          Sign in as an auditor
        </button>
      </p>
    </form>
  );
}

export function Lock() {
  const [mode, setMode] = useState<'unlock' | 'recover' | 'auditor'>('unlock');

  return (
    <main className="page page-centered page-locked">
      <div className="card card-narrow">
        <div className="card-header card-header-center">
          <LockIcon size={64} />
          <h1>{uiText.lockedTitle}</h1>
          <p className="lead">
            {mode === 'unlock'
              ? 'Everything inside is kept safe. Enter the passphrase to open it.'
              : mode === 'recover'
                ? 'Type the recovery key from the printed sheet, then choose a new passphrase.'
                : 'Use the name and passphrase the practice gave you. You will see the access log only.'}
          </p>
        </div>
        {mode === 'unlock' ? (
          <UnlockForm onForgot={() => setMode('recover')} onAuditor={() => setMode('auditor')} />
        ) : mode === 'recover' ? (
          <RecoverForm onBack={() => setMode('unlock')} />
        ) : (
          <AuditorSignIn onBack={() => setMode('unlock')} />
        )}
      </div>
    </main>
  );
}
