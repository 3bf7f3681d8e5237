// Request and reply schemas for clients, consent, recording, capture and playback. The contract
// in api.ts lists the channels; the shapes live here so each file stays one subject.
import { z } from 'zod';
import { consentTermsObject, consentTermsSchema } from './consent-terms';

const opaqueId = z.string().regex(/^[0-9a-f]{32}$/, 'That id is not valid.');
const personName = z
  .string()
  .trim()
  .min(1, 'Write a name.')
  .max(120, 'Use at most 120 characters.');
const decisionSchema = z.strictObject({ allow: z.boolean(), reasons: z.array(z.string()) });
export const bytesSchema = z.custom<Uint8Array>(
  (value) => value instanceof Uint8Array,
  'Expected audio bytes.',
);

export const clientIdRequest = z.strictObject({ clientId: opaqueId });
export const recordingIdRequest = z.strictObject({ recordingId: opaqueId });

export const consentStatusSchema = z.strictObject({
  state: z.enum(['none', 'active', 'revoked', 'ended']),
  version: z.number().int().nullable(),
  /** One line for the library: who may listen and for how long. */
  summary: z.string().nullable(),
  revokedAt: z.number().nullable(),
  therapyEndedAt: z.number().nullable(),
  record: decisionSchema,
});

export const clientSummarySchema = z.strictObject({
  clientId: opaqueId,
  displayName: z.string(),
  participants: z.array(z.strictObject({ participantId: z.string(), displayName: z.string() })),
  archived: z.boolean(),
  hasReviewCredential: z.boolean(),
  consent: consentStatusSchema,
});
export type ClientSummary = z.infer<typeof clientSummarySchema>;

export const markerSchema = z.strictObject({
  markerId: z.string(),
  atMs: z.number().int(),
  label: z.string(),
});
export const removedRangeSchema = z.strictObject({
  fromMs: z.number().int(),
  toMs: z.number().int(),
});

export const recordingSummarySchema = z.strictObject({
  recordingId: opaqueId,
  clientId: opaqueId,
  startedAt: z.number(),
  durationMs: z.number().int(),
  state: z.enum(['recording', 'finalised', 'interrupted', 'destroyed']),
  destroyAfter: z.number().nullable(),
  /** Why the deadline is what it is, in a sentence. */
  destroyWhy: z.string().nullable(),
  destroyedAt: z.number().nullable(),
  destroyReason: z.string().nullable(),
  consentVersion: z.number().int().nullable(),
  consentSummary: z.string().nullable(),
  play: decisionSchema,
  markers: z.array(markerSchema),
  removedRanges: z.array(removedRangeSchema),
});
export type RecordingSummary = z.infer<typeof recordingSummarySchema>;

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

export const clientDetailSchema = z.strictObject({
  client: clientSummarySchema,
  terms: consentTermsSchema.nullable(),
  /** The practice policy text the terms in force were signed under (it may have changed since). */
  signedPolicyText: z.string().nullable(),
  versions: z.array(z.strictObject({ version: z.number().int(), signedAt: z.number() })),
  recordings: z.array(recordingSummarySchema),
  takeaways: z.array(
    z.strictObject({
      takeawayId: z.string(),
      writtenAt: z.number(),
      recordingId: z.string().nullable(),
      text: z.string(),
    }),
  ),
});
export type ClientDetail = z.infer<typeof clientDetailSchema>;

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

export const captureSettingsSchema = z.strictObject({
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  autoGainControl: z.boolean(),
  timesliceMs: z.number().int(),
  audioBitsPerSecond: z.number().int(),
});
export type CaptureSettings = z.infer<typeof captureSettingsSchema>;

export const recorderStatusSchema = z.strictObject({
  recordingId: opaqueId,
  clientId: opaqueId,
  state: z.enum(['starting', 'recording', 'paused', 'stopping', 'stopped']),
  elapsedMs: z.number().int(),
  level: z.number(),
  silentForMs: z.number().int(),
  chunks: z.number().int(),
  diskLow: z.boolean(),
  problem: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
});
export type RecorderStatus = z.infer<typeof recorderStatusSchema>;

export const captureCommandSchema = z.strictObject({
  command: z.enum(['record', 'pause', 'resume', 'stop', 'continue']),
  recordingId: opaqueId.nullable(),
  settings: captureSettingsSchema.nullable(),
});

export const MAX_CHUNK_BYTES = 256 * 1024;

export const playbackSchema = z.strictObject({
  playbackId: opaqueId,
  recordingId: opaqueId,
  mimeType: z.string(),
  durationMs: z.number().int(),
  chunks: z.array(
    z.strictObject({
      seq: z.number().int(),
      startMs: z.number().int(),
      durationMs: z.number().int(),
    }),
  ),
  markers: z.array(markerSchema),
  removedRanges: z.array(removedRangeSchema),
  consentSummary: z.string().nullable(),
});
export type Playback = z.infer<typeof playbackSchema>;

export { opaqueId, personName };
