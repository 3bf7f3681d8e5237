// A small passphrase strength estimate, shared so the meter and main agree on the minimum.

export const MIN_PASSPHRASE_LENGTH = 12;

const common = [
  'password',
  'passwort',
  'qwerty',
  'letmein',
  'welcome',
  'admin',
  'iloveyou',
  'monkey',
  'dragon',
  'sunshine',
  'princess',
  'football',
  'therapy',
  'session',
  'vault',
  'secret',
  '123456',
  'abc123',
  'trustno1',
];

export interface PassphraseAssessment {
  /** 0 (very weak) to 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  /** One short sentence for the person. */
  hint: string;
}

/** Rough entropy estimate in bits, from length and the kinds of characters used. */
function estimateBits(text: string): number {
  let pool = 0;
  if (/[a-z]/.test(text)) pool += 26;
  if (/[A-Z]/.test(text)) pool += 26;
  if (/[0-9]/.test(text)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(text)) pool += 33;
  const unique = new Set(text).size;
  // Repeats and runs add little: count each distinct character fully, repeats at a quarter.
  const effectiveLength = unique + (text.length - unique) * 0.25;
  return Math.log2(Math.max(pool, 1)) * effectiveLength;
}

export function assessPassphrase(text: string): PassphraseAssessment {
  const lower = text.toLowerCase();
  let bits = estimateBits(text);
  for (const word of common) if (lower.includes(word)) bits -= 20;
  if (/^(.)\1+$/.test(text)) bits = 0;
  const score: PassphraseAssessment['score'] =
    bits < 28 ? 0 : bits < 40 ? 1 : bits < 55 ? 2 : bits < 75 ? 3 : 4;
  const longEnough = text.length >= MIN_PASSPHRASE_LENGTH;
  const acceptable = longEnough && score >= 2;
  const hint = !longEnough
    ? `Use at least ${MIN_PASSPHRASE_LENGTH} characters. A few unrelated words work well.`
    : score < 2
      ? 'Too easy to guess. Add another word or mix in numbers and symbols.'
      : score < 4
        ? 'Good. One more word would make it stronger.'
        : 'Strong.';
  return { score, acceptable, hint };
}
