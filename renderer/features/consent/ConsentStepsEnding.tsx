// Wizard steps 5 to 7: how long recordings are kept, what happens when therapy ends or consent
// is revoked, and the risks, the other choices and the clinical record.
import {
  alternativeWords,
  careNotConditionalText,
  clinicalRecordSentence,
  participantRevocationLines,
  representativeLines,
  retentionSentence,
  revocableText,
  risks,
} from '../../../shared/consent-text';
import { formatDays } from '../../../shared/format';
import { Field } from '../../components/Field';
import { CheckBox, RadioGroup } from './ConsentInputs';
import { RecordingKindsFields } from './ConsentRecordingKinds';
import type { StepProps, WizardDraft } from './ConsentWizardDraft';

function days(text: string): number | null {
  const value = Number(text.trim());
  return /^\d+$/.test(text.trim()) ? value : null;
}

export function RetentionStep({ draft, update, policy }: StepProps) {
  const value = days(draft.retentionDays);
  const fits = value !== null && value >= 1 && value <= 3650;
  return (
    <>
      <p className="lead">
        Each recording is destroyed on its own after a set time. Destroyed means gone for good: no
        one can listen to it again.
      </p>
      <Field
        label="Keep each recording for this many days"
        type="number"
        inputMode="numeric"
        min={1}
        max={3650}
        className="field-short"
        value={draft.retentionDays}
        onChange={(retentionDays) => update({ retentionDays })}
        aria-invalid={!fits}
        hint={`From 1 day to 10 years (3650 days). The practice suggests ${formatDays(policy.defaults.retentionDays)}.`}
      />
      <p className="note" aria-live="polite">
        {fits ? retentionSentence(value) : 'Choose a number of days from 1 to 3650.'}
      </p>
    </>
  );
}

export function EndingStep({ draft, update, detail }: StepProps) {
  const together = participantRevocationLines({
    participants: detail.client.participants,
    participantRevocation: 'destroys-shared-recordings',
  });
  return (
    <>
      <RadioGroup
        legend="When therapy ends, what happens to the recordings?"
        value={draft.termination}
        onChange={(termination) => update({ termination })}
        options={[
          { value: 'destroy-now', label: 'Destroy them all at once' },
          {
            value: 'keep-for-review',
            label: 'Keep them a little longer, so you can listen again, then destroy them',
            more: (
              <Field
                label="Days to keep them after therapy ends"
                type="number"
                inputMode="numeric"
                min={1}
                max={365}
                className="field-short"
                value={draft.keepDays}
                onChange={(keepDays) => update({ keepDays })}
                hint="From 1 to 365 days. Only you may listen in that time."
              />
            ),
          },
        ]}
      />
      <p className="note">{revocableText}</p>
      <RadioGroup
        legend="If consent is revoked, what happens to the recordings already made?"
        value={draft.revocationDestroys}
        onChange={(revocationDestroys) => update({ revocationDestroys })}
        options={[
          { value: 'all-recordings', label: 'Destroy every recording at once' },
          {
            value: 'future-only',
            label: 'Only stop new recordings; keep the ones made until their end date',
          },
        ]}
      />
      {together.map((line) => (
        <p key={line} className="note">
          {line}
        </p>
      ))}
    </>
  );
}

export function RisksStep({ draft, update, detail }: StepProps) {
  const representative = draft.representative;
  const changeRepresentative = (patch: Partial<WizardDraft['representative']>) =>
    update({ representative: { ...representative, ...patch } });
  const whoFields = (
    <>
      <Field
        label="Name of the person who signs for the client"
        value={representative.name}
        onChange={(name) => changeRepresentative({ name })}
      />
      <Field
        label="How they are related to the client"
        value={representative.relation}
        onChange={(relation) => changeRepresentative({ relation })}
        hint="For example: mother, father, legal guardian."
      />
    </>
  );
  return (
    <>
      <h2 className="step-subtitle">The risks, said plainly</h2>
      <ul className="plain-list big-list">
        {risks.map((risk) => (
          <li key={risk}>{risk}</li>
        ))}
      </ul>
      <CheckBox
        label="The risks were explained, and we understand them."
        checked={draft.risksUnderstood}
        onChange={(risksUnderstood) => update({ risksUnderstood })}
      />
      <fieldset className="choices">
        <legend>Other choices, offered instead of or as well as recording</legend>
        <CheckBox
          label={alternativeWords.writtenTakeaways}
          checked={draft.writtenTakeaways}
          onChange={(writtenTakeaways) => update({ writtenTakeaways })}
        />
        <CheckBox
          label={alternativeWords.closingVoiceNote}
          checked={draft.closingVoiceNote}
          onChange={(closingVoiceNote) => update({ closingVoiceNote })}
        />
      </fieldset>
      <RecordingKindsFields draft={draft} update={update} />
      <p className="note">{careNotConditionalText}</p>
      <CheckBox
        label="We understand that care does not depend on agreeing to record."
        checked={draft.careNotConditional}
        onChange={(careNotConditional) => update({ careNotConditional })}
      />
      <RadioGroup
        legend="Are the recordings part of the clinical record?"
        value={draft.partOfClinicalRecord ? 'yes' : 'no'}
        onChange={(answer) => update({ partOfClinicalRecord: answer === 'yes' })}
        options={[
          { value: 'no', label: 'No, they are kept apart from the clinical record' },
          { value: 'yes', label: 'Yes, they are part of the clinical record' },
        ]}
      />
      <p className="note">{clinicalRecordSentence(draft.partOfClinicalRecord)}</p>
      <RadioGroup
        legend="Who signs for the client?"
        value={representative.signsFor}
        onChange={(signsFor) => changeRepresentative({ signsFor })}
        options={[
          { value: 'self', label: 'The client signs for themselves' },
          {
            value: 'minor',
            label: 'The client is under 18: a parent signs for them',
            more: whoFields,
          },
          {
            value: 'guardian',
            label: 'The client has a guardian, who signs for them',
            more: whoFields,
          },
        ]}
      />
      <p className="note">
        {
          representativeLines({
            participants: detail.client.participants,
            representative: null,
          })[1]
        }
      </p>
    </>
  );
}
