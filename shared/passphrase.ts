// Passphrase strength from a kept library (zxcvbn-ts with its common and English dictionaries, as
// Bitwarden and 1Password use zxcvbn), shared so the meter and main give the same estimate. The
// passphrase is all that stands between a stolen laptop and the master key, so the names on the
// vault (practice, therapist, auditor) count as words an attacker tries first.
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

export const MIN_PASSPHRASE_LENGTH = 12;
/** zxcvbn's 3: about 10^8 guesses or more, "safely unguessable" against an offline attacker. */
const MIN_SCORE = 3;

export interface PassphraseAssessment {
  /** 0 (very weak) to 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  acceptable: boolean;
  /** One short sentence for the person. */
  hint: string;
}

let estimator: ZxcvbnFactory | null = null;

/** Built on first use: ranking the dictionaries takes a moment, and most screens never need it. */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
  });
  return estimator;
}

/**
 * "Dr. Jane Example" gives "Dr. Jane Example", each word, and each run of words run together
 * ("JaneExample", "DrJaneExample"), because that is how a name goes into a passphrase.
 */
export function nameWords(names: readonly string[]): string[] {
  const words = new Set<string>();
  for (const name of names) {
    const parts = name.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length > 1);
    if (name.trim()) words.add(name.trim());
    for (let from = 0; from < parts.length; from += 1) {
      for (let to = from + 1; to <= parts.length; to += 1) {
        words.add(parts.slice(from, to).join(''));
      }
    }
  }
  return [...words];
}

/** `names`: the practice's and the person's names, which must not make a passphrase strong. */
export function assessPassphrase(
  text: string,
  names: readonly string[] = [],
): PassphraseAssessment {
  const longEnough = text.length >= MIN_PASSPHRASE_LENGTH;
  const score = text === '' ? 0 : zxcvbn().check(text, nameWords(names)).score;
  const acceptable = longEnough && score >= MIN_SCORE;
  const hint = !longEnough
    ? `Use at least ${MIN_PASSPHRASE_LENGTH} characters. A few unrelated words work well.`
    : score < MIN_SCORE
      ? 'Too easy to guess: names, dates and common words are tried first. Add unrelated words.'
      : score < 4
        ? 'Good. One more word would make it stronger.'
        : 'Strong.';
  return { score, acceptable, hint };
}
