// What may be recorded: whole sessions, closing voice notes, or both; and a voice note's own short
// terms (who may listen, how long kept, the end of therapy, revocation), signed with the rest.
import { Field } from '../../components/Field';
import { CheckBox, RadioGroup } from './ConsentInputs';
import type { StepProps, WizardDraft } from './ConsentWizardDraft';

export function RecordingKindsFields({ draft, update }: Pick<StepProps, 'draft' | 'update'>) {
  const note = draft.voiceNote;
  const change = (patch: Partial<WizardDraft['voiceNote']>) =>
    update({ voiceNote: { ...note, ...patch } });
  return (
    <fieldset className="choices">
      <legend>What may be recorded</legend>
      <CheckBox
        label="Whole sessions"
        checked={draft.recordSessions}
        onChange={(recordSessions) => update({ recordSessions })}
      />
      <CheckBox
        label="Closing voice notes: up to 2 minutes in the client’s own voice, at the end of a session"
        checked={draft.recordVoiceNotes}
        onChange={(recordVoiceNotes) => update({ recordVoiceNotes })}
      />
      {draft.recordVoiceNotes ? (
        <fieldset className="choices voice-note-terms">
          <legend>The voice notes’ own terms</legend>
          <CheckBox
            label="The client may listen to a voice note"
            checked={note.client}
            onChange={(client) => change({ client })}
          />
          <CheckBox
            label="The therapist may listen to a voice note"
            checked={note.therapist}
            onChange={(therapist) => change({ therapist })}
          />
          <Field
            label="Keep each voice note for this many days"
            type="number"
            inputMode="numeric"
            min={1}
            max={3650}
            className="field-short"
            value={note.retentionDays}
            onChange={(retentionDays) => change({ retentionDays })}
            hint="From 1 day to 10 years (3650 days)."
          />
          <RadioGroup
            legend="When therapy ends, what happens to the voice notes?"
            value={note.termination}
            onChange={(termination) => change({ termination })}
            options={[
              { value: 'destroy-now', label: 'Destroy them all at once' },
              {
                value: 'keep-for-review',
                label: 'Keep them a little longer for the client, then destroy them',
                more: (
                  <Field
                    label="Days to keep voice notes after therapy ends"
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={365}
                    className="field-short"
                    value={note.keepDays}
                    onChange={(keepDays) => change({ keepDays })}
                    hint="From 1 to 365 days."
                  />
                ),
              },
            ]}
          />
          <RadioGroup
            legend="If consent is revoked, what happens to the voice notes already made?"
            value={note.revocationDestroys}
            onChange={(revocationDestroys) => change({ revocationDestroys })}
            options={[
              { value: 'all-recordings', label: 'Destroy every voice note at once' },
              {
                value: 'future-only',
                label: 'Only stop new voice notes; keep the ones made until their end date',
              },
            ]}
          />
        </fieldset>
      ) : null}
    </fieldset>
  );
}
