// What the client list shows of a client's consent: its state, whether recording is allowed now,
// and one line about it in words.
import type { ClientSummary } from '../../../shared/api';
import {
  allowsKind,
  decide,
  describeListeners,
  termsForKind,
  type Actor,
  type ConsentState,
} from '../../../shared/consent';
import { formatDate, formatDays } from '../../../shared/format';

export function consentStatus(
  state: ConsentState,
  actor: Actor,
  clientId: string,
  now: number,
): ClientSummary['consent'] {
  const terms = state.terms;
  const record = decide('record', actor, { clientId, consent: state, recording: null }, now);
  const recordVoiceNote = decide(
    'record',
    actor,
    { clientId, consent: state, recording: null, recordingKind: 'voice-note' },
    now,
  );
  return {
    state: !terms
      ? 'none'
      : state.therapyEndedAt !== null
        ? 'ended'
        : state.revokedAt !== null
          ? 'revoked'
          : 'active',
    version: terms?.version ?? null,
    policyVersionHash: terms?.policyVersionHash ?? null,
    summary: terms ? consentSummaryLine(state, actor) : null,
    revokedAt: state.revokedAt,
    therapyEndedAt: state.therapyEndedAt,
    record,
    recordVoiceNote,
  };
}

/** One line about the consent as it stands now: who may listen and for how long, or that it ended. */
function consentSummaryLine(state: ConsentState, actor: Actor): string {
  const signed = state.terms!;
  // A consent for voice notes only is described by the voice notes' own terms.
  const notesOnly = !allowsKind(signed, 'session') && allowsKind(signed, 'voice-note');
  const terms = termsForKind(signed, notesOnly ? 'voice-note' : 'session');
  const what = notesOnly ? 'voice note' : 'recording';
  if (state.revokedAt !== null)
    return terms.revocation.destroys === 'all-recordings'
      ? `Consent was revoked on ${formatDate(state.revokedAt)}. Its recordings were destroyed and nothing more is recorded.`
      : `Consent was revoked on ${formatDate(state.revokedAt)}. Nothing more is recorded; earlier recordings are kept until their dates.`;
  if (state.therapyEndedAt !== null)
    return terms.termination.action === 'destroy-now'
      ? `Therapy ended on ${formatDate(state.therapyEndedAt)}, and its recordings were destroyed.`
      : `Therapy ended on ${formatDate(state.therapyEndedAt)}. Only the client may listen, for ${formatDays(terms.termination.days)} after that.`;
  const viewer = actor.role === 'client' ? 'client' : 'therapist';
  return `${describeListeners(terms, viewer)} Each ${what} is kept ${formatDays(terms.retentionDays)}.`;
}
