// playback.*: a ticket to hear one recording, chunk by chunk, while its consent allows it.
import { z } from 'zod';
import { bytesSchema, empty, opaqueId, recordingIdRequest } from './common';
import { markerSchema, removedRangeSchema } from './recording';

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

export const playbackContract = {
  'playback.open': {
    callers: ['therapist', 'client'],
    request: recordingIdRequest,
    reply: playbackSchema,
  },
  /** Also once locked: the player answers that the ticket has ended. */
  'playback.chunk': {
    callers: ['therapist', 'client', 'locked'],
    request: z.strictObject({ playbackId: opaqueId, seq: z.number().int().min(0) }),
    reply: z.strictObject({ seq: z.number().int(), data: bytesSchema }),
  },
  /** Also once locked: closing a ticket the lock already closed does nothing. */
  'playback.close': {
    callers: ['therapist', 'client', 'locked'],
    request: z.strictObject({
      playbackId: opaqueId,
      heardMs: z
        .number()
        .int()
        .min(0)
        .max(24 * 3600 * 1000),
    }),
    reply: empty,
  },
} as const;
