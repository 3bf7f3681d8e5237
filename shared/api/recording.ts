// recording.* and capture.*: the therapist's running recording, and the hidden capture window
// that holds the microphone (only it may call capture.*).
import { z } from 'zod';
import { recordingKindSchema } from '../consent-terms';
import {
  bytesSchema,
  decisionSchema,
  empty,
  opaqueId,
  recordingIdRequest,
  recordingMs,
  requestSize,
  rowNumber,
} from './common';
import { deviceIdSchema, microphoneCheckSchema } from './microphone';

/** A closing voice note is at most two minutes of recorded time; main stops it there. */
export const VOICE_NOTE_LIMIT_MS = 120_000;

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
  kind: recordingKindSchema,
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
  /** Which check failed when the recording is held (its signed record does not match the file). */
  held: z.string().nullable(),
  /** The therapist's name for it; null for a client, and until one is given. */
  title: z.string().nullable(),
  /** The therapist's private note; never sent to a client. */
  privateNote: z.string().nullable(),
});
export type RecordingSummary = z.infer<typeof recordingSummarySchema>;

/** A library entry's `held` while the whole vault is held (VAULT_HELD), until the therapist confirms. */
export const VAULT_HELD_REASON =
  'nothing plays or records until you confirm what was found about this vault';

/** One line of the library: every recording across every client, read without its chunk index. */
export const libraryEntrySchema = z.strictObject({
  recordingId: opaqueId,
  clientId: opaqueId,
  clientDisplayName: z.string(),
  /** The therapist's name for it (the library is the therapist's); null until one is given. */
  title: z.string().nullable(),
  startedAt: z.number(),
  durationMs: z.number().int(),
  chunkCount: z.number().int(),
  audioBytes: z.number().int(),
  markerCount: z.number().int(),
  state: z.enum(['recording', 'finalised', 'interrupted', 'destroyed']),
  /** Null once destroyed, as in the client's detail, and while held (a held row's date is not the truth). */
  destroyAfter: z.number().nullable(),
  destroyedAt: z.number().nullable(),
  /**
   * Why it is held, in words (never played, never destroyed by its row): its signed record does
   * not verify (RECORDING_HELD) or the whole vault is held (VAULT_HELD); null when it is not.
   */
  held: z.string().nullable(),
});
export type LibraryEntry = z.infer<typeof libraryEntrySchema>;

export const captureSettingsSchema = z.strictObject({
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  autoGainControl: z.boolean(),
  timesliceMs: z.number().int(),
  audioBitsPerSecond: z.number().int(),
  /** The input chosen on this laptop (microphone.choose); null for the system's default. */
  deviceId: deviceIdSchema.nullable(),
});
export type CaptureSettings = z.infer<typeof captureSettingsSchema>;

export const recorderStatusSchema = z.strictObject({
  recordingId: opaqueId,
  clientId: opaqueId,
  kind: recordingKindSchema,
  /** Recorded time at which main stops the recording by itself; null for a session. */
  limitMs: z.number().int().nullable(),
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
  command: z.enum([
    'record',
    'pause',
    'resume',
    'stop',
    'continue',
    'list-microphones',
    'test-microphone',
  ]),
  recordingId: opaqueId.nullable(),
  settings: captureSettingsSchema.nullable(),
  /** What to list or test, with the two microphone commands only. */
  check: microphoneCheckSchema.optional(),
});

export const MAX_CHUNK_BYTES = 256 * 1024;
/** Recorded time each byte of a recording's levels covers: four per second. */
export const LEVEL_BIN_MS = 250;
/** At most this many level bytes ride with one chunk (a chunk holds at most 10 s). */
export const MAX_LEVELS_PER_CHUNK = 48;

export const recordingContract = {
  /** Every recording across every client, newest first, for the therapist's home screen. */
  'recordings.library': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: z.strictObject({ recordings: z.array(libraryEntrySchema) }),
  },
  'recording.start': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({
      clientId: opaqueId,
      /** The therapist confirms that consent was reconfirmed aloud at the start of this session. */
      reconfirmedAloud: z.literal(true, {
        error: 'Confirm that consent was reconfirmed aloud first.',
      }),
      roomAudioProcessing: z.boolean().optional(),
      /** A full session when absent. */
      kind: recordingKindSchema.optional(),
    }),
    reply: z.strictObject({ recordingId: opaqueId }),
  },
  'recording.pause': {
    callers: ['therapist'],
    size: requestSize.small,
    request: recordingIdRequest,
    reply: empty,
  },
  'recording.resume': {
    callers: ['therapist'],
    size: requestSize.small,
    request: recordingIdRequest,
    reply: empty,
  },
  'recording.stop': {
    callers: ['therapist'],
    size: requestSize.small,
    request: recordingIdRequest,
    reply: recorderStatusSchema.nullable(),
  },
  'recording.mark': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ recordingId: opaqueId, label: z.string().trim().max(80) }),
    reply: z.strictObject({ markerId: z.string(), atMs: z.number().int() }),
  },
  /** A label for a moment marked earlier (one key while recording; the words come later). */
  'recording.labelMarker': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({
      recordingId: opaqueId,
      markerId: z.string().regex(/^[0-9a-f]{32}$/, 'That id is not valid.'),
      label: z.string().trim().max(80),
    }),
    reply: empty,
  },
  'recording.status': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: recorderStatusSchema.nullable(),
  },
  'recording.removeRange': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({
      recordingId: opaqueId,
      fromMs: recordingMs,
      toMs: recordingMs.min(1),
    }),
    reply: z.strictObject({
      removedChunks: z.number().int(),
      fromMs: z.number().int(),
      toMs: z.number().int(),
    }),
  },
  /**
   * The therapist names a recording or writes a private note on it (sealed with the recording's
   * key, so destroyed with it). A field left out stays as it is; null or empty clears it.
   */
  'recording.annotate': {
    callers: ['therapist'],
    size: requestSize.note,
    request: z
      .strictObject({
        recordingId: opaqueId,
        title: z
          .string()
          .trim()
          .max(120, 'Use at most 120 characters for a title.')
          .nullable()
          .optional(),
        privateNote: z
          .string()
          .trim()
          .max(5_000, 'Use at most 5,000 characters for a note.')
          .nullable()
          .optional(),
      })
      .refine((r) => r.title !== undefined || r.privateNote !== undefined, {
        error: 'Give a title or a note to save.',
      }),
    reply: z.strictObject({ title: z.string().nullable(), privateNote: z.string().nullable() }),
  },
  'recording.destroy': {
    callers: ['therapist'],
    size: requestSize.small,
    request: recordingIdRequest,
    reply: empty,
  },
} as const;

export const captureContract = {
  'capture.next': {
    callers: ['capture'],
    size: requestSize.small,
    request: empty,
    reply: captureCommandSchema,
  },
  'capture.started': {
    callers: ['capture'],
    size: requestSize.small,
    request: z.strictObject({
      recordingId: opaqueId,
      mimeType: z.string().regex(/^audio\/(mp4|webm)(;codecs=opus)?$/),
    }),
    reply: empty,
  },
  'capture.chunk': {
    callers: ['capture'],
    // Twice the largest chunk, so one a little too large still gets the schema's own sentence.
    size: 2 * MAX_CHUNK_BYTES + requestSize.small,
    request: z.strictObject({
      recordingId: opaqueId,
      seq: rowNumber,
      durationMs: z.number().int().min(0).max(10_000),
      data: bytesSchema.refine(
        (bytes) => bytes.byteLength <= MAX_CHUNK_BYTES,
        'A piece of audio was larger than allowed.',
      ),
      /**
       * The peak level of each LEVEL_BIN_MS of recorded time since the previous chunk (0 silent,
       * 255 full scale), measured by the capture window: main seals them for the player's waveform.
       */
      levels: bytesSchema
        .refine(
          (bytes) => bytes.byteLength <= MAX_LEVELS_PER_CHUNK,
          'Too many levels came with a piece of audio.',
        )
        .optional(),
    }),
    reply: empty,
  },
  'capture.level': {
    callers: ['capture'],
    size: requestSize.small,
    request: z.strictObject({ recordingId: opaqueId, rms: z.number().min(0).max(1) }),
    reply: empty,
  },
  'capture.failed': {
    callers: ['capture'],
    size: requestSize.small,
    request: z.strictObject({
      recordingId: opaqueId,
      reason: z.enum(['permission-denied', 'no-microphone', 'device-lost', 'recorder-error']),
    }),
    reply: empty,
  },
  'capture.finished': {
    callers: ['capture'],
    size: requestSize.small,
    request: recordingIdRequest,
    reply: empty,
  },
} as const;
