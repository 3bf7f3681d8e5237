// policy.* and consent.*: the practice's policy and default terms, and each client's signed
// consent.
import { z } from 'zod';
import { consentTermsObject, consentTermsSchema, recordingReasonSchema } from '../consent-terms';
import { clientIdRequest, empty, opaqueId, requestSize, rowNumber } from './common';
import { clientDetailSchema } from './clients';

/** The terms as the wizard sends them: main adds the ids and the version number. */
export const consentDraftSchema = consentTermsObject.omit({
  consentId: true,
  version: true,
  clientId: true,
});

/** A client's way into review mode: at least 6 digits, or a passphrase of 10 or more characters. */
export const reviewCredentialSchema = z.union([
  z.string().regex(/^\d{6,12}$/, 'A PIN is 6 to 12 digits.'),
  z
    .string()
    .min(10, 'A passphrase needs at least 10 characters.')
    .max(256)
    .regex(/\D/, 'A PIN is 6 to 12 digits.'),
]);

const keepDays = 'Keep recordings after therapy ends for between 1 and 365 days.';
/** The practice's starting point for a new consent; each consent may differ, and is signed as is. */
export const defaultTermsSchema = z.strictObject({
  retentionDays: z
    .number()
    .int()
    .min(1, 'Keep recordings for between 1 day and 10 years.')
    .max(3650, 'Keep recordings for between 1 day and 10 years.'),
  termination: z.union([
    z.strictObject({ action: z.literal('destroy-now') }),
    z.strictObject({
      action: z.literal('keep-for-review'),
      days: z.number().int().min(1, keepDays).max(365, keepDays),
    }),
  ]),
});
export type DefaultTerms = z.infer<typeof defaultTermsSchema>;

export const policySchema = z.strictObject({
  text: z.string(),
  policyHash: z.string(),
  versions: z.array(z.strictObject({ policyHash: z.string(), createdAt: z.number() })),
  defaults: defaultTermsSchema,
});

/** Text as typed in the wizard: checked when Next is pressed, only bounded here. */
const typed = (max: number) => z.string().max(max);
const typedNumber = typed(12);
const endingChoice = z.enum(['destroy-now', 'keep-for-review']);
const revocationChoice = z.enum(['all-recordings', 'future-only']);

/**
 * The consent wizard's fields as the therapist and client are filling them in (not yet terms:
 * nothing here has been checked). The PIN is not part of it, so main never holds it.
 */
export const wizardFieldsSchema = z.strictObject({
  reasons: z.strictObject({
    chosen: z.array(recordingReasonSchema).max(12),
    otherText: typed(1000),
  }),
  limitsText: typed(5000),
  whoMayPlay: z.strictObject({
    client: z.boolean(),
    therapist: z.boolean(),
    namedOthers: z.array(z.strictObject({ name: typed(200), relation: typed(200) })).max(16),
  }),
  onThisDeviceOnly: z.boolean(),
  noSharing: z.boolean(),
  retentionDays: typedNumber,
  termination: endingChoice,
  keepDays: typedNumber,
  revocationDestroys: revocationChoice,
  risksUnderstood: z.boolean(),
  careNotConditional: z.boolean(),
  writtenTakeaways: z.boolean(),
  closingVoiceNote: z.boolean(),
  recordSessions: z.boolean(),
  recordVoiceNotes: z.boolean(),
  voiceNote: z.strictObject({
    client: z.boolean(),
    therapist: z.boolean(),
    retentionDays: typedNumber,
    termination: endingChoice,
    keepDays: typedNumber,
    revocationDestroys: revocationChoice,
  }),
  partOfClinicalRecord: z.boolean(),
  representative: z.strictObject({
    signsFor: z.enum(['self', 'minor', 'guardian']),
    name: typed(200),
    relation: typed(200),
  }),
});
export type WizardFields = z.infer<typeof wizardFieldsSchema>;

/** An unsigned walk-through, kept by main so an idle lock does not lose it. */
export const keptWizardDraftSchema = z.strictObject({
  clientId: opaqueId,
  /** The consent version the draft started from (null: none yet); a newer one makes it stale. */
  basedOnVersion: rowNumber.nullable(),
  /** The wizard's step, from 0. */
  step: z.number().int().min(0).max(8),
  fields: wizardFieldsSchema,
});
export type KeptWizardDraft = z.infer<typeof keptWizardDraftSchema>;

export const consentContract = {
  'policy.get': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: policySchema,
  },
  'policy.set': {
    callers: ['therapist'],
    size: requestSize.policy,
    request: z.strictObject({
      text: z.string().trim().min(20, 'Write the policy in a few sentences.').max(20_000),
    }),
    reply: policySchema,
  },
  /** One saved version of the practice policy, earlier ones included, to read again. */
  'policy.version': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({
      policyHash: z.string().regex(/^[0-9a-f]{64}$/, 'That is not a policy version.'),
    }),
    reply: z.strictObject({ policyHash: z.string(), text: z.string() }),
  },
  'policy.setDefaults': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ defaults: defaultTermsSchema }),
    reply: policySchema,
  },
  'consent.sign': {
    callers: ['therapist'],
    size: requestSize.consent,
    request: z.strictObject({
      clientId: opaqueId,
      terms: consentDraftSchema,
      /** Required the first time: the client's PIN or passphrase for review on this laptop. */
      reviewCredential: reviewCredentialSchema.optional(),
    }),
    reply: clientDetailSchema,
  },
  /** An earlier signed version, to read or print again (signed versions never change). */
  'consent.version': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ clientId: opaqueId, version: rowNumber.min(1) }),
    reply: z.strictObject({ terms: consentTermsSchema, signedPolicyText: z.string().nullable() }),
  },
  /**
   * Before new terms are signed: each recording whose destruction date they would move, with its
   * date now and under the new terms (null: no date). Main computes both, as signing would.
   */
  'consent.previewDeadlines': {
    callers: ['therapist'],
    size: requestSize.consent,
    request: z.strictObject({ clientId: opaqueId, terms: consentDraftSchema }),
    reply: z.strictObject({
      moved: z.array(
        z.strictObject({
          recordingId: z.string(),
          kind: z.enum(['session', 'voice-note']),
          recordedAt: z.number(),
          before: z.number().nullable(),
          after: z.number().nullable(),
        }),
      ),
    }),
  },
  /**
   * Saves the signed consent on screen as a tagged PDF, where main has a window to print (the
   * app): main asks where in its own save dialog. `saved` is false when the person cancelled.
   */
  'consent.savePdf': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ clientId: opaqueId, version: rowNumber.min(1) }),
    reply: z.strictObject({ saved: z.boolean() }),
  },
  'consent.revoke': {
    callers: ['therapist'],
    size: requestSize.small,
    request: clientIdRequest,
    reply: z.strictObject({ destroyed: z.number().int() }),
  },
  'consent.endTherapy': {
    callers: ['therapist'],
    size: requestSize.small,
    request: clientIdRequest,
    reply: z.strictObject({ destroyed: z.number().int() }),
  },
  /**
   * The wizard hands main its unsigned draft as it goes (null: the walk-through was left), so
   * after an idle lock it comes back where it was. Held in main's memory for this run only,
   * sealed with the master key; never written to disk, never logged (it opens nothing).
   */
  'consent.keepDraft': {
    callers: ['therapist'],
    size: requestSize.note,
    request: z.strictObject({ draft: keptWizardDraftSchema.nullable() }),
    reply: empty,
  },
  /** The draft main keeps, if any, for the wizard to come back to after an unlock. */
  'consent.keptDraft': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: keptWizardDraftSchema.nullable(),
  },
} as const;
