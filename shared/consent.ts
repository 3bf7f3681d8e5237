// Consent policy: signatures, deadlines and decide(), the one pure policy that main enforces
// before every record, play and destruction, and that the renderer draws. The schemas live in
// consent-terms.ts and are re-exported here.
import { addDays, formatDate, formatDays } from './format';
import type {
  Actor,
  Signature,
  ConsentAction,
  ConsentState,
  ConsentTerms,
  DecisionSubject,
  Decision,
  DecisionCode,
  DeepReadonly,
  RecordingKind,
  RecordingSubject,
} from './consent-terms';

export * from './consent-terms';

// ---------------------------------------------------------------------------------------------
// Signatures and deadlines.

/** Who still has to sign: participants by name, then "the therapist". */
export function missingSignatures(terms: DeepReadonly<ConsentTerms>): string[] {
  const signed = (signerId: string, role: Signature['role']) =>
    terms.signatures.some((s) => s.signerId === signerId && s.role === role);
  const missing = terms.participants
    .filter((p) => !signed(p.participantId, 'participant'))
    .map((p) => p.displayName);
  if (!terms.signatures.some((s) => s.role === 'therapist')) missing.push('the therapist');
  return missing;
}

/** Every participant and the therapist signed. */
export function isFullySigned(terms: DeepReadonly<ConsentTerms>): boolean {
  return missingSignatures(terms).length === 0;
}

/** Whether the signed terms allow this kind of recording to be made. */
export function allowsKind(terms: DeepReadonly<ConsentTerms>, kind: RecordingKind): boolean {
  // Terms signed before the choice existed allowed full sessions only.
  if (!terms.recordingKinds) return kind === 'session';
  return kind === 'session'
    ? terms.recordingKinds.sessions
    : terms.recordingKinds.voiceNotes !== null;
}

/**
 * The terms that govern one kind of recording: a voice note keeps by its own short terms (who may
 * listen, how long, revocation, the end of therapy); everything else is the consent's.
 */
export function termsForKind(
  terms: DeepReadonly<ConsentTerms>,
  kind: RecordingKind | undefined,
): DeepReadonly<ConsentTerms> {
  const voiceNotes = terms.recordingKinds?.voiceNotes;
  if (kind !== 'voice-note' || !voiceNotes) return terms;
  return {
    ...terms,
    whoMayPlay: { ...voiceNotes.whoMayPlay, namedOthers: [] },
    retentionDays: voiceNotes.retentionDays,
    termination: voiceNotes.termination,
    revocation: { ...terms.revocation, destroys: voiceNotes.revocationDestroys },
  };
}

/**
 * With several participants under terms that say so, a participant's revocation destroys every
 * session recording: each holds every participant's voice. A voice note keeps its own terms.
 */
function participantRevokedShared(
  terms: DeepReadonly<ConsentTerms>,
  state: DeepReadonly<Pick<ConsentState, 'revokedAt'>> & RevokedBy,
  kind: RecordingKind | undefined,
): boolean {
  return (
    kind !== 'voice-note' &&
    state.revokedAt !== null &&
    state.revokedBy?.role === 'client' &&
    terms.participantRevocation === 'destroys-shared-recordings' &&
    terms.participants.length > 1
  );
}

/** Whether the revocation on file destroys every recording of this kind, not only later ones. */
export function revocationDestroysAll(
  signedTerms: DeepReadonly<ConsentTerms>,
  state: DeepReadonly<Pick<ConsentState, 'revokedAt'>> & RevokedBy,
  kind?: RecordingKind,
): boolean {
  const terms = termsForKind(signedTerms, kind);
  return (
    terms.revocation.destroys === 'all-recordings' ||
    participantRevokedShared(signedTerms, state, kind)
  );
}

/** Who revoked, where the caller knows it: a participant's revocation can destroy more. */
interface RevokedBy {
  readonly revokedBy?: DeepReadonly<ConsentState['revokedBy']>;
}

function terminationEnd(terms: DeepReadonly<ConsentTerms>, therapyEndedAt: number): number {
  return terms.termination.action === 'destroy-now'
    ? therapyEndedAt
    : addDays(therapyEndedAt, terms.termination.days);
}

/**
 * The moment a recording must be destroyed: the earliest of its retention period, the end of
 * therapy (plus any review window), and a revocation that destroys all recordings. A recording
 * made at or after a future-only revocation was never covered, so it is due at once.
 */
export function destroyAfter(
  signedTerms: DeepReadonly<ConsentTerms>,
  state: DeepReadonly<Pick<ConsentState, 'revokedAt' | 'therapyEndedAt'>> & RevokedBy,
  recordedAt: number,
  kind?: RecordingKind,
): number {
  const terms = termsForKind(signedTerms, kind);
  let deadline = addDays(recordedAt, terms.retentionDays);
  if (state.therapyEndedAt !== null) {
    deadline = Math.min(deadline, terminationEnd(terms, state.therapyEndedAt));
  }
  if (state.revokedAt !== null) {
    const revokedDeadline = revocationDestroysAll(signedTerms, state, kind)
      ? state.revokedAt
      : // Recording is refused once revoked, so a recording in the same millisecond came first.
        recordedAt > state.revokedAt
        ? recordedAt
        : Infinity;
    deadline = Math.min(deadline, revokedDeadline);
  }
  return deadline;
}

/**
 * Who may listen, in one sentence written for the viewer ("You and your therapist may listen.").
 * Once therapy has ended only the client may, as decide() says.
 */
export function describeListeners(
  terms: DeepReadonly<ConsentTerms>,
  viewer: 'client' | 'therapist' = 'client',
  therapyEnded = false,
): string {
  const whoMayPlay = therapyEnded
    ? { client: terms.whoMayPlay.client, therapist: false, namedOthers: [] }
    : terms.whoMayPlay;
  const viewerMay = viewer === 'client' ? whoMayPlay.client : whoMayPlay.therapist;
  const otherSide = viewer === 'client' ? 'your therapist' : 'the client';
  const otherMay = viewer === 'client' ? whoMayPlay.therapist : whoMayPlay.client;
  const listeners = [...(viewerMay ? ['you'] : []), ...(otherMay ? [otherSide] : [])];
  const others = whoMayPlay.namedOthers.map((other) => `${other.name} (${other.relation})`);
  const main =
    listeners.length === 0
      ? others.length === 0
        ? 'No one may listen.'
        : ''
      : listeners.length === 1 && others.length === 0
        ? `Only ${listeners[0]} may listen.`
        : `${capitalize(joinWithAnd(listeners))} may listen.`;
  // Named others have no access of their own: they listen beside the client, in client review.
  const withClient =
    viewer === 'client' ? 'with you, in your review' : 'with the client, in review';
  const besides = others.length === 0 ? '' : `${joinWithAnd(others)} may listen ${withClient}.`;
  return [main, besides].filter(Boolean).join(' ');
}

/** One line for the library: who may listen, and when the recording will be destroyed. */
export function summarizeConsent(
  terms: DeepReadonly<ConsentTerms>,
  destroyAt: number,
  viewer: 'client' | 'therapist' = 'client',
  therapyEnded = false,
): string {
  return `${describeListeners(terms, viewer, therapyEnded)} Destroyed on ${formatDate(destroyAt)}.`;
}

function joinWithAnd(items: readonly string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// decide(): pure and deterministic. Every comparison is written so that a NaN or a missing value
// refuses (`!(now < deadline)`), because a broken input must never open a recording.

/** One reason: its code for the program, its sentence for the person. */
interface Why {
  code: DecisionCode;
  text: string;
}
const why = (code: DecisionCode, text: string): Why => ({ code, text });
const KIND_REFUSED: Record<RecordingKind, Why> = {
  session: why(
    'sessions-not-allowed',
    'The client agreed to closing voice notes only, not to recording whole sessions. Record a closing voice note instead, or sign new terms together.',
  ),
  'voice-note': why(
    'voice-notes-not-allowed',
    'The signed consent does not allow closing voice notes. Sign new terms together that allow them.',
  ),
};

const NOT_SIGNED = why('not-signed', 'Not every participant has signed yet.');
const NO_CONSENT = why('no-consent', 'There is no signed consent for this client.');
const MISMATCH = why(
  'mismatch',
  'This recording does not match the consent on file, so it stays locked.',
);
const OTHER_CLIENT = why('other-client', 'This recording belongs to another client.');

const decision = (allow: boolean, whys: readonly Why[]): Decision => ({
  allow,
  reasons: whys.map((w) => w.text),
  codes: whys.map((w) => w.code),
});
const allowed = (whys: Why[]): Decision => decision(true, whys);
const refused = (whys: Why[]): Decision => decision(false, whys);

const knownRoles: readonly string[] = ['therapist', 'client', 'auditor', 'system'];

type Subject = DeepReadonly<DecisionSubject>;
type Terms = DeepReadonly<ConsentTerms>;
type Recording = DeepReadonly<RecordingSubject>;

export function decide(
  action: ConsentAction,
  actor: DeepReadonly<Actor>,
  subject: Subject | null,
  now: number,
): Decision {
  if (!Number.isFinite(now)) {
    return refused([
      why('clock-invalid', 'The clock reading is not valid, so nothing is allowed.'),
    ]);
  }
  // The type says the role is known; a value from outside may still lie, so refuse it here.
  if (!knownRoles.includes(actor.role)) {
    return refused([why('role-unknown', 'That role is not known, so nothing is allowed.')]);
  }
  switch (action) {
    case 'record':
      return decideRecord(actor, subject, now);
    case 'play':
      return decidePlay(actor, subject, now);
    case 'list':
      return decideList(actor, subject);
    case 'destroy':
      return decideDestroy(actor, subject, now);
    case 'export-log':
      return decideExportLog(actor);
    default:
      return refused([why('action-unknown', 'That action is not known, so it is not allowed.')]);
  }
}

function signingReasons(terms: Terms): Why[] {
  const missing = missingSignatures(terms);
  return missing.length === 0
    ? []
    : [NOT_SIGNED, why('not-signed', `Still to sign: ${joinWithAnd(missing)}.`)];
}

/** The consent on file must be this client's, and the recording must have been made under it. */
function matchesConsent(subject: Subject, terms: Terms, recording: Recording | null): boolean {
  if (terms.clientId !== subject.clientId) return false;
  if (recording === null) return true;
  return (
    recording.clientId === subject.clientId &&
    recording.consentId === terms.consentId &&
    recording.consentVersion <= terms.version
  );
}

function isOwnClient(actor: DeepReadonly<Actor>, subject: Subject): boolean {
  if (actor.role !== 'client') return false;
  const recordingClient = subject.recording?.clientId ?? subject.clientId;
  return actor.clientId === subject.clientId && actor.clientId === recordingClient;
}

function revokedReason(revokedAt: number): Why {
  return why('revoked', `Consent was revoked on ${formatDate(revokedAt)}.`);
}

function participantRevokedReason(revokedAt: number): Why {
  return why(
    'revoked',
    `One of the people in the sessions revoked consent on ${formatDate(revokedAt)}. Each session recording holds everyone’s voice, so every one is destroyed.`,
  );
}

function keptForReviewReason(terms: Terms, therapyEndedAt: number): Why {
  const days = terms.termination.action === 'keep-for-review' ? terms.termination.days : 0;
  return why(
    'review-window-ended',
    `Therapy ended on ${formatDate(therapyEndedAt)} and the terms keep recordings ` +
      `${formatDays(days)} for review, until ${formatDate(terminationEnd(terms, therapyEndedAt))}.`,
  );
}

function destroyedOnEndReason(therapyEndedAt: number): Why {
  return why(
    'destroyed-at-end',
    `Therapy ended on ${formatDate(therapyEndedAt)} and the terms destroy recordings when therapy ends.`,
  );
}

function retentionReason(terms: Terms, recording: Recording): Why {
  const kept = `Kept for ${formatDays(terms.retentionDays)}`;
  const text =
    recording.destroyedAt === null
      ? `${kept}: this recording was due to be destroyed on ${formatDate(addDays(recording.recordedAt, terms.retentionDays))}.`
      : `${kept}: this recording was destroyed on ${formatDate(recording.destroyedAt)}.`;
  return why('retention-ended', text);
}

function madeAfterRevocationReason(revokedAt: number): Why {
  return why(
    'made-after-revocation',
    `This recording was made after consent was revoked on ${formatDate(revokedAt)}.`,
  );
}

/** Why a recording's time is over at `now`, one sentence per deadline already reached. */
function deadlineReasons(
  terms: Terms,
  state: DeepReadonly<ConsentState>,
  recording: Recording,
  now: number,
): Why[] {
  const reasons: Why[] = [];
  if (!(now < addDays(recording.recordedAt, terms.retentionDays))) {
    reasons.push(retentionReason(terms, recording));
  }
  if (state.therapyEndedAt !== null && !(now < terminationEnd(terms, state.therapyEndedAt))) {
    reasons.push(
      terms.termination.action === 'destroy-now'
        ? destroyedOnEndReason(state.therapyEndedAt)
        : keptForReviewReason(terms, state.therapyEndedAt),
    );
  }
  if (state.revokedAt !== null) {
    if (terms.revocation.destroys === 'all-recordings')
      reasons.push(revokedReason(state.revokedAt));
    else if (participantRevokedShared(terms, state, recording.kind))
      reasons.push(participantRevokedReason(state.revokedAt));
    else if (!(recording.recordedAt <= state.revokedAt)) {
      reasons.push(madeAfterRevocationReason(state.revokedAt));
    }
  }
  const deadline = destroyAfter(terms, state, recording.recordedAt, recording.kind);
  if (reasons.length === 0 && !(now < deadline)) {
    reasons.push(
      why('kept-until-ended', `This recording’s time to be kept ended on ${formatDate(deadline)}.`),
    );
  }
  return reasons;
}

function decideRecord(actor: DeepReadonly<Actor>, subject: Subject | null, now: number): Decision {
  const reasons: Why[] = [];
  if (actor.role !== 'therapist') {
    reasons.push(why('therapist-only', 'Only the therapist can start a recording.'));
  }
  if (subject === null)
    return refused([...reasons, why('no-subject', 'Choose a client to record.')]);
  const { terms, revokedAt, therapyEndedAt } = subject.consent;
  if (terms === null) return refused([...reasons, NO_CONSENT]);
  if (!matchesConsent(subject, terms, null)) reasons.push(MISMATCH);
  reasons.push(...signingReasons(terms));
  if (revokedAt !== null) reasons.push(revokedReason(revokedAt));
  if (therapyEndedAt !== null) {
    reasons.push(
      why(
        'therapy-ended',
        `Therapy ended on ${formatDate(therapyEndedAt)}, so no new recordings can be made.`,
      ),
    );
  }
  const kind = subject.recordingKind ?? 'session';
  // Only when nothing else stands in the way, so it never suggests what is refused anyway.
  if (reasons.length === 0 && !allowsKind(terms, kind)) reasons.push(KIND_REFUSED[kind]);
  if (reasons.length > 0) return refused(reasons);
  return allowed([
    why('in-force', 'Everyone has signed and the consent is in force.'),
    why(
      'destroyed-on',
      `A ${kind === 'voice-note' ? 'voice note' : 'recording'} made now will be destroyed on ${formatDate(destroyAfter(terms, subject.consent, now, kind))}.`,
    ),
  ]);
}

function decidePlay(actor: DeepReadonly<Actor>, subject: Subject | null, now: number): Decision {
  if (actor.role === 'auditor') {
    return refused([
      why('auditor', 'An auditor can read the access log but never listen to recordings.'),
    ]);
  }
  if (actor.role === 'system') {
    return refused([why('system', 'Session Vault itself never plays recordings.')]);
  }
  const recording = subject?.recording ?? null;
  if (subject === null || recording === null) {
    return refused([why('no-subject', 'Choose a recording to play.')]);
  }

  const reasons: Why[] = [];
  if (actor.role === 'client' && !isOwnClient(actor, subject)) reasons.push(OTHER_CLIENT);
  const state = subject.consent;
  const terms = state.terms && termsForKind(state.terms, recording.kind);
  if (terms === null) {
    if (recording.destroyedAt !== null) {
      reasons.push(
        why('destroyed', `This recording was destroyed on ${formatDate(recording.destroyedAt)}.`),
      );
    }
    return refused([...reasons, NO_CONSENT]);
  }
  if (!matchesConsent(subject, terms, recording)) return refused([...reasons, MISMATCH]);
  reasons.push(...signingReasons(terms));

  if (actor.role === 'client' && !terms.whoMayPlay.client) {
    reasons.push(
      why('not-listed', 'The consent does not list the client as someone who may listen.'),
    );
  }
  if (actor.role === 'therapist' && !terms.whoMayPlay.therapist) {
    reasons.push(
      why('not-listed', 'The consent does not list the therapist as someone who may listen.'),
    );
  }
  // Once therapy ends, only the client may listen, and only inside the review window.
  if (state.therapyEndedAt !== null) {
    if (terms.termination.action === 'destroy-now') {
      reasons.push(destroyedOnEndReason(state.therapyEndedAt));
    } else if (actor.role !== 'client') {
      reasons.push(
        why(
          'therapy-ended',
          `Therapy ended on ${formatDate(state.therapyEndedAt)}. After therapy ends, only the client may listen.`,
        ),
      );
    }
  }
  const retentionOver = !(now < addDays(recording.recordedAt, terms.retentionDays));
  if (recording.destroyedAt !== null) {
    // Past retention, the retention sentence also says when it was destroyed.
    reasons.push(
      retentionOver
        ? retentionReason(terms, recording)
        : why('destroyed', `This recording was destroyed on ${formatDate(recording.destroyedAt)}.`),
    );
  }
  for (const reason of deadlineReasons(terms, state, recording, now)) {
    if (!reasons.some((r) => r.text === reason.text)) reasons.push(reason);
  }
  if (reasons.length > 0) return refused(reasons);

  const who = actor.role === 'client' ? 'the client' : 'the therapist';
  return allowed([
    why('listed', `The consent lists ${who} as someone who may listen.`),
    why(
      'destroyed-on',
      `This recording will be destroyed on ${formatDate(destroyAfter(terms, state, recording.recordedAt, recording.kind))}.`,
    ),
  ]);
}

function decideList(actor: DeepReadonly<Actor>, subject: Subject | null): Decision {
  switch (actor.role) {
    case 'auditor':
      return refused([
        why('auditor', 'An auditor can read the access log but not see recordings.'),
      ]);
    case 'system':
      return refused([why('system', 'Session Vault itself does not browse the library.')]);
    case 'therapist':
      return subject === null
        ? refused([why('no-subject', 'Choose a client.')])
        : allowed([why('therapist', 'The therapist can see the recordings of every client.')]);
    case 'client':
      if (subject === null) return refused([why('no-subject', 'Choose a client.')]);
      return isOwnClient(actor, subject)
        ? allowed([why('own-client', 'A client can see their own recordings.')])
        : refused([why('other-client', 'A client can see only their own recordings.')]);
  }
}

function decideDestroy(actor: DeepReadonly<Actor>, subject: Subject | null, now: number): Decision {
  if (actor.role === 'auditor') {
    return refused([
      why('auditor', 'An auditor can read the access log but never destroy recordings.'),
    ]);
  }
  const recording = subject?.recording ?? null;
  if (subject === null || recording === null) {
    return refused([why('no-subject', 'Choose a recording to destroy.')]);
  }
  if (recording.destroyedAt !== null) {
    return allowed([
      why(
        'destroyed',
        `This recording was destroyed on ${formatDate(recording.destroyedAt)}. Anything left of it can be cleared.`,
      ),
    ]);
  }
  if (actor.role === 'therapist') {
    return allowed([why('therapist', 'The therapist may destroy a recording at any time.')]);
  }
  if (actor.role === 'client') {
    return isOwnClient(actor, subject)
      ? allowed([why('own-client', 'A client may destroy their own recordings at any time.')])
      : refused([OTHER_CLIENT]);
  }
  // The sweeper: destruction cannot be undone, so it acts only on a deadline it can prove.
  const terms = subject.consent.terms && termsForKind(subject.consent.terms, recording.kind);
  if (terms === null) {
    return refused([
      why(
        'no-consent',
        'There is no consent on file, so Session Vault cannot tell when to destroy this recording. Ask the therapist.',
      ),
    ]);
  }
  if (!matchesConsent(subject, terms, recording)) return refused([MISMATCH]);
  const deadline = destroyAfter(terms, subject.consent, recording.recordedAt, recording.kind);
  const revokedAll =
    subject.consent.revokedAt !== null &&
    revocationDestroysAll(terms, subject.consent, recording.kind);
  if (revokedAll || !(now < deadline)) {
    return allowed(deadlineReasons(terms, subject.consent, recording, now));
  }
  return refused([why('kept-until', `This recording is kept until ${formatDate(deadline)}.`)]);
}

function decideExportLog(actor: DeepReadonly<Actor>): Decision {
  switch (actor.role) {
    case 'auditor':
      return allowed([why('auditor', 'An auditor may export the access log.')]);
    case 'therapist':
      return allowed([why('therapist', 'The therapist may export the access log.')]);
    case 'client':
      return refused([why('client', 'A client cannot export the access log.')]);
    case 'system':
      return refused([
        why('system', 'Exporting the access log is for a person: the auditor or the therapist.'),
      ]);
  }
}
