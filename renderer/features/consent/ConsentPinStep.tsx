// Wizard step 8: the client's PIN for listening on this laptop, in client review.
import { newLaptopText, pinWhyText } from '../../../shared/consent-text';
import { Field } from '../../components/Field';
import { RadioGroup } from './ConsentInputs';
import type { StepProps } from './ConsentWizardDraft';

export function PinStep({ draft, update, detail }: StepProps) {
  const pin = draft.pin;
  const setPin = (patch: Partial<typeof pin>) => update({ pin: { ...pin, ...patch } });
  const hasPin = detail.client.hasReviewCredential;
  const fields = (
    <div className="pin-fields">
      <Field
        label="Choose a PIN of 6 or more digits"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        className="field-pin"
        maxLength={12}
        value={pin.pin}
        onChange={(next) => setPin({ pin: next })}
        hint="Only you should know it. Your therapist looks away."
      />
      <Field
        label="Type the PIN again"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        className="field-pin"
        maxLength={12}
        value={pin.repeat}
        onChange={(repeat) => setPin({ repeat })}
      />
    </div>
  );
  return (
    <>
      <p className="lead">
        With your PIN you can listen to your recordings here, in client review. You see only your
        own recordings, nothing else.
      </p>
      <p className="note">{pinWhyText}</p>
      <p className="muted">{newLaptopText}</p>
      {hasPin ? (
        <RadioGroup
          legend="You already have a PIN"
          value={pin.keepCurrent ? 'keep' : 'new'}
          onChange={(choice) => setPin({ keepCurrent: choice === 'keep' })}
          options={[
            { value: 'keep', label: 'Keep my PIN' },
            { value: 'new', label: 'Choose a new PIN', more: fields },
          ]}
        />
      ) : (
        fields
      )}
    </>
  );
}
