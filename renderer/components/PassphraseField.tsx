// A passphrase input with a Show/Hide toggle and a Caps Lock warning: the two things that make
// a typed-blind passphrase fail for no reason the person can see.
import { useId, useState, type InputHTMLAttributes, type KeyboardEvent, type Ref } from 'react';

interface PassphraseFieldProps extends Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'id' | 'onChange' | 'type'
> {
  ref?: Ref<HTMLInputElement>;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** A hint under the input (a mismatch, a field's own error). */
  hint?: string;
  /** Ids of other elements that describe the input (a strength meter). */
  describedBy?: string;
}

export function PassphraseField({
  ref,
  label,
  value,
  onChange,
  hint,
  describedBy,
  className,
  ...rest
}: PassphraseFieldProps) {
  const id = useId();
  const [shown, setShown] = useState(false);
  const [capsLock, setCapsLock] = useState(false);
  const hintId = `${id}-hint`;
  const capsId = `${id}-caps`;
  const described = [hint ? hintId : null, capsLock ? capsId : null, describedBy ?? null]
    .filter(Boolean)
    .join(' ');
  const readCapsLock = (event: KeyboardEvent<HTMLInputElement>) =>
    setCapsLock(event.getModifierState('CapsLock'));

  return (
    <div className={['field', 'passphrase-field', className].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}</label>
      <div className="passphrase-row">
        <input
          ref={ref}
          id={id}
          type={shown ? 'text' : 'password'}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={readCapsLock}
          onKeyUp={readCapsLock}
          onBlur={() => setCapsLock(false)}
          aria-describedby={described || undefined}
          spellCheck={false}
          autoCapitalize="off"
          {...rest}
        />
        <button
          type="button"
          className="button button-secondary passphrase-toggle"
          aria-pressed={shown}
          aria-controls={id}
          onClick={() => setShown(!shown)}
        >
          {shown ? 'Hide' : 'Show'}
          <span className="visually-hidden"> {label.toLowerCase()}</span>
        </button>
      </div>
      {capsLock ? (
        <p id={capsId} className="caps-lock-warning" role="status">
          <span aria-hidden="true">⇪ </span>Caps Lock is on.
        </p>
      ) : null}
      {hint ? (
        <div id={hintId} className="field-hint">
          {hint}
        </div>
      ) : null}
    </div>
  );
}
