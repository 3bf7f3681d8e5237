// Forgotten passphrase: the recovery key from the printed sheet opens the vault and sets a new one.
import { useId, useState, type FormEvent } from 'react';
import { assessPassphrase } from '../../../shared/passphrase';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { useFocusOnMount } from '../../components/focus';
import { useVault } from './vault-store';

export function RecoverForm({ onBack }: { onBack: () => void }) {
  const recover = useVault((state) => state.recover);
  const secondsLeft = useVault((state) => state.retrySecondsLeft);
  const [recoveryKey, setRecoveryKey] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const headingId = useId();

  const strongEnough = assessPassphrase(passphrase).acceptable;
  const ready = recoveryKey.trim() !== '' && strongEnough && repeat === passphrase;
  const waiting = secondsLeft > 0;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready || busy || waiting) return;
    setBusy(true);
    setError(null);
    const failure = await recover(recoveryKey.trim(), passphrase);
    setBusy(false);
    if (failure) setError(failure.message);
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="form-title">
        Use the recovery key
      </h2>
      <Field
        label="Recovery key"
        value={recoveryKey}
        onChange={setRecoveryKey}
        className="field-mono"
        autoComplete="off"
        spellCheck={false}
        autoCapitalize="characters"
        required
      />
      <NewPassphraseFields
        label="New passphrase"
        repeatLabel="Repeat new passphrase"
        passphrase={passphrase}
        onPassphrase={setPassphrase}
        repeat={repeat}
        onRepeat={setRepeat}
      />
      <FormMessage message={error} />
      <div className="actions actions-stacked">
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={!ready || busy || waiting}
        >
          {busy ? 'Opening the vault…' : 'Set new passphrase and unlock'}
        </button>
        <button type="button" className="link-button" onClick={onBack}>
          Back to unlock with the passphrase
        </button>
      </div>
    </form>
  );
}
