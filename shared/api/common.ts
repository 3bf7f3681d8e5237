// What every domain's part of the contract shares: the ids, names and byte payloads, and who may
// call a channel.
import { z } from 'zod';
import { decisionCodes } from '../consent-terms';

/**
 * Who may call a channel, as main sees them: the signed-in therapist, a client in review, a
 * signed-in auditor, anyone while nobody is signed in (or there is no vault), or the hidden
 * capture window. Main checks it once, before any handler runs.
 */
export const callerKinds = ['therapist', 'client', 'auditor', 'locked', 'capture'] as const;
export type CallerKind = (typeof callerKinds)[number];

/**
 * How much a request may hold, counted at the door before the payload is parsed (dispatch.ts): a
 * unit for every value, key and element, plus the length of every string, key and byte array. Each
 * channel declares its budget beside its schema, so a name cannot arrive as 4 MB and only the few
 * channels that carry text, a signature or audio may be large.
 */
export const requestSize = {
  /** Ids, names, passphrases, numbers and flags. */
  small: 4_096,
  /** A takeaway of up to 10,000 characters. */
  note: 16_384,
  /** The practice policy, up to 20,000 characters. */
  policy: 32_768,
  /** A consent: up to 9 drawn signatures of up to 200,000 characters each, and its texts. */
  consent: 2_000_000,
} as const;
/** Deeper than any request the contract describes (a consent's signature sits at depth 5). */
export const MAX_REQUEST_DEPTH = 12;

/**
 * Row numbers (a chunk's seq, a consent's version, an entry's seq) stay below 2^31: nothing here
 * counts that far, and a number past what a row holds must never alias another row.
 */
export const MAX_ROW_NUMBER = 2 ** 31 - 1;
export const rowNumber = z.number().int().min(0).max(MAX_ROW_NUMBER);
/** A point or a length within one recording: a session lasts hours, never a day. */
export const MAX_RECORDING_MS = 24 * 3600 * 1000;
export const recordingMs = z.number().int().min(0).max(MAX_RECORDING_MS);
/** Milliseconds since 1970, as far either way as a JavaScript Date reaches. */
export const MAX_EPOCH_MS = 8_640_000_000_000_000;
export const epochMs = z.number().int().min(-MAX_EPOCH_MS).max(MAX_EPOCH_MS);

/** Which kind of window sent a request, as main (never the page) decided. */
export type Caller = 'ui' | 'capture';

export const opaqueId = z.string().regex(/^[0-9a-f]{32}$/, 'That id is not valid.');
export const personName = z
  .string()
  .trim()
  .min(1, 'Write a name.')
  .max(120, 'Use at most 120 characters.');
/** Long enough for a passphrase of words; short enough that a flood of bytes is refused at the door. */
export const passphrase = z.string().min(1).max(1024);
export const empty = z.strictObject({});
export const decisionSchema = z.strictObject({
  allow: z.boolean(),
  reasons: z.array(z.string()),
  codes: z.array(z.enum(decisionCodes)),
});
export const bytesSchema = z.custom<Uint8Array>(
  (value) => value instanceof Uint8Array,
  'Expected audio bytes.',
);

export const clientIdRequest = z.strictObject({ clientId: opaqueId });
export const recordingIdRequest = z.strictObject({ recordingId: opaqueId });
