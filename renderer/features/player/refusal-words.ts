// What would allow a refused playback, in a sentence, from the codes main gave (never from its
// sentences: those are for people, and may change).
import type { DecisionCode } from '../../../shared/consent';
import type { VaultErrorInfo } from '../../../shared/errors';

const GONE = 'Nothing can bring it back: a destroyed recording is gone for good.';
const REVOKED = 'Consent was taken back, so nothing recorded under it can be played.';
const NOT_LISTED =
  'Only the people the signed consent lists may listen. New consent that lists you would allow it.';
const NOT_SIGNED = 'It can be played once everyone in the session has signed.';
const UNLOCK = 'Unlock the vault, then open the recording again.';
const ONLY_CONSENT = 'Only what the signed consent allows can be played.';

/** When several reasons apply, the first of these that does is the one shown. */
const FIRST_FIRST = [GONE, REVOKED, NOT_LISTED, NOT_SIGNED, UNLOCK];

/** Every decision code has its sentence: a new code fails to compile until it gets one. */
const remedy: Record<DecisionCode, string> = {
  destroyed: GONE,
  'retention-ended': GONE,
  'kept-until-ended': GONE,
  revoked: REVOKED,
  'made-after-revocation': REVOKED,
  'not-listed': NOT_LISTED,
  'not-signed': NOT_SIGNED,
  // The recording does not match the consent on file, so it stays locked.
  mismatch: UNLOCK,
  'clock-invalid': ONLY_CONSENT,
  'role-unknown': ONLY_CONSENT,
  'action-unknown': ONLY_CONSENT,
  'no-subject': ONLY_CONSENT,
  'no-consent': ONLY_CONSENT,
  'other-client': ONLY_CONSENT,
  'own-client': ONLY_CONSENT,
  'therapist-only': ONLY_CONSENT,
  listed: ONLY_CONSENT,
  auditor: ONLY_CONSENT,
  system: ONLY_CONSENT,
  therapist: ONLY_CONSENT,
  client: ONLY_CONSENT,
  'therapy-ended': ONLY_CONSENT,
  'destroyed-at-end': ONLY_CONSENT,
  'review-window-ended': ONLY_CONSENT,
  'kept-until': ONLY_CONSENT,
  'destroyed-on': ONLY_CONSENT,
  'in-force': ONLY_CONSENT,
  // Refusals of recording, never of playing: nothing to say in the player beyond the consent.
  'sessions-not-allowed': ONLY_CONSENT,
  'voice-notes-not-allowed': ONLY_CONSENT,
};

export function whatWouldAllow(error: VaultErrorInfo): string {
  const remedies = (error.decisionCodes ?? []).map((code) => remedy[code]);
  // Refusals that are not consent's: the recording is gone, or the vault or review is locked.
  if (error.code === 'NOT_FOUND' || error.code === 'RECORDING_DESTROYED') remedies.push(GONE);
  if (error.code === 'VAULT_LOCKED' || error.code === 'REVIEW_LOCKED') remedies.push(UNLOCK);
  return FIRST_FIRST.find((sentence) => remedies.includes(sentence)) ?? ONLY_CONSENT;
}
