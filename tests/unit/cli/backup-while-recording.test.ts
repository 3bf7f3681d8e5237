// `backup` while a session records (issue 16): the snapshot copy is not restarted by the writer,
// finishes, and opens as a valid vault holding every second acknowledged before it began.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backup } from '../../../cli/backup';
import type { Core } from '../../../electron/core/create-core';
import { call, signedClient, startCapture, testCore } from '../helpers/practice-helpers';
import { audioSecond, fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';

let root: string;
let clock: ReturnType<typeof fakeClock>;
let deviceSecret: Uint8Array;
const cores: Core[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sv-backup-rec-'));
  clock = fakeClock();
  deviceSecret = new Uint8Array(randomBytes(32));
});
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  rmSync(root, { recursive: true, force: true });
});

async function open(dataDir: string): Promise<Core> {
  const core = await testCore(dataDir, clock, { deviceSecret });
  cores.push(core);
  return core;
}

describe('backup while a session records', () => {
  it('finishes, and the copy opens as a vault holding everything up to its snapshot', async () => {
    const vaultDir = join(root, 'vault');
    const core = await open(vaultDir);
    await call(core, 'vault.create', {
      practiceName: 'Riverside',
      therapistName: 'Dr. Jane Example',
      passphrase: PASSPHRASE,
    });
    const client = await signedClient(core, clock.now());
    const { recordingId } = await startCapture(core, client.clientId);
    let seq = 0;
    const send = async () => {
      clock.advance(1000);
      await call(
        core,
        'capture.chunk',
        { recordingId, seq, durationMs: 1000, data: audioSecond(seq) },
        'capture',
      );
      seq += 1;
    };
    for (let i = 0; i < 30; i += 1) await send();
    const acknowledgedBefore = seq;

    // The session goes on while the backup runs; it stops only once the backup has answered.
    let backupDone = false;
    const copy = join(root, 'copy.sqlite');
    const running = backup(vaultDir, copy).finally(() => (backupDone = true));
    let sentDuring = 0;
    while (!backupDone) {
      // Chunks arrive from IPC, each in its own turn: the backup's file I/O answers in between.
      await new Promise((resolve) => setImmediate(resolve));
      await send();
      sentDuring += 1;
    }
    const report = await running;
    expect(report).toMatchObject({ ok: true, exitCode: 0 });
    expect(sentDuring).toBeGreaterThan(0);
    // It heard the session's appends to its recording's file (and went between them).
    expect(report.message).toMatch(/A session was recording/);

    // The copy, as a vault of its own: it opens, unlocks and plays every second it held.
    const restoredDir = join(root, 'restored');
    mkdirSync(restoredDir);
    copyFileSync(copy, join(restoredDir, 'vault.sqlite'));
    // Since 0070 a recording's audio is a file of its own, copied beside the backup.
    cpSync(`${copy}.recordings`, join(restoredDir, 'recordings'), { recursive: true });
    const restored = await open(restoredDir);
    expect(await call(restored, 'vault.status')).toMatchObject({ state: 'locked' });
    await call(restored, 'session.unlock', { passphrase: PASSPHRASE });
    const playback = await call(restored, 'playback.open', { recordingId });
    const held = playback.chunks.map((chunk) => chunk.seq);
    expect(held.length).toBeGreaterThanOrEqual(acknowledgedBefore);
    expect(held.length).toBeLessThanOrEqual(seq);
    expect(held).toEqual(held.map((_, i) => i));
    for (const s of [0, acknowledgedBefore - 1, held.at(-1)!]) {
      const chunk = await call(restored, 'playback.chunk', {
        playbackId: playback.playbackId,
        seq: s,
      });
      expect(Buffer.from(chunk.data)).toEqual(Buffer.from(audioSecond(s)));
    }
  }, 120_000);
});
