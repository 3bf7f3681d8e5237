// microphone.*: which microphone a recording uses, and a short level check before recording. The
// page never opens the microphone: main asks the hidden capture window (capture.microphones,
// capture.testLevel, capture.testDone), which is the only window that may.
import { z } from 'zod';
import { empty, opaqueId, requestSize } from './common';

/**
 * Chromium's id for an input: a hash salted per origin and profile ("default" for the system's
 * choice). Opaque to main, so only its length and characters are checked.
 */
export const deviceIdSchema = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[\x21-\x7e]+$/, 'That microphone is not one this laptop knows.');
export const microphoneSchema = z.strictObject({
  deviceId: deviceIdSchema,
  /** The name the system gives it; not secret, but never logged. */
  label: z.string().max(200),
});
export type Microphone = z.infer<typeof microphoneSchema>;

/** More inputs than any laptop has; a longer list is not the capture window's. */
export const MAX_MICROPHONES = 32;
/** How long a test listens. */
export const MICROPHONE_TEST_MS = 3_000;

/** What the capture window is asked to do outside a recording: list the inputs, or test one. */
export const microphoneCheckSchema = z.strictObject({
  checkId: opaqueId,
  /** The input to test; null for the system's default. */
  deviceId: deviceIdSchema.nullable(),
  durationMs: z.number().int().min(0).max(10_000),
});
export type MicrophoneCheckRequest = z.infer<typeof microphoneCheckSchema>;

export const microphoneVerdicts = ['heard', 'silent', 'failed'] as const;

export const microphoneSentences = {
  heard: 'We hear you.',
  silent: 'Nothing heard: check the microphone is on and not muted.',
  'no-microphone':
    'That microphone was not found. Check that it is plugged in, or choose another one.',
  'permission-denied':
    'The microphone was not allowed, so it could not be tested. Allow it in the laptop’s privacy settings.',
  'device-lost': 'The microphone stopped during the test. Check its cable, then test again.',
  'no-answer': 'The microphone could not be opened just now. Try the test again.',
  busy: 'A recording or another microphone check is running. Wait for it to finish.',
} as const;

export const microphoneContract = {
  /** The audio inputs the capture window sees, and the one recordings use. */
  'microphone.list': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: z.strictObject({
      microphones: z.array(microphoneSchema).max(MAX_MICROPHONES),
      /** The input chosen on this laptop; null for the system's default. */
      chosen: deviceIdSchema.nullable(),
    }),
  },
  /** Keeps the input recordings use on this laptop (null: the system's default). */
  'microphone.choose': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ deviceId: deviceIdSchema.nullable() }),
    reply: empty,
  },
  /** Listens to one input for MICROPHONE_TEST_MS and answers once done; nothing is kept. */
  'microphone.test': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ deviceId: deviceIdSchema.nullable() }),
    reply: z.strictObject({
      verdict: z.enum(microphoneVerdicts),
      message: z.string(),
      /** The loudest level heard (RMS, 0..1). */
      loudest: z.number().min(0).max(1),
    }),
  },
  /** The level of the test running now, for the meter beside it. */
  'microphone.testLevel': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: z.strictObject({ testing: z.boolean(), level: z.number().min(0).max(1) }),
  },
} as const;

export const microphoneCaptureContract = {
  'capture.microphones': {
    callers: ['capture'],
    // 32 entries of a 256-character id and a 200-character name, with room for their keys.
    size: requestSize.note,
    request: z.strictObject({
      checkId: opaqueId,
      microphones: z.array(microphoneSchema).max(MAX_MICROPHONES),
    }),
    reply: empty,
  },
  'capture.testLevel': {
    callers: ['capture'],
    size: requestSize.small,
    request: z.strictObject({ checkId: opaqueId, rms: z.number().min(0).max(1) }),
    reply: empty,
  },
  'capture.testDone': {
    callers: ['capture'],
    size: requestSize.small,
    request: z.strictObject({ checkId: opaqueId }),
    reply: empty,
  },
} as const;
