// The consent form as data: zod schemas for signed terms, the life events of a consent, the
// recording a decision is about, and who is asking. Messages are sentences a person can act on.
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Schemas: every message is a sentence the person filling in the form can act on.

const MAX_MS_EPOCH = 8_640_000_000_000_000;
// A row number: below 2^31, like every seq and version the vault stores.
const MAX_VERSION = 2 ** 31 - 1;
const hex64 = /^[0-9a-f]{64}$/;
// Only path commands, numbers and separators: a drawn signature can never carry markup or script.
const svgPathData = /^[MmLlHhVvCcSsQqTtAaZz0-9eE.,+\-\s]+$/;

const id = z.string().min(1, 'An id is missing.').max(128, 'That id is too long.');
const personName = z
  .string()
  .trim()
  .min(1, 'Write a name.')
  .max(120, 'Use at most 120 characters.');
const moment = z
  .number()
  .int('A time must be a whole number of milliseconds.')
  .min(0, 'That time is before 1970.')
  .max(MAX_MS_EPOCH, 'That time is too far in the future.');

export const participantSchema = z.strictObject({ participantId: id, displayName: personName });

export const recordingReasonSchema = z.enum([
  'review',
  'memory',
  'share-with-family',
  'ai-tools',
  'legal-evidence',
  'other',
]);
export type RecordingReason = z.infer<typeof recordingReasonSchema>;

const reasonsForRecordingSchema = z
  .strictObject({
    chosen: z
      .array(recordingReasonSchema)
      .min(1, 'Choose at least one reason for recording.')
      .max(6, 'Choose each reason once.'),
    otherText: z.string().trim().max(500, 'Use at most 500 characters.'),
  })
  .superRefine((value, ctx) => {
    if (new Set(value.chosen).size !== value.chosen.length) {
      ctx.addIssue({ code: 'custom', path: ['chosen'], message: 'Choose each reason once.' });
    }
    if (value.chosen.includes('other') && value.otherText === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['otherText'],
        message: 'Say in a few words what the other reason is.',
      });
    }
  });

const namedOtherSchema = z.strictObject({
  name: personName,
  relation: z
    .string()
    .trim()
    .min(1, 'Say how this person is related to the client.')
    .max(60, 'Use at most 60 characters.'),
});

const keepDaysMessage = 'Keep recordings after therapy ends for between 1 and 365 days.';
const terminationSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('destroy-now') }),
  z.strictObject({
    action: z.literal('keep-for-review'),
    days: z.number().int(keepDaysMessage).min(1, keepDaysMessage).max(365, keepDaysMessage),
  }),
]);

const retentionMessage = 'Keep recordings for between 1 day and 10 years.';

export const recordingKindSchema = z.enum(['session', 'voice-note']);
export type RecordingKind = z.infer<typeof recordingKindSchema>;

const voiceNoteRetentionMessage = 'Keep voice notes for between 1 day and 10 years.';
/** A closing voice note's own short terms: who may listen, how long kept, revocation, the end. */
export const voiceNoteTermsSchema = z.strictObject({
  whoMayPlay: z.strictObject({ client: z.boolean(), therapist: z.boolean() }),
  retentionDays: z
    .number()
    .int('Keep voice notes for a whole number of days.')
    .min(1, voiceNoteRetentionMessage)
    .max(3650, voiceNoteRetentionMessage),
  termination: terminationSchema,
  revocationDestroys: z.enum(['all-recordings', 'future-only'], {
    error: 'Choose what revoking consent does to voice notes.',
  }),
});
export type VoiceNoteTerms = z.infer<typeof voiceNoteTermsSchema>;

export const drawnSignatureSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('svg-path'),
    d: z
      .string()
      .min(1, 'Draw your signature, or type your name only.')
      .max(200_000, 'The drawn signature is too large.')
      .regex(svgPathData, 'The drawn signature is not a plain line drawing.'),
  }),
  z.strictObject({
    kind: z.literal('sha256'),
    hash: z.string().regex(hex64, 'The signature fingerprint must be 64 lowercase hex characters.'),
  }),
]);

export const signatureSchema = z.strictObject({
  signerId: id,
  role: z.enum(['participant', 'therapist']),
  typedName: z
    .string()
    .trim()
    .min(1, 'Type your name to sign.')
    .max(120, 'Use at most 120 characters.'),
  signedAt: moment,
  drawnSignature: drawnSignatureSchema,
});
export type Signature = z.infer<typeof signatureSchema>;

export const representativeSchema = z.strictObject({
  signsFor: z.enum(['minor', 'guardian'], {
    error: 'Choose whether the client is under 18 or has a guardian.',
  }),
  name: personName,
  relation: z
    .string()
    .trim()
    .min(1, 'Say how this person is related to the client.')
    .max(60, 'Use at most 60 characters.'),
});
export type Representative = z.infer<typeof representativeSchema>;

const mustAgree = (message: string) => z.literal(true, { error: message });

/** The terms without the cross-field checks, so a draft (without ids) can be derived from it. */
export const consentTermsObject = z.strictObject({
  consentId: id,
  version: z
    .number()
    .int('The version must be a whole number.')
    .min(1, 'The first version is 1.')
    .max(MAX_VERSION, 'That version number is too large.'),
  clientId: id,
  participants: z
    .array(participantSchema)
    .min(1, 'Add the person being recorded.')
    .max(8, 'A session can have at most 8 participants.'),
  purpose: z.strictObject({
    kind: z.literal('personal-review', {
      error: 'Recordings can only be for the client’s personal review.',
    }),
    limitsText: z
      .string()
      .trim()
      .min(1, 'Write what personal review allows and what it does not.')
      .max(4000, 'Use at most 4000 characters.'),
  }),
  reasonsForRecording: reasonsForRecordingSchema,
  whoMayPlay: z.strictObject({
    client: z.boolean(),
    therapist: z.boolean(),
    namedOthers: z.array(namedOtherSchema).max(8, 'Name at most 8 other people.'),
  }),
  onThisDeviceOnly: mustAgree('Recordings stay on this laptop only.'),
  retentionDays: z
    .number()
    .int('Keep recordings for a whole number of days.')
    .min(1, retentionMessage)
    .max(3650, retentionMessage),
  termination: terminationSchema,
  revocation: z.strictObject({
    destroys: z.enum(['all-recordings', 'future-only'], {
      error: 'Choose what revoking consent destroys.',
    }),
    // Not a choice: revoking is always open to both, so it can never be signed away.
    revocableBy: z.strictObject({
      client: mustAgree('The client can always revoke consent.'),
      therapist: mustAgree('The therapist can always revoke consent.'),
    }),
  }),
  acknowledgements: z.strictObject({
    noSharing: mustAgree('Tick the box to agree not to share or copy the recordings.'),
    risksUnderstood: mustAgree('Tick the box to show the risks of recording were explained.'),
    careNotConditional: mustAgree(
      'Tick the box to show that care does not depend on agreeing to record.',
    ),
  }),
  alternativesOffered: z.strictObject({
    writtenTakeaways: z.boolean(),
    closingVoiceNote: z.boolean(),
  }),
  partOfClinicalRecord: z.boolean(),
  /**
   * What may be recorded. Absent in terms signed before voice notes could be recorded: those
   * allowed full sessions only (their voice-note tick was an offer, never a permission).
   */
  recordingKinds: z
    .strictObject({ sessions: z.boolean(), voiceNotes: voiceNoteTermsSchema.nullable() })
    .optional(),
  /**
   * Who signs for a client who cannot sign alone: a minor's parent, or a guardian. Absent in terms
   * signed before the form asked; null when the client signs for themselves.
   */
  representative: representativeSchema.nullable().optional(),
  /**
   * Set in every consent signed since the form said it: with several participants, a revocation by
   * any of them destroys every session recording at once, since each holds every participant's
   * voice. Absent in older terms, whose revocation keeps meaning what they said.
   */
  participantRevocation: z.literal('destroys-shared-recordings').optional(),
  policyVersionHash: z
    .string()
    .regex(hex64, 'The practice policy fingerprint must be 64 lowercase hex characters.'),
  signatures: z.array(signatureSchema).max(9, 'There are more signatures than people.'),
});

export const consentTermsSchema = consentTermsObject.superRefine((terms, ctx) => {
  const participantIds = new Set(terms.participants.map((p) => p.participantId));
  if (participantIds.size !== terms.participants.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['participants'],
      message: 'Each participant needs their own id.',
    });
  }
  const signers = new Set<string>();
  let therapistSignatures = 0;
  terms.signatures.forEach((signature, index) => {
    const path = ['signatures', index];
    if (signers.has(signature.signerId)) {
      ctx.addIssue({ code: 'custom', path, message: 'Each person signs once.' });
    }
    signers.add(signature.signerId);
    const isParticipant = participantIds.has(signature.signerId);
    if (signature.role === 'participant' && !isParticipant) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: 'This signature belongs to someone who is not a participant.',
      });
    }
    if (signature.role === 'therapist') {
      therapistSignatures += 1;
      if (isParticipant) {
        ctx.addIssue({ code: 'custom', path, message: 'The therapist signs as the therapist.' });
      }
    }
  });
  if (terms.recordingKinds && !terms.recordingKinds.sessions && !terms.recordingKinds.voiceNotes) {
    ctx.addIssue({
      code: 'custom',
      path: ['recordingKinds'],
      message: 'Choose full-session recordings, closing voice notes, or both.',
    });
  }
  if (therapistSignatures > 1) {
    ctx.addIssue({ code: 'custom', path: ['signatures'], message: 'Only one therapist signs.' });
  }
});
export type ConsentTerms = z.infer<typeof consentTermsSchema>;

/**
 * Who may listen must make sense before it is signed: someone must, and the people named besides
 * the client listen beside the client in client review (they have no credential of their own), so
 * naming them needs the client to be a listener too. Checked by the wizard and again by main.
 */
export function listenersProblem(whoMayPlay: {
  client: boolean;
  therapist: boolean;
  namedOthers: readonly unknown[];
}): string | null {
  if (!whoMayPlay.client && !whoMayPlay.therapist && whoMayPlay.namedOthers.length === 0)
    return 'Choose at least one person who may listen.';
  if (whoMayPlay.namedOthers.length > 0 && !whoMayPlay.client)
    return 'The people you name listen together with the client, in client review, so tick the client too.';
  return null;
}

/** A decision made without a recording: declined, or an alternative chosen instead. */
export const recordingDecisionObject = z.strictObject({
  outcome: z.enum(['declined', 'alternatives'], {
    error: 'Choose whether recording was declined or an alternative was chosen.',
  }),
  alternatives: z.strictObject({ writtenTakeaways: z.boolean(), closingVoiceNotes: z.boolean() }),
  reasonsTalkedThrough: z
    .string()
    .trim()
    .min(1, 'Write the reasons you talked through.')
    .max(4000, 'Use at most 4000 characters.'),
  agreed: z
    .string()
    .trim()
    .min(1, 'Write what was agreed.')
    .max(4000, 'Use at most 4000 characters.'),
});
export const recordingDecisionSchema = recordingDecisionObject.superRefine((decision, ctx) => {
  const chose = decision.alternatives.writtenTakeaways || decision.alternatives.closingVoiceNotes;
  if (decision.outcome === 'alternatives' && !chose)
    ctx.addIssue({
      code: 'custom',
      path: ['alternatives'],
      message: 'Tick the alternative that was chosen.',
    });
});
export type RecordingDecision = z.infer<typeof recordingDecisionSchema>;

export const consentStateSchema = z
  .strictObject({
    /** The signed version in force, or null when none has been signed. */
    terms: consentTermsSchema.nullable(),
    revokedAt: moment.nullable(),
    revokedBy: z.strictObject({ role: z.enum(['client', 'therapist']), id }).nullable(),
    therapyEndedAt: moment.nullable(),
  })
  .superRefine((state, ctx) => {
    if ((state.revokedAt === null) !== (state.revokedBy === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['revokedBy'],
        message: 'A revocation needs both when it happened and who made it.',
      });
    }
  });
export type ConsentState = z.infer<typeof consentStateSchema>;

export const recordingSubjectSchema = z.strictObject({
  recordingId: id,
  clientId: id,
  consentId: id,
  consentVersion: z.number().int().min(1).max(MAX_VERSION),
  recordedAt: moment,
  destroyedAt: moment.nullable(),
  /** Absent for recordings made before voice notes existed: those are sessions. */
  kind: recordingKindSchema.optional(),
});
export type RecordingSubject = z.infer<typeof recordingSubjectSchema>;

export const actorSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('client'), id, clientId: id }),
  z.strictObject({ role: z.enum(['therapist', 'auditor', 'system']), id }),
]);
export type Actor = z.infer<typeof actorSchema>;

export const consentActionSchema = z.enum(['record', 'play', 'list', 'destroy', 'export-log']);
export type ConsentAction = z.infer<typeof consentActionSchema>;

/** What a decision is about: a client's consent and, for play and destroy, one recording. */
export interface DecisionSubject {
  clientId: string;
  consent: ConsentState;
  recording: RecordingSubject | null;
  /** For 'record': what would be recorded (a full session when absent). */
  recordingKind?: RecordingKind;
}

/**
 * What each of decide()'s reasons is about, for a program (the player's "what would allow it",
 * tests); the sentences are for people. The same code may carry different sentences (dates, who).
 */
export const decisionCodes = [
  'clock-invalid',
  'role-unknown',
  'action-unknown',
  'no-subject',
  'no-consent',
  'mismatch',
  'not-signed',
  'other-client',
  'own-client',
  'therapist-only',
  'not-listed',
  'listed',
  'auditor',
  'system',
  'therapist',
  'client',
  'revoked',
  'made-after-revocation',
  'therapy-ended',
  'destroyed-at-end',
  'review-window-ended',
  'retention-ended',
  'kept-until-ended',
  'kept-until',
  'destroyed',
  'destroyed-on',
  'in-force',
  'sessions-not-allowed',
  'voice-notes-not-allowed',
] as const;
export type DecisionCode = (typeof decisionCodes)[number];

export interface Decision {
  allow: boolean;
  /** Short sentences for the person: why it is allowed, or why not and what would allow it. */
  reasons: string[];
  /** One code per reason, in the same order. */
  codes: DecisionCode[];
}

/** Lets decide() promise, in its type, that it changes nothing it is given. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
