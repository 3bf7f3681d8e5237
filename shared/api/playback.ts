// playback.*: a ticket to hear one recording, chunk by chunk, while its consent allows it.
import { z } from 'zod';
import {
  bytesSchema,
  empty,
  opaqueId,
  recordingIdRequest,
  recordingMs,
  requestSize,
  rowNumber,
} from './common';
import { markerSchema, removedRangeSchema } from './recording';

export const playbackSchema = z.strictObject({
  playbackId: opaqueId,
  recordingId: opaqueId,
  /** For the player's heading: whose session, and when it was recorded. */
  clientDisplayName: z.string(),
  /** The therapist's name for the recording; always null for a client (it is the therapist's). */
  title: z.string().nullable(),
  startedAt: z.number(),
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
  /**
   * How loud each stretch was (one byte per `binMs`, 0 silent to 255 full scale), measured while
   * recording and sealed with it; zero over removed parts. Null where none was kept.
   */
  levels: z.strictObject({ binMs: z.number().int().min(1), peaks: bytesSchema }).nullable(),
});
export type Playback = z.infer<typeof playbackSchema>;

export const playbackContract = {
  'playback.open': {
    callers: ['therapist', 'client'],
    size: requestSize.small,
    request: recordingIdRequest,
    reply: playbackSchema,
  },
  /** Also once locked: the player answers that the ticket has ended. */
  'playback.chunk': {
    callers: ['therapist', 'client', 'locked'],
    size: requestSize.small,
    request: z.strictObject({ playbackId: opaqueId, seq: rowNumber }),
    reply: z.strictObject({ seq: z.number().int(), data: bytesSchema }),
  },
  /** Also once locked: closing a ticket the lock already closed does nothing. */
  'playback.close': {
    callers: ['therapist', 'client', 'locked'],
    size: requestSize.small,
    request: z.strictObject({
      playbackId: opaqueId,
      heardMs: recordingMs,
    }),
    reply: empty,
  },
} as const;
