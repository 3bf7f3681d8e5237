// The consent terms in plain words, written once so the wizard, the printed consent and the tests
// say exactly the same thing. Short sentences, for a 12-year-old reader.
import type { ConsentTerms, RecordingReason } from './consent-terms';
import { DAY_MS, formatDate, formatDays } from './format';

/** The terms as the wizard builds them and the document prints them: no ids, no version. */
export type TermsWording = Omit<ConsentTerms, 'consentId' | 'version' | 'clientId'>;

export const reasonLabels: Record<RecordingReason, string> = {
  review: 'To listen again to what we talked about',
  memory: 'To help remember the session',
  'share-with-family': 'To share with family',
  'ai-tools': 'To use with AI tools',
  'legal-evidence': 'To keep as legal evidence',
  other: 'Something else',
};

/** Reasons the recording cannot serve as the client hopes: the therapist talks them through. */
export const reasonsToTalkThrough: readonly RecordingReason[] = [
  'share-with-family',
  'ai-tools',
  'legal-evidence',
];

export const talkThroughNote =
  'Please talk this through with your therapist first. Recordings stay on this laptop and ' +
  'cannot be copied, sent or exported, so they cannot be shared, used with other apps or handed to a court. ' +
  'Family members you name in step 3 may still listen with you, here, during your review.';

export const defaultLimitsText =
  'Recordings are only for listening again, on this laptop, to help remember and think about ' +
  'our sessions. They are not for sharing, posting, other apps or court.';

export const risks: readonly string[] = [
  'Someone could hear a recording if this laptop is left unlocked or a PIN is shared.',
  'Hearing a session again can bring back strong feelings. You can stop listening at any time.',
  'While a recording exists, a court could order it to be handed over.',
  'Knowing you are recorded can change what you feel able to say.',
];

export const alternativeWords = {
  writtenTakeaways:
    'Written takeaways: at the end of a session we write down together what you want to remember.',
  closingVoiceNote:
    'A closing voice note: at the end of a session you record up to 2 minutes in your own voice. ' +
    'It holds only what you choose to say, not the session.',
} as const;

export const careNotConditionalText =
  'Your care does not depend on agreeing to record. You can say no, or change your mind later.';

export const pinWhyText =
  'A 6-digit PIN is enough because it only works on this laptop: it is mixed with a secret kept ' +
  'in this laptop’s keychain, and after 10 wrong tries only the therapist can unlock it.';

export const newLaptopText = 'On a new laptop, your therapist sets you up again.';

/** One heading and its sentences; the wizard's review, the printed consent and the tests use these. */
export interface TermsSection {
  id: string;
  title: string;
  lines: string[];
}

function joinWithAnd(items: readonly string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** "Alex Example and Sam Example". */
export function participantNames(terms: Pick<TermsWording, 'participants'>): string {
  return joinWithAnd(terms.participants.map((p) => p.displayName));
}

/** Who may listen, in the third person, for a document that everyone reads. */
export function listenersSentence(terms: Pick<TermsWording, 'whoMayPlay'>): string {
  const { whoMayPlay } = terms;
  const listeners = [
    ...(whoMayPlay.client ? ['the client'] : []),
    ...(whoMayPlay.therapist ? ['the therapist'] : []),
  ];
  const others = whoMayPlay.namedOthers.map((other) => `${other.name} (${other.relation})`);
  if (listeners.length === 0 && others.length === 0) return 'No one may listen.';
  const sentence =
    listeners.length === 0 ? '' : `${joinWithAnd(listeners)} may listen, on this laptop only.`;
  const besides =
    others.length === 0
      ? ''
      : ` ${joinWithAnd(others)} may listen only together with the client, during the client’s review on this laptop; they have no access of their own.`;
  return (sentence.charAt(0).toUpperCase() + sentence.slice(1) + besides).trim();
}

export function retentionSentence(days: number): string {
  return `Each recording is destroyed ${formatDays(days)} after it is made.`;
}

export function terminationSentence(termination: TermsWording['termination']): string {
  return termination.action === 'destroy-now'
    ? 'When therapy ends, every recording is destroyed at once.'
    : `When therapy ends, recordings are kept ${formatDays(termination.days)} more so the client can listen again, and are then destroyed.`;
}

export function revocationSentence(destroys: TermsWording['revocation']['destroys']): string {
  return destroys === 'all-recordings'
    ? 'Revoking consent destroys every recording at once and stops new ones.'
    : 'Revoking consent stops new recordings. Recordings already made are kept until their end date.';
}

export const revocableText =
  'The client or the therapist can revoke consent at any time. It is as easy as signing.';

export function clinicalRecordSentence(part: boolean): string {
  return part
    ? 'Recordings are part of the clinical record.'
    : 'Recordings are not part of the clinical record.';
}

/** What may be recorded, and a voice note's own short terms, in plain words. */
export function recordingKindLines(kinds: TermsWording['recordingKinds']): string[] {
  // Terms signed before the choice existed allowed whole sessions only.
  if (!kinds)
    return ['Whole sessions may be recorded. Closing voice notes are not part of this consent.'];
  const notes = kinds.voiceNotes;
  const what = kinds.sessions
    ? notes
      ? 'Whole sessions and closing voice notes may be recorded.'
      : 'Whole sessions may be recorded. Closing voice notes are not part of this consent.'
    : 'Only closing voice notes may be recorded: whole sessions are never recorded.';
  if (!notes) return [what];
  const listeners =
    notes.whoMayPlay.client && notes.whoMayPlay.therapist
      ? 'The client and the therapist may listen to a voice note.'
      : notes.whoMayPlay.client
        ? 'Only the client may listen to a voice note.'
        : 'Only the therapist may listen to a voice note.';
  return [
    what,
    'A closing voice note is up to 2 minutes in the client’s own voice, at the end of a session. It stops by itself at 2 minutes.',
    listeners,
    `Each voice note is kept ${formatDays(notes.retentionDays)}, then destroyed.`,
    notes.termination.action === 'destroy-now'
      ? 'When therapy ends, every voice note is destroyed at once.'
      : `When therapy ends, voice notes are kept ${formatDays(notes.termination.days)} more so the client can listen again, and are then destroyed.`,
    notes.revocationDestroys === 'all-recordings'
      ? 'Revoking consent destroys every voice note at once.'
      : 'Revoking consent stops new voice notes; those already made are kept until their end date.',
  ];
}

/** Every term, in the order the wizard walks through them. */
export function describeTerms(terms: TermsWording): TermsSection[] {
  const reasons = terms.reasonsForRecording;
  const chosen = reasons.chosen.filter((reason) => reason !== 'other').map((r) => reasonLabels[r]);
  const talked = reasons.chosen.some((reason) => reasonsToTalkThrough.includes(reason));
  const alternatives = [
    ...(terms.alternativesOffered.writtenTakeaways ? [alternativeWords.writtenTakeaways] : []),
    ...(terms.alternativesOffered.closingVoiceNote ? [alternativeWords.closingVoiceNote] : []),
  ];
  return [
    {
      id: 'reasons',
      title: 'Why we record',
      lines: [
        ...chosen.map((label) => `${label}.`),
        ...(reasons.chosen.includes('other') ? [`Another reason: ${reasons.otherText}`] : []),
        ...(talked
          ? [
              'We talked through sharing, AI tools and legal evidence: recordings stay on this laptop and cannot be exported.',
            ]
          : []),
      ],
    },
    {
      id: 'kinds',
      title: 'What may be recorded',
      lines: recordingKindLines(terms.recordingKinds),
    },
    {
      id: 'purpose',
      title: 'What recordings are for',
      lines: ['Recordings are for the client’s personal review only.', terms.purpose.limitsText],
    },
    {
      id: 'listeners',
      title: 'Who may listen',
      lines: [
        `People in the sessions: ${participantNames(terms)}.`,
        listenersSentence(terms),
        'No one else may listen.',
      ],
    },
    {
      id: 'where',
      title: 'Where recordings are kept',
      lines: [
        'Recordings stay on this laptop only, locked. They cannot be copied, sent or exported.',
        'Everyone agrees not to share or copy the recordings.',
      ],
    },
    {
      id: 'retention',
      title: 'How long recordings are kept',
      lines: [retentionSentence(terms.retentionDays)],
    },
    {
      id: 'ending',
      title: 'When therapy ends, or consent is revoked',
      lines: [
        terminationSentence(terms.termination),
        revocableText,
        revocationSentence(terms.revocation.destroys),
      ],
    },
    {
      id: 'risks',
      title: 'Risks and other choices',
      lines: [
        ...risks,
        'These risks were explained.',
        ...(alternatives.length > 0
          ? ['Offered instead of, or as well as, recording:', ...alternatives]
          : ['No other choices were offered.']),
        careNotConditionalText,
        clinicalRecordSentence(terms.partOfClinicalRecord),
      ],
    },
  ];
}

/** "abc123def456": the start of a fingerprint, enough to compare by eye. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

/** "4:05", or "1:02:05" past an hour. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0
    ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`
    : `${minutes}:${seconds}`;
}

/** "1:30" or "90" (seconds) to milliseconds; null when it is not a time. */
export function parseMinutesSeconds(text: string): number | null {
  const match = /^\s*(?:(\d{1,3}):)?(\d{1,2}|\d+)\s*$/.exec(text);
  if (!match) return null;
  const minutes = match[1] === undefined ? 0 : Number(match[1]);
  const seconds = Number(match[2]);
  if (match[1] !== undefined && seconds > 59) return null;
  return (minutes * 60 + seconds) * 1000;
}

/** "Destroyed in 12 days, on 3 Jan 2027." */
export function destroyCountdown(destroyAfter: number, now: number): string {
  const days = Math.ceil((destroyAfter - now) / DAY_MS);
  if (days <= 0) return `Due to be destroyed now (${formatDate(destroyAfter)}).`;
  return `Destroyed in ${formatDays(days)}, on ${formatDate(destroyAfter)}.`;
}

/** "Destroyed on 14 Mar 2025 because consent was revoked." */
export function destroyedSentence(destroyedAt: number, reason: string | null): string {
  const why = (reason ?? '').replace(/\s*\(sweep:[^)]*\)\s*$/, '').trim();
  const when = `Destroyed on ${formatDate(destroyedAt)}`;
  if (why === '') return `${when}.`;
  if (why === 'destroyed on request') return `${when}, on request.`;
  return `${when} because ${why}.`;
}
