// Recording files through the real core's channels (issue 16): what the capture window sends
// lands in the recording's file and plays back byte for byte; destroying it removes the file off
// main and resumes after a quit; a backup carries the files and its restore plays; `doctor` names
// a file altered or removed outside the app.
import { randomBytes } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { backup } from '../../../cli/backup';
import { doctor } from '../../../cli/doctor';
import { PASSPHRASE, audioSecond, fakeClock } from '../helpers/kernel-helpers';
import {
  call,
  readVaultFile,
  recordForNewClient,
  refusal,
  testCore,
} from '../helpers/practice-helpers';

let dataDir: string;
let clock: ReturnType<typeof fakeClock>;
let deviceSecret: Uint8Array;
let core: Core | null;
const folders: string[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-files-'));
  folders.push(dataDir);
  clock = fakeClock();
  deviceSecret = new Uint8Array(randomBytes(32));
  core = await testCore(dataDir, clock, { deviceSecret });
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
});
afterEach(() => {
  core?.close();
  core = null;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function opened(): Core {
  if (!core) throw new Error('no core');
  return core;
}

const recordSeconds = (seconds: number) => recordForNewClient(opened(), clock.now(), seconds);

async function playsEverySecond(target: Core, recordingId: string, seconds: number) {
  const playback = await call(target, 'playback.open', { recordingId });
  expect(playback.chunks.map((c) => c.seq)).toEqual([...Array(seconds).keys()]);
  for (let seq = 0; seq < seconds; seq += 1) {
    const chunk = await call(target, 'playback.chunk', {
      playbackId: playback.playbackId,
      seq,
    });
    expect(Buffer.from(chunk.data)).toEqual(Buffer.from(audioSecond(seq)));
  }
  await call(target, 'playback.close', { playbackId: playback.playbackId, heardMs: 1000 });
}

const audioFile = (folder: string, recordingId: string) =>
  join(folder, 'recordings', `${recordingId}.audio`);

const readOnly = <T>(folder: string, read: (db: Database.Database) => T): T =>
  readVaultFile(join(folder, 'vault.sqlite'), read);

async function logActions(target: Core, subject: string): Promise<string[]> {
  const log = await call(target, 'audit.query', { limit: 500 });
  return log.entries.filter((e) => e.subject === subject).map((e) => e.action);
}

describe('recording files through the core', () => {
  it('a recording through capture.chunk lands in its file and plays byte for byte', async () => {
    const recordingId = await recordSeconds(5);
    expect(existsSync(audioFile(dataDir, recordingId))).toBe(true);
    expect(readOnly(dataDir, (db) => db.prepare('SELECT count(*) AS n FROM chunks').get())).toEqual(
      { n: 0 },
    );
    await playsEverySecond(opened(), recordingId, 5);
  });

  it('destruction removes the file after the key, and a quit in between resumes at the next start', async () => {
    const recordingId = await recordSeconds(3);
    await call(opened(), 'recording.destroy', { recordingId });
    // Closed before another turn of the event loop: the file's removal has not been recorded.
    opened().close();
    core = null;
    expect(
      readOnly(dataDir, (db) =>
        db
          .prepare(
            'SELECT state, ciphertext_removed_at AS removedAt FROM recordings WHERE recording_id = ?',
          )
          .get(recordingId),
      ),
    ).toEqual({ state: 'destroyed', removedAt: null });
    expect(
      readOnly(dataDir, (db) =>
        db
          .prepare('SELECT count(*) AS n FROM wrapped_keys WHERE key_id = ?')
          .get(`rk/${recordingId}`),
      ),
    ).toEqual({ n: 0 });

    core = await testCore(dataDir, clock, { deviceSecret });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('NOT_ALLOWED');
    for (;;) {
      const removedAt = readOnly(dataDir, (db) =>
        db
          .prepare('SELECT ciphertext_removed_at AS t FROM recordings WHERE recording_id = ?')
          .get(recordingId),
      ) as { t: number | null };
      if (removedAt.t !== null) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(existsSync(audioFile(dataDir, recordingId))).toBe(false);
    expect(await logActions(core, recordingId)).toContain('recording.destroy.complete');
    expect(
      readOnly(dataDir, (db) => db.prepare('SELECT count(*) AS n FROM audio_frames').get()),
    ).toEqual({ n: 0 });
  });

  it('a backup carries the recording files, and its restore plays', async () => {
    const recordingId = await recordSeconds(4);
    opened().close();
    core = null;
    const outDir = mkdtempSync(join(tmpdir(), 'sv-files-backup-'));
    folders.push(outDir);
    const out = join(outDir, 'vault-backup.sqlite');
    const report = await backup(dataDir, out);
    expect(report).toMatchObject({ ok: true, exitCode: 0 });
    expect(readdirSync(`${out}.recordings`)).toEqual([`${recordingId}.audio`]);

    const restored = mkdtempSync(join(tmpdir(), 'sv-files-restored-'));
    folders.push(restored);
    cpSync(out, join(restored, 'vault.sqlite'));
    cpSync(`${out}.recordings`, join(restored, 'recordings'), { recursive: true });
    core = await testCore(restored, clock, { deviceSecret });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await playsEverySecond(core, recordingId, 4);
  });

  it('doctor names a recording file altered or removed outside the app', async () => {
    const altered = await recordSeconds(3);
    const removed = await recordSeconds(2);
    const intact = await recordSeconds(2);
    opened().close();
    core = null;
    expect((await doctor(dataDir)).problems).toEqual([]);

    const bytes = readFileSync(audioFile(dataDir, altered));
    const at = bytes.length - 100;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    writeFileSync(audioFile(dataDir, altered), bytes);
    rmSync(audioFile(dataDir, removed));
    const report = await doctor(dataDir);
    expect(report.exitCode).toBe(1);
    expect(report.problems.filter((p) => p.includes(altered))).toHaveLength(1);
    expect(report.problems.find((p) => p.includes(altered))).toMatch(/does not match/);
    expect(report.problems.find((p) => p.includes(removed))).toMatch(/gone/);
    expect(report.problems.some((p) => p.includes(intact))).toBe(false);

    // A file no recording owns, and a destroyed recording's file put back after its removal.
    writeFileSync(join(dataDir, 'recordings', 'f00d.audio'), 'x');
    core = await testCore(dataDir, clock, { deviceSecret });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const kept = readFileSync(audioFile(dataDir, intact));
    await call(core, 'recording.destroy', { recordingId: intact });
    while (!(await logActions(core, intact)).includes('recording.destroy.complete'))
      await new Promise((resolve) => setImmediate(resolve));
    core.close();
    core = null;
    writeFileSync(audioFile(dataDir, intact), kept);
    const again = await doctor(dataDir);
    expect(again.problems.find((p) => p.includes('f00d.audio'))).toMatch(/belongs to no recording/);
    expect(again.problems.find((p) => p.includes(intact))).toMatch(/destroyed but its file/);
  });
});
