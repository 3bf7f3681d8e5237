// Settings: the practice and the therapist as the consent prints them, the practice's recording policy (each save is a new version, signed under by new
// consents), the default terms, and how long the vault may sit idle before main locks it.
import { useId, useState, type FormEvent } from 'react';
import type { SessionInfo } from '../../../shared/api';
import { uiText } from '../../../shared/ui-text';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import { useVault } from '../vault/vault-store';
import { ChangePassphrase } from './ChangePassphrase';
import { PracticePolicy } from './SettingsPolicy';
import { PracticeDetailsForm } from './SettingsPractice';

export function Settings({ session }: { session: SessionInfo }) {
  const setIdleLock = useVault((state) => state.setIdleLock);
  const [minutes, setMinutes] = useState(String(session.idleLockMinutes));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const idleTitleId = useId();

  const value = Number(minutes);
  const valid = /^\d+$/.test(minutes.trim()) && value >= 1 && value <= 60;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    setSaved(null);
    const failure = await setIdleLock(value);
    setBusy(false);
    if (failure) setError(failure.message);
    else setSaved(uiText.idleSaved(value));
  }

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title" ref={headingRef} tabIndex={-1}>
        Settings
      </h1>
      <PracticeDetailsForm />
      <PracticePolicy />
      <form className="panel panel-wide" onSubmit={submit} noValidate aria-labelledby={idleTitleId}>
        <h2 id={idleTitleId}>Idle lock</h2>
        <p className="muted">
          When nobody uses Session Vault for a while, it locks itself. Anyone then needs the
          passphrase again.
        </p>
        <Field
          label="Lock after this many idle minutes"
          type="number"
          inputMode="numeric"
          min={1}
          max={60}
          step={1}
          className="field-short"
          value={minutes}
          onChange={(next) => {
            setMinutes(next);
            setSaved(null);
          }}
          hint={valid ? 'From 1 to 60 minutes.' : 'Choose a whole number from 1 to 60.'}
          aria-invalid={!valid}
          required
        />
        <FormMessage message={error} />
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={!valid || busy}>
            Save
          </button>
          <p role="status" className="saved-note">
            {saved}
          </p>
        </div>
      </form>
      <ChangePassphrase session={session} />
    </section>
  );
}
