// Destroying a recording while another connection reads the vault (the shipped `backup` and
// `doctor` tools, documented as safe while the app runs): the reader's snapshot keeps the WAL
// from being emptied, so the emptying must not freeze main and must happen once the reader lets go.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/create-core';
import {
  call,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
} from '../helpers/practice-helpers';
import { fakeClock, LIGHT_KDF, PASSPHRASE } from '../helpers/kernel-helpers';

// The app waits 5 s for a busy database by default; one attempt must stay well below that.
const MAX_BLOCK_MS = 1500;

let dataDir: string;
let deviceSecret: Uint8Array;
let clock: ReturnType<typeof fakeClock>;
let core: Core;
let reader: Db | null;

function startCore(): Promise<Core> {
  return createCore({
    dataDir,
    deviceSecret,
    clock: clock.now,
    kdf: LIGHT_KDF,
    roomAudioProcessing: false,
    freeBytes: () => 10 * 1024 ** 3,
    captureHost: { open: () => undefined, close: () => undefined },
    // The WAL holds audio only for recordings kept in SQLite (those made before 0070).
    newRecordingStorage: 'sqlite',
  });
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-wal-'));
  deviceSecret = new Uint8Array(randomBytes(32));
  clock = fakeClock();
  reader = null;
  core = await startCore();
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
});
afterEach(() => {
  reader?.close();
  core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const vaultPath = () => join(dataDir, 'vault.sqlite');
const walPath = () => `${vaultPath()}-wal`;
const walBytes = () => statSync(walPath(), { throwIfNoEntry: false })?.size ?? 0;

/** Records a few seconds, then opens a read-only reader that holds a snapshot, as `backup` does. */
async function recordWithReaderHolding(): Promise<{ recordingId: string; secrets: Buffer[] }> {
  const client = await signedClient(core, clock.now());
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, 4, { beforeEach: () => clock.advance(1000) });
  await stopCapture(core, recordingId);

  reader = new Database(vaultPath(), { readonly: true, fileMustExist: true });
  reader.exec('BEGIN');
  const chunks = reader
    .prepare('SELECT ciphertext FROM chunks WHERE length(ciphertext) > 1000')
    .all() as { ciphertext: Buffer }[];
  const wrapped = reader
    .prepare('SELECT ciphertext FROM wrapped_keys WHERE key_id = ?')
    .get(`rk/${recordingId}`) as { ciphertext: Buffer };
  const secrets = [
    ...chunks.map((row) => Buffer.from(row.ciphertext.subarray(200, 264))),
    Buffer.from(wrapped.ciphertext.subarray(0, 32)),
  ];
  expect(chunks).toHaveLength(4);
  return { recordingId, secrets };
}

function filesHolding(secrets: Buffer[]): string[] {
  return readdirSync(dataDir).filter((file) => {
    const bytes = readFileSync(join(dataDir, file));
    return secrets.some((secret) => bytes.includes(secret));
  });
}

function releaseReader(): void {
  reader!.exec('COMMIT');
  reader!.close();
  reader = null;
}

/** Destroys while the reader holds its snapshot; returns how long main was blocked. */
async function destroyTimed(recordingId: string): Promise<number> {
  const started = performance.now();
  await call(core, 'recording.destroy', { recordingId });
  return performance.now() - started;
}

describe('emptying the WAL after a destruction while another connection reads', () => {
  it('does not block main, and the next tick after the reader lets go leaves no copy', async () => {
    const { recordingId, secrets } = await recordWithReaderHolding();
    expect(filesHolding(secrets)).toContain('vault.sqlite-wal');

    expect(await destroyTimed(recordingId)).toBeLessThan(MAX_BLOCK_MS);
    // The reader's snapshot still needs the old frames: the destroyed bytes are in the WAL.
    expect(filesHolding(secrets)).toContain('vault.sqlite-wal');

    // While it still reads, each tick tries once, briefly, and leaves the WAL alone.
    const tickStarted = performance.now();
    core.tick();
    expect(performance.now() - tickStarted).toBeLessThan(MAX_BLOCK_MS);
    expect(filesHolding(secrets)).toContain('vault.sqlite-wal');

    releaseReader();
    core.tick();
    expect(walBytes()).toBe(0);
    expect(filesHolding(secrets)).toEqual([]);
  });

  it('empties the WAL at close once the reader has let go', async () => {
    const { recordingId, secrets } = await recordWithReaderHolding();
    expect(await destroyTimed(recordingId)).toBeLessThan(MAX_BLOCK_MS);
    releaseReader();
    core.close();
    expect(walBytes()).toBe(0);
    expect(filesHolding(secrets)).toEqual([]);
    core = await startCore();
  });

  it('empties, on the first tick after a restart, a WAL a reader kept alive past quit', async () => {
    const { recordingId, secrets } = await recordWithReaderHolding();
    expect(await destroyTimed(recordingId)).toBeLessThan(MAX_BLOCK_MS);
    const closeStarted = performance.now();
    core.close();
    expect(performance.now() - closeStarted).toBeLessThan(MAX_BLOCK_MS);
    expect(filesHolding(secrets)).toContain('vault.sqlite-wal');

    releaseReader();
    core = await startCore();
    core.tick();
    expect(walBytes()).toBe(0);
    expect(filesHolding(secrets)).toEqual([]);
  });
});
