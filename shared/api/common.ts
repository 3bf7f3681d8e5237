// What every domain's part of the contract shares: the ids, names and byte payloads, and who may
// call a channel.
import { z } from 'zod';

/**
 * Who may call a channel, as main sees them: the signed-in therapist, a client in review, a
 * signed-in auditor, anyone while nobody is signed in (or there is no vault), or the hidden
 * capture window. Main checks it once, before any handler runs.
 */
export const callerKinds = ['therapist', 'client', 'auditor', 'locked', 'capture'] as const;
export type CallerKind = (typeof callerKinds)[number];

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
export const decisionSchema = z.strictObject({ allow: z.boolean(), reasons: z.array(z.string()) });
export const bytesSchema = z.custom<Uint8Array>(
  (value) => value instanceof Uint8Array,
  'Expected audio bytes.',
);

export const clientIdRequest = z.strictObject({ clientId: opaqueId });
export const recordingIdRequest = z.strictObject({ recordingId: opaqueId });
