// Choosing a passphrase: the field, its strength meter, and the field that repeats it. Used
// wherever a new passphrase is set (the vault, a recovery, an auditor).
import { useId } from 'react';
import { PassphraseField } from './PassphraseField';
import { StrengthMeter } from './StrengthMeter';

export function NewPassphraseFields({
  label,
  repeatLabel,
  passphrase,
  onPassphrase,
  repeat,
  onRepeat,
  names = [],
}: {
  label: string;
  repeatLabel: string;
  passphrase: string;
  onPassphrase: (value: string) => void;
  repeat: string;
  onRepeat: (value: string) => void;
  /** The practice's and the person's names: a passphrase made of them is weak. */
  names?: readonly string[];
}) {
  const meterId = useId();
  const mismatch = repeat !== '' && repeat !== passphrase;
  return (
    <>
      <PassphraseField
        label={label}
        value={passphrase}
        onChange={onPassphrase}
        autoComplete="new-password"
        describedBy={meterId}
        required
      />
      <StrengthMeter passphrase={passphrase} names={names} id={meterId} />
      <PassphraseField
        label={repeatLabel}
        value={repeat}
        onChange={onRepeat}
        autoComplete="new-password"
        hint={mismatch ? 'The two passphrases are not the same yet.' : undefined}
        aria-invalid={mismatch}
        required
      />
    </>
  );
}
