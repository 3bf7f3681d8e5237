// Checkboxes and radio groups for the consent wizard: big targets, labels in plain words.
import { useId, type ReactNode } from 'react';

export function CheckBox({
  label,
  checked,
  onChange,
  children,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** Shown under the box when it is ticked. */
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="choice">
      <div className="choice-row">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(event) => onChange(event.target.checked)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      {checked && children ? <div className="choice-more">{children}</div> : null}
    </div>
  );
}

interface RadioOption<T extends string> {
  value: T;
  label: string;
  /** Shown under the option when it is chosen. */
  more?: ReactNode;
}

export function RadioGroup<T extends string>({
  legend,
  value,
  options,
  onChange,
}: {
  legend: string;
  value: T;
  options: RadioOption<T>[];
  onChange: (value: T) => void;
}) {
  const name = useId();
  return (
    <fieldset className="choices">
      <legend>{legend}</legend>
      {options.map((option) => {
        const id = `${name}-${option.value}`;
        return (
          <div className="choice" key={option.value}>
            <div className="choice-row">
              <input
                id={id}
                type="radio"
                name={name}
                value={option.value}
                checked={value === option.value}
                onChange={() => onChange(option.value)}
              />
              <label htmlFor={id}>{option.label}</label>
            </div>
            {value === option.value && option.more ? (
              <div className="choice-more">{option.more}</div>
            ) : null}
          </div>
        );
      })}
    </fieldset>
  );
}
