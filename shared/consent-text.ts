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

const talkedThroughWords: Partial<Record<RecordingReason, string>> = {
  'share-with-family': 'wanting family to hear a session',
  'ai-tools': 'using recordings with AI tools',
  'legal-evidence': 'keeping recordings as legal evidence',
};

/** Reasons the recording cannot serve as the client hopes: the therapist talks them through. */
export const reasonsToTalkThrough: readonly RecordingReason[] = [
  'share-with-family',
  'ai-tools',
  'legal-evidence',
];

export const talkThroughNote =
  'Please talk this through with your therapist first. Recordings stay in Session Vault on this ' +
  'laptop and cannot be sent or exported, so they cannot be given to family, used with other apps ' +
  'or handed to a court. Family members you name in step 3 may still listen with you, here, during ' +
  'your review, and must keep what they hear private.';

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

/** What "part of the clinical record" means for keeping a recording and for a copy. */
export function clinicalRecordSentence(part: boolean): string {
  return part
    ? 'Recordings are part of your clinical record while they exist: your therapist may use them in your care, and a request to see your record includes them. They are still destroyed on the dates in this consent. The written notes of your record are kept for as long as the practice must keep records; recordings are not.'
    : 'Recordings are not part of your clinical record: your therapist’s written notes are, and they are kept for as long as the practice must keep records. Recordings are destroyed on the dates in this consent.';
}

export const whereKeptLines: readonly string[] = [
  'Recordings are kept in Session Vault on this laptop only, encrypted: only this app, opened with the therapist’s passphrase or your PIN, can play them.',
  'They cannot be sent, exported or played anywhere else.',
  'So that a broken laptop does not lose them, the practice may keep an encrypted backup of the whole vault, stored safely. A backup opens only with the practice’s passphrase. It still holds a recording destroyed after the backup was made, until the backup itself is deleted. If a backup is ever put back on this laptop, Session Vault destroys those recordings again before anything can play.',
  'Everyone agrees not to share or copy the recordings.',
];

export const lostLaptopLines: readonly string[] = [
  'If this laptop is lost or stolen, the recordings on it stay encrypted: without the therapist’s passphrase, or your PIN on this laptop, they cannot be played.',
  'The practice still treats a lost or stolen laptop as a possible breach of your privacy. It will tell you in writing, as soon as it can and within the time the law sets, what happened and what it means for you, and report it where the law requires.',
];

export const practiceEndsLines: readonly string[] = [
  'Recordings are never passed to another therapist or practice.',
  'If your therapist leaves the practice, or the practice closes, therapy with them ends: recordings are then handled as this consent says for the end of therapy, and your therapist tells you before.',
];

export const copyRightLines: readonly string[] = [
  'You have the right to see your health information and to ask for a copy of it.',
  'For recordings, this practice answers by letting you listen to them in your review on this laptop, for as long as they are kept. Session Vault cannot make a copy of a recording to take away; if you ask for one, your therapist will talk with you about another way, such as a written summary.',
  'This consent, and the written notes of your record, can be printed for you.',
];

export const listenersPrivateText =
  'Anyone who listens beside the client, as this consent allows, must keep what they hear private: not repeat it, record it or tell others.';

/** Who signs for the client: themselves, a parent for a minor, or a guardian. */
export function representativeLines(
  terms: Pick<TermsWording, 'participants' | 'representative'>,
): string[] {
  const client = terms.participants[0]?.displayName ?? 'The client';
  const rule =
    'A client under 18 is signed for by a parent or someone with parental responsibility; a client with a guardian is signed for by the guardian. The client is still asked, in their own words, and their wishes count.';
  const who = terms.representative;
  if (who === undefined) return [rule];
  if (who === null) return [`${client} signs for themselves.`, rule];
  return [
    who.signsFor === 'minor'
      ? `${client} is under 18, so ${who.name} (${who.relation}) signs for them.`
      : `${client} has a guardian, ${who.name} (${who.relation}), who signs for them.`,
    rule,
  ];
}

/** Each participant's own right to revoke, and what one revocation does to shared recordings. */
export function participantRevocationLines(
  terms: Pick<TermsWording, 'participants' | 'participantRevocation'>,
): string[] {
  if (terms.participants.length < 2) return [];
  if (terms.participantRevocation !== 'destroys-shared-recordings')
    return [
      'Each person in the sessions can revoke consent. A revocation by any one of them does to every recording what is written above.',
    ];
  return [
    'Each person in the sessions can revoke their own consent at any time, on their own, in the review on this laptop.',
    'Every session recording holds all of your voices. So when any one of you revokes, no more sessions are recorded, and every session recording is destroyed at once, for everyone. Voice notes follow their own terms.',
    'When the therapist revokes, recordings are treated as written above.',
  ];
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
  // Sharing, AI tools and evidence are reasons talked through, never purposes the form allows.
  const chosen = reasons.chosen
    .filter((reason) => reason !== 'other' && !reasonsToTalkThrough.includes(reason))
    .map((r) => reasonLabels[r]);
  const talkedAbout = reasons.chosen
    .filter((reason) => reasonsToTalkThrough.includes(reason))
    .map((r) => talkedThroughWords[r] ?? reasonLabels[r].toLowerCase());
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
        ...(talkedAbout.length > 0
          ? [
              `We also talked about ${joinWithAnd(talkedAbout)}. Recordings cannot be used for that: they stay in Session Vault on this laptop and cannot be sent or exported.`,
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
        listenersPrivateText,
      ],
    },
    {
      id: 'where',
      title: 'Where recordings are kept',
      lines: [...whereKeptLines],
    },
    {
      id: 'lost-laptop',
      title: 'If this laptop is lost or stolen',
      lines: [...lostLaptopLines],
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
        ...participantRevocationLines(terms),
      ],
    },
    {
      id: 'practice-ends',
      title: 'If your therapist leaves or the practice closes',
      lines: [...practiceEndsLines],
    },
    {
      id: 'clinical-record',
      title: 'Your clinical record, and a copy of it',
      lines: [clinicalRecordSentence(terms.partOfClinicalRecord), ...copyRightLines],
    },
    {
      id: 'who-signs',
      title: 'Who signs',
      lines: representativeLines(terms),
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
