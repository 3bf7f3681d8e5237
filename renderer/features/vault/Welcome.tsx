// First run: name the practice, choose a passphrase, create the vault.
import { useId, useState, type FormEvent } from 'react';
import { assessPassphrase } from '../../../shared/passphrase';
import { uiText } from '../../../shared/ui-text';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { LockIcon } from '../../components/LockIcon';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { useFocusOnMount } from '../../components/focus';
import { useVault } from './vault-store';

/** The first thing still missing, said plainly; null when the form is ready. */
function whatIsMissing(input: {
  practiceName: string;
  therapistName: string;
  passphrase: string;
  repeat: string;
}): string | null {
  if (!input.practiceName.trim()) return 'Write the name of your practice.';
  if (!input.therapistName.trim()) return 'Write your name.';
  const assessment = assessPassphrase(input.passphrase, [input.practiceName, input.therapistName]);
  if (!assessment.acceptable) return 'Choose a stronger passphrase. The note under it says how.';
  if (input.repeat !== input.passphrase) return 'Type the same passphrase again in the last box.';
  return null;
}

export function Welcome() {
  const createVault = useVault((state) => state.createVault);
  const [practiceName, setPracticeName] = useState('');
  const [therapistName, setTherapistName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const readinessId = useId();
  const formTitleId = useId();

  const missing = whatIsMissing({ practiceName, therapistName, passphrase, repeat });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (missing || busy) return;
    setBusy(true);
    setError(null);
    const failure = await createVault({ practiceName, therapistName, passphrase });
    if (failure) {
      setError(failure.message);
      setBusy(false);
    }
  }

  return (
    <main className="page page-centered">
      <div className="card card-wide">
        <div className="card-header">
          <LockIcon open size={48} />
          <h1 ref={headingRef} tabIndex={-1}>
            Welcome to Session Vault
          </h1>
          <p className="lead">{uiText.staysOnLaptop}</p>
        </div>
        <form onSubmit={submit} noValidate aria-labelledby={formTitleId}>
          <h2 id={formTitleId} className="visually-hidden">
            Create the vault
          </h2>
          <div className="field-row">
            <Field
              label="Practice name"
              value={practiceName}
              onChange={setPracticeName}
              autoComplete="organization"
              maxLength={120}
              required
            />
            <Field
              label="Your name"
              value={therapistName}
              onChange={setTherapistName}
              autoComplete="name"
              maxLength={120}
              required
            />
          </div>
          <NewPassphraseFields
            label="Passphrase"
            repeatLabel="Repeat passphrase"
            passphrase={passphrase}
            onPassphrase={setPassphrase}
            repeat={repeat}
            onRepeat={setRepeat}
            names={[practiceName, therapistName]}
          />
          <FormMessage message={error} />
          <div className="actions">
            <button
              type="submit"
              className="button button-primary"
              disabled={missing !== null || busy}
              aria-describedby={readinessId}
            >
              {busy ? 'Creating the vault…' : 'Create vault'}
            </button>
            <p id={readinessId} className="actions-note">
              {busy
                ? 'This takes a few seconds.'
                : (missing ?? 'Next you will see your recovery key, once.')}
            </p>
          </div>
        </form>
      </div>
    </main>
  );
}
