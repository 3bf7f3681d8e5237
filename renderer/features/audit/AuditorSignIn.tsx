// Sign in as an auditor: a name and a passphrase the practice gave, opening the access log only.
// A wrong name and a wrong passphrase get the same sentence, and repeated tries a growing wait.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { uiText } from '../../../shared/ui-text';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import '../../styles/audit.css';
import { Button } from '../../components/Button';
import { useVault } from '../vault/vault-store';
import { Refusal } from '../../app/call-main';
import { signInAuditor } from './audit-store';

/** Counts down to when main will take the next try; main still decides when that is. */
function useRetryCountdown(): [number, (ms: number) => void] {
  const [secondsLeft, setSecondsLeft] = useState(0);
  const deadline = useRef(0);
  useEffect(() => {
    if (secondsLeft <= 0) return;
    const timer = setInterval(() => {
      setSecondsLeft(Math.max(0, Math.ceil((deadline.current - Date.now()) / 1000)));
    }, 250);
    return () => clearInterval(timer);
  }, [secondsLeft]);
  const start = (ms: number) => {
    deadline.current = Date.now() + ms;
    setSecondsLeft(Math.ceil(ms / 1000));
  };
  return [secondsLeft, start];
}

export function AuditorSignIn({ onBack }: { onBack: () => void }) {
  const refresh = useVault((state) => state.refresh);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const headingId = useId();
  const waitId = useId();
  const passphraseRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [secondsLeft, startWait] = useRetryCountdown();
  const waiting = secondsLeft > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || waiting) return;
    if (!name.trim() || !passphrase) {
      setError('Type your name and passphrase first.');
      return;
    }
    setBusy(true);
    setError(null);
    const signedIn = await signInAuditor(name.trim(), passphrase);
    if (!(signedIn instanceof Refusal)) {
      await refresh();
      return;
    }
    setBusy(false);
    setError(signedIn.message);
    setPassphrase('');
    if (signedIn.error.retryAfterMs) startWait(signedIn.error.retryAfterMs);
    passphraseRef.current?.focus();
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="form-title">
        Sign in as an auditor
      </h2>
      <Field
        label="Name"
        value={name}
        onChange={setName}
        autoComplete="username"
        spellCheck={false}
        required
      />
      <Field
        ref={passphraseRef}
        label="Passphrase"
        type="password"
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
          aria-describedby={waiting ? waitId : undefined}
        >
          {busy ? 'Signing in…' : 'Sign in to the access log'}
        </Button>
        {waiting ? (
          <p id={waitId} className="countdown" data-testid="auditor-countdown">
            {uiText.retryIn(secondsLeft)}
          </p>
        ) : null}
        <button type="button" className="link-button" onClick={onBack}>
          Back to unlock with the practice passphrase
        </button>
      </div>
    </form>
  );
}
