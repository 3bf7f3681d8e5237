// Passphrase strength as a meter and a word, never colour alone; main applies the same rule.
import { assessPassphrase } from '../../shared/passphrase';
import { strengthWords } from '../../shared/ui-text';

export function StrengthMeter({
  passphrase,
  names,
  id,
}: {
  passphrase: string;
  names: readonly string[];
  id: string;
}) {
  const assessment = assessPassphrase(passphrase, names);
  const word = passphrase ? strengthWords[assessment.score] : 'Not set yet';
  const hint = passphrase
    ? assessment.hint
    : 'Use at least 12 characters. A few unrelated words work well.';
  return (
    <div className="strength" id={id}>
      <div
        className="strength-bar"
        role="meter"
        aria-label="Passphrase strength"
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={passphrase ? assessment.score : 0}
        aria-valuetext={word}
        data-score={passphrase ? assessment.score : 'none'}
      >
        {[1, 2, 3, 4].map((step) => (
          <span
            key={step}
            className="strength-step"
            data-filled={
              passphrase !== '' && (assessment.score >= step || step === 1) ? 'yes' : 'no'
            }
          />
        ))}
      </div>
      <p className="strength-text">
        <strong className="strength-word">{word}.</strong> {hint}
      </p>
    </div>
  );
}
