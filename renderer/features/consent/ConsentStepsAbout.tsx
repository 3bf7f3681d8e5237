// Wizard steps 1 to 4: why you want to record, what recordings are for, who may listen, and
// where they are kept.
import type { RecordingReason } from '../../../shared/consent-terms';
import {
  participantNames,
  reasonLabels,
  reasonsToTalkThrough,
  talkThroughNote,
} from '../../../shared/consent-text';
import { Field } from '../../components/Field';
import { TextArea } from '../../components/TextArea';
import { CheckBox } from './ConsentInputs';
import type { StepProps } from './ConsentWizardDraft';

const reasonOrder: RecordingReason[] = [
  'review',
  'memory',
  'share-with-family',
  'ai-tools',
  'legal-evidence',
  'other',
];

export function ReasonsStep({ draft, update }: StepProps) {
  const { chosen, otherText } = draft.reasons;
  const toggle = (reason: RecordingReason, on: boolean) =>
    update({
      reasons: {
        otherText,
        chosen: on
          ? reasonOrder.filter((r) => r === reason || chosen.includes(r))
          : chosen.filter((r) => r !== reason),
      },
    });
  const talk = chosen.some((reason) => reasonsToTalkThrough.includes(reason));
  return (
    <>
      <p className="lead">
        People record sessions for different reasons. Choose every reason that fits you.
      </p>
      <fieldset className="choices">
        <legend>Why do you want to record our sessions?</legend>
        {reasonOrder.map((reason) => (
          <CheckBox
            key={reason}
            label={reasonLabels[reason]}
            checked={chosen.includes(reason)}
            onChange={(on) => toggle(reason, on)}
          >
            {reason === 'other' ? (
              <Field
                label="The other reason, in a few words"
                value={otherText}
                onChange={(text) => update({ reasons: { chosen, otherText: text } })}
                maxLength={500}
              />
            ) : null}
          </CheckBox>
        ))}
      </fieldset>
      {talk ? (
        <p className="note" role="note">
          {talkThroughNote}
        </p>
      ) : null}
    </>
  );
}

export function PurposeStep({ draft, update }: StepProps) {
  return (
    <>
      <p className="lead">
        Recordings are for your own <strong>personal review</strong>: listening again, here on this
        laptop, to remember and think about our sessions.
      </p>
      <TextArea
        label="What personal review allows, and what it does not"
        value={draft.limitsText}
        onChange={(limitsText) => update({ limitsText })}
        rows={4}
        maxLength={4000}
        hint="You can change these words together. They are printed on the signed consent."
      />
    </>
  );
}

export function ListenersStep({ draft, update, detail }: StepProps) {
  const who = draft.whoMayPlay;
  const set = (patch: Partial<typeof who>) => update({ whoMayPlay: { ...who, ...patch } });
  const others = who.namedOthers;
  const setOther = (index: number, patch: Partial<(typeof others)[number]>) =>
    set({ namedOthers: others.map((o, i) => (i === index ? { ...o, ...patch } : o)) });
  const clientWords =
    detail.client.participants.length > 1
      ? `You: ${participantNames(detail.client)}, in client review`
      : `You (${detail.client.displayName}), in client review`;
  return (
    <>
      <p className="lead">
        Only the people you choose here may listen, and only on this laptop. No one else may.
      </p>
      <fieldset className="choices">
        <legend>Tick everyone who may listen</legend>
        <CheckBox label={clientWords} checked={who.client} onChange={(client) => set({ client })} />
        <CheckBox
          label="Your therapist"
          checked={who.therapist}
          onChange={(therapist) => set({ therapist })}
        />
      </fieldset>
      <fieldset className="choices">
        <legend>Anyone else, by name</legend>
        <p className="muted">
          They listen with you, on this laptop, while you review your recordings. They get no PIN
          and no way in of their own.
        </p>
        {others.length === 0 ? <p className="muted">No one else.</p> : null}
        {others.map((other, index) => (
          <div className="other-listener" key={index}>
            <Field
              label={`Name of person ${index + 1}`}
              value={other.name}
              onChange={(name) => setOther(index, { name })}
              autoComplete="off"
            />
            <Field
              label="Relation to you"
              value={other.relation}
              onChange={(relation) => setOther(index, { relation })}
              placeholder="For example: mother"
              autoComplete="off"
            />
            <button
              type="button"
              className="link-button"
              onClick={() => set({ namedOthers: others.filter((_, i) => i !== index) })}
            >
              Remove person {index + 1}
            </button>
          </div>
        ))}
        {others.length < 8 ? (
          <div>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => set({ namedOthers: [...others, { name: '', relation: '' }] })}
            >
              Add someone who may listen
            </button>
          </div>
        ) : null}
      </fieldset>
    </>
  );
}

export function WhereStep({ draft, update }: StepProps) {
  return (
    <>
      <ul className="plain-list big-list">
        <li>Recordings stay on this laptop, locked. Nothing is uploaded or sent anywhere.</li>
        <li>Session Vault has no way to copy, email or export a recording.</li>
        <li>Recording a recording with a phone would be copying it, so we agree not to.</li>
      </ul>
      <fieldset className="choices">
        <legend>Do you agree?</legend>
        <CheckBox
          label="We understand that recordings stay on this laptop only."
          checked={draft.onThisDeviceOnly}
          onChange={(onThisDeviceOnly) => update({ onThisDeviceOnly })}
        />
        <CheckBox
          label="We agree not to share or copy the recordings."
          checked={draft.noSharing}
          onChange={(noSharing) => update({ noSharing })}
        />
      </fieldset>
    </>
  );
}
