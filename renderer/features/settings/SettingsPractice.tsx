// The practice and the therapist as the printed consent's header names them: address, phone and
// the licence. Checked with the contract's own schema, each error beside its field.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { practiceDetailsSchema, type PracticeDetails } from '../../../shared/api';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { usePractice } from './practice-store';

type FieldKey =
  | 'practiceName'
  | 'address'
  | 'phone'
  | 'therapistName'
  | 'licence.kind'
  | 'licence.number'
  | 'licence.jurisdiction';

const empty: PracticeDetails = {
  practiceName: '',
  address: '',
  phone: '',
  therapistName: '',
  licence: { kind: '', number: '', jurisdiction: '' },
};

function problemsOf(details: PracticeDetails): Partial<Record<FieldKey, string>> {
  const result = practiceDetailsSchema.safeParse(details);
  if (result.success) return {};
  const problems: Partial<Record<FieldKey, string>> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') as FieldKey;
    problems[key] ??= issue.message;
  }
  return problems;
}

export function PracticeDetailsForm() {
  const stored = usePractice((state) => state.details);
  const load = usePractice((state) => state.load);
  const save = usePractice((state) => state.save);
  const [draft, setDraft] = useState<PracticeDetails | null>(null);
  const [problems, setProblems] = useState<Partial<Record<FieldKey, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const titleId = useId();
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    void load();
  }, [load]);
  // After a refused save, the keyboard lands on the first field to fix.
  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]')?.focus();
  }, [problems]);
  const details = draft ?? stored ?? empty;

  function change(patch: Partial<PracticeDetails>) {
    setDraft({ ...details, ...patch });
    setSaved(null);
  }
  function changeLicence(patch: Partial<PracticeDetails['licence']>) {
    change({ licence: { ...details.licence, ...patch } });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const found = problemsOf(details);
    setProblems(found);
    setSaved(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    const failure = await save(details);
    setBusy(false);
    if (failure) setError(failure.message);
    else {
      setDraft(null);
      setSaved('Saved. New printouts of a consent show these details.');
    }
  }

  const field = (
    key: FieldKey,
    label: string,
    value: string,
    onChange: (v: string) => void,
    hint?: string,
  ) => (
    <Field
      label={label}
      value={value}
      onChange={onChange}
      aria-invalid={problems[key] ? true : undefined}
      hint={problems[key] ? <span className="field-error">{problems[key]}</span> : hint}
    />
  );

  return (
    <form
      ref={formRef}
      className="panel panel-wide"
      onSubmit={submit}
      noValidate
      aria-labelledby={titleId}
    >
      <h2 id={titleId}>The practice and you</h2>
      <p className="muted">Printed at the top of every consent. Kept encrypted on this laptop.</p>
      {field('practiceName', 'Practice name', details.practiceName, (practiceName) =>
        change({ practiceName }),
      )}
      {field('address', 'Practice address', details.address, (address) => change({ address }))}
      {field('phone', 'Practice phone', details.phone, (phone) => change({ phone }))}
      {field('therapistName', 'Your name', details.therapistName, (therapistName) =>
        change({ therapistName }),
      )}
      <div className="field-row">
        {field(
          'licence.kind',
          'Licence type',
          details.licence.kind,
          (kind) => changeLicence({ kind }),
          'For example: Licensed Clinical Social Worker.',
        )}
        {field('licence.number', 'Licence number', details.licence.number, (number) =>
          changeLicence({ number }),
        )}
      </div>
      {field(
        'licence.jurisdiction',
        'State or country of the licence',
        details.licence.jurisdiction,
        (jurisdiction) => changeLicence({ jurisdiction }),
      )}
      <FormMessage message={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Save
        </button>
        <p role="status" className="saved-note">
          {saved}
        </p>
      </div>
    </form>
  );
}
