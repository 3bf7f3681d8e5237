// Changing the passphrase while signed in: the one in use, then a new one with its strength, typed
// twice. Main proves the old one and rewraps the master key under the new one; the recovery key
// stays as printed. Each field says its own problem beside it, and Change waits until all are fine.
import { useId, useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../shared/api';
import { assessPassphrase } from '../../../shared/passphrase';
import { FormMessage } from '../../components/FormMessage';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { PassphraseField } from '../../components/PassphraseField';
import { useVault } from '../vault/vault-store';

export function ChangePassphrase({ session }: { session: SessionInfo }) {
  const changePassphrase = useVault((state) => state.changePassphrase);
  const announce = useVault((state) => state.announce);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [currentProblem, setCurrentProblem] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const names = [session.practiceName, session.therapistName];
  const strong = next !== '' && assessPassphrase(next, names).acceptable;
  const same = next !== '' && next === current;
  const ready = current !== '' && strong && !same && repeat === next;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || !ready) return;
    setBusy(true);
    setError(null);
    setCurrentProblem(null);
    const failure = await changePassphrase(current, next);
    setBusy(false);
    if (failure) {
      // A wrong current passphrase is that field's problem; anything else is the form's.
      if (failure.code === 'WRONG_PASSPHRASE')
        setCurrentProblem('That is not the passphrase in use. Nothing was changed.');
      else if (failure.code === 'UNLOCK_DELAYED') setCurrentProblem(failure.message);
      else setError(failure.message);
      return;
    }
    setCurrent('');
    setNext('');
    setRepeat('');
    const words =
      'The passphrase is changed. Use the new one from now on; the recovery key stays the same.';
    setSaved(words);
    announce(words);
  }

  return (
    <form className="panel panel-wide" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId}>Passphrase</h2>
      <p className="muted">
        The passphrase opens the vault on this laptop. Changing it does not change the printed
        recovery key.
      </p>
      <PassphraseField
        label="Passphrase in use"
        value={current}
        onChange={(value) => {
          setCurrent(value);
          setCurrentProblem(null);
          setSaved(null);
        }}
        autoComplete="current-password"
        hint={currentProblem ?? undefined}
        aria-invalid={currentProblem !== null}
        required
      />
      <NewPassphraseFields
        label="New passphrase"
        repeatLabel="Repeat the new passphrase"
        passphrase={next}
        onPassphrase={(value) => {
          setNext(value);
          setSaved(null);
        }}
        repeat={repeat}
        onRepeat={setRepeat}
        names={names}
      />
      {same ? (
        <p className="field-problem" role="alert">
          Choose a passphrase different from the one in use.
        </p>
      ) : null}
      <FormMessage message={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={!ready || busy}>
          {busy ? 'Changing…' : 'Change passphrase'}
        </button>
        <p role="status" className="saved-note">
          {saved}
        </p>
      </div>
    </form>
  );
}
