// Builds what a therapist and client would fill in and sign, for core tests.
import type { Caller, Channel, ClientSummary, Reply, Request } from '../../../shared/api';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCore, type Core, type CoreOptions } from '../../../electron/core/create-core';
import { LIGHT_KDF, PASSPHRASE, audioSecond, fakeClock } from './kernel-helpers';

/** The request a channel takes, and who sends it; left out, it is `{}` (where every field is optional). */
export type CallArgs<C extends Channel> =
  Record<never, never> extends Request<C>
    ? [request?: Request<C>, caller?: Caller]
    : [request: Request<C>, caller?: Caller];

/**
 * Asks the core as the contract describes the channel, and answers with its typed reply; throws
 * the refusal (message and code) when main refuses.
 */
export function call<C extends Channel>(
  core: Core,
  channel: C,
  ...[request, caller]: CallArgs<C>
): Promise<Reply<C>> {
  return callLoose<Reply<C>>(core, channel, request ?? {}, caller);
}

/**
 * `call` for what the contract does not describe: hostile or deliberately malformed requests, and
 * channels outside it. The reply is whatever the test says it is.
 */
export async function callLoose<T = unknown>(
  core: Core,
  channel: string,
  payload: unknown = {},
  caller?: Caller,
): Promise<T> {
  const result = await core.dispatch(channel, payload, caller);
  if (!result.ok)
    throw Object.assign(
      new Error(`${channel}: ${result.error.code}: ${result.error.message}`),
      result.error,
    );
  return result.value as T;
}

export async function refusal(core: Core, channel: string, payload: unknown = {}, caller?: Caller) {
  const result = await core.dispatch(channel, payload, caller);
  if (result.ok) throw new Error(`${channel} was allowed`);
  return result.error;
}

/** The terms a therapist and client fill in and sign, as consent.sign takes them. */
export type ConsentDraft = Request<'consent.sign'>['terms'];

export function consentDraft(
  client: ClientSummary,
  policyHash: string,
  signedAt: number,
  overrides: Partial<ConsentDraft> = {},
): ConsentDraft {
  return {
    participants: client.participants,
    purpose: {
      kind: 'personal-review',
      limitsText: 'For listening again on this laptop. Not for sharing.',
    },
    reasonsForRecording: { chosen: ['review', 'memory'], otherText: '' },
    whoMayPlay: { client: true, therapist: true, namedOthers: [] },
    onThisDeviceOnly: true,
    retentionDays: 30,
    termination: { action: 'keep-for-review', days: 14 },
    revocation: { destroys: 'all-recordings', revocableBy: { client: true, therapist: true } },
    acknowledgements: { noSharing: true, risksUnderstood: true, careNotConditional: true },
    alternativesOffered: { writtenTakeaways: true, closingVoiceNote: false },
    partOfClinicalRecord: false,
    policyVersionHash: policyHash,
    signatures: [
      ...client.participants.map((p): ConsentDraft['signatures'][number] => ({
        signerId: p.participantId,
        role: 'participant',
        typedName: p.displayName,
        signedAt,
        drawnSignature: { kind: 'svg-path', d: 'M1 1 L20 5 L40 2' },
      })),
      {
        signerId: 'therapist',
        role: 'therapist',
        typedName: 'Dr. Jane Example',
        signedAt,
        drawnSignature: { kind: 'svg-path', d: 'M2 2 L30 8' },
      },
    ],
    ...overrides,
  };
}

/** Adds a client and signs a full consent for them, with a review PIN. */
export async function signedClient(
  core: Core,
  signedAt: number,
  options: {
    name?: string;
    others?: string[];
    pin?: string;
    overrides?: Partial<ConsentDraft>;
  } = {},
): Promise<ClientSummary> {
  const client = await call(core, 'clients.add', {
    displayName: options.name ?? 'Alex Example',
    otherParticipants: options.others ?? [],
  });
  const { policyHash } = await call(core, 'policy.get');
  await call(core, 'consent.sign', {
    clientId: client.clientId,
    terms: consentDraft(client, policyHash, signedAt, options.overrides),
    reviewCredential: options.pin ?? '482915',
  });
  return client;
}

/** The therapist starts a recording; the capture window takes its command and starts. */
export async function startCapture(
  core: Core,
  clientId: string,
  mimeType = 'audio/webm;codecs=opus',
): Promise<{ recordingId: string; command: Reply<'capture.next'> }> {
  const { recordingId } = await call(core, 'recording.start', {
    clientId,
    reconfirmedAloud: true,
  });
  const command = await call(core, 'capture.next', {}, 'capture');
  await call(core, 'capture.started', { recordingId, mimeType }, 'capture');
  return { recordingId, command };
}

/** The capture window sends chunks `from` .. `from + count - 1`, one second each. */
export async function sendSeconds(
  core: Core,
  recordingId: string,
  count: number,
  options: { from?: number; beforeEach?: () => void } = {},
): Promise<void> {
  const from = options.from ?? 0;
  for (let seq = from; seq < from + count; seq += 1) {
    options.beforeEach?.();
    await call(
      core,
      'capture.chunk',
      { recordingId, seq, durationMs: 1000, data: audioSecond(seq) },
      'capture',
    );
  }
}

/** Stop as the therapist, confirmed by the capture window; resolves with the final status. */
export async function stopCapture(
  core: Core,
  recordingId: string,
): Promise<Reply<'recording.stop'>> {
  const stopping = call(core, 'recording.stop', { recordingId });
  await call(core, 'capture.finished', { recordingId }, 'capture');
  return stopping;
}

/** A new signed client's recording of `seconds` seconds, captured and stopped; its id. */
export async function recordForNewClient(
  core: Core,
  signedAt: number,
  seconds: number,
  options: { beforeEach?: () => void } = {},
): Promise<string> {
  const client = await signedClient(core, signedAt);
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, seconds, options);
  await stopCapture(core, recordingId);
  return recordingId;
}

/** Reads a vault file beside the core through a read-only connection, as `doctor` reads. */
export function readVaultFile<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/**
 * A real core on a vault folder, as the tests want it: the light KDF, a fresh device secret,
 * room on the disk and a capture host that opens nothing; `options` changes any of that.
 */
export function testCore(
  dataDir: string,
  clock: ReturnType<typeof fakeClock>,
  options: Partial<CoreOptions> = {},
): Promise<Core> {
  return createCore({
    dataDir,
    deviceSecret: new Uint8Array(randomBytes(32)),
    clock: clock.now,
    kdf: LIGHT_KDF,
    freeBytes: () => 1e12,
    captureHost: { open: () => undefined, close: () => undefined },
    ...options,
  });
}

/** A real core on a new temp folder whose vault the therapist has just created (and so unlocked). */
export async function therapistVault(prefix: string) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const clock = fakeClock();
  const core = await testCore(dataDir, clock);
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  return {
    dataDir,
    clock,
    core,
    close() {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
