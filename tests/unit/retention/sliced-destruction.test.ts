// Destruction in two steps (issue 16): every due key goes at once in one transaction, so nothing is
// playable from that moment; the ciphertext leaves in slices, a turn of main at a time. A core
// closed between slices (as a quit or a crash leaves it) resumes at the next start and finishes:
// then no copy of a known chunk is left in the file or its WAL, and each completion is logged.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { call, refusal } from '../helpers/practice-helpers';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import { buildYearFixture, type YearFixture } from '../../bench/year-fixture';

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

let fixture: YearFixture | null = null;
let core: Core | null = null;
afterEach(() => {
  core?.close();
  core = null;
  fixture?.cleanup();
  fixture = null;
});

function readOnly<T>(path: string, read: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const chunksLeft = (path: string) =>
  readOnly(path, (db) => (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n);

function filesHolding(dataDir: string, samples: Buffer[]): string[] {
  return readdirSync(dataDir).filter((file) => {
    const bytes = readFileSync(join(dataDir, file));
    return samples.some((sample) => bytes.includes(sample));
  });
}

describe('destruction in slices', () => {
  it('a sweep interrupted between slices resumes at the next start and completes', async () => {
    // Enough audio that one 20 ms turn cannot remove it all: 4 recordings × 20 minutes.
    // The slices are the removal of chunks kept in SQLite (recordings made before 0070).
    fixture = await buildYearFixture({
      clients: 2,
      recordings: 4,
      seconds: 1200,
      name: 'slices',
      newRecordingStorage: 'sqlite',
    });
    const { path, dataDir } = fixture;
    const ids = fixture.recordings.map((r) => r.recordingId);
    const samples = readOnly(path, (db) =>
      (
        db
          .prepare(
            'SELECT ciphertext FROM chunks WHERE seq IN (1, 600, 1199) AND length(ciphertext) > 1000',
          )
          .all() as { ciphertext: Buffer }[]
      ).map((row) => Buffer.from(row.ciphertext.subarray(100, 164))),
    );
    expect(samples).toHaveLength(12);
    const totalChunks = chunksLeft(path);
    fixture.closeCore();
    const bytesBefore = fixture.fileBytes();

    // A year on, every recording is due. A year's leap at start holds destruction until the
    // therapist confirms the date (a wrong clock never decides); confirming sweeps them all.
    fixture.clock.advance(YEAR_MS);
    core = await fixture.reopen();
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await call(core, 'vault.confirmDate', {});
    // The date's confirmation answers once every key is gone; the ciphertext goes in later turns.
    // Closed in the first turn after some of it went: the removal stops between slices.
    while (chunksLeft(path) === totalChunks) await new Promise((resolve) => setImmediate(resolve));
    core.close();
    core = null;
    const afterInterruption = chunksLeft(path);
    expect(afterInterruption).toBeGreaterThan(0);
    expect(afterInterruption).toBeLessThan(totalChunks);
    readOnly(path, (db) => {
      const rows = db
        .prepare('SELECT state, ciphertext_removed_at FROM recordings ORDER BY rec_no')
        .all() as { state: string; ciphertext_removed_at: number | null }[];
      expect(rows.map((row) => row.state)).toEqual(ids.map(() => 'destroyed'));
      expect(rows.some((row) => row.ciphertext_removed_at === null)).toBe(true);
      // Every key went in the first step: nothing is left that could open the chunks still there.
      expect(
        db.prepare("SELECT count(*) AS n FROM wrapped_keys WHERE key_id LIKE 'rk/%'").get(),
      ).toEqual({ n: 0 });
    });

    // The next start: nothing is playable while the rest is removed, and the removal finishes.
    core = await fixture.reopen();
    const opened = core;
    await call(opened, 'session.unlock', { passphrase: PASSPHRASE });
    for (const recordingId of ids)
      expect(['RECORDING_DESTROYED', 'NOT_ALLOWED']).toContain(
        (await refusal(opened, 'playback.open', { recordingId })).code,
      );
    await expect.poll(() => chunksLeft(path), { timeout: 60_000, interval: 50 }).toBe(0);
    const { entries } = await call(opened, 'audit.recent', {
      limit: 500,
    });
    const completed = entries.filter((e) => e.action === 'recording.destroy.complete');
    expect(completed.map((e) => e.subject).sort()).toEqual([...ids].sort());
    expect(entries.filter((e) => e.action === 'recording.destroy')).toHaveLength(ids.length);
    for (const client of fixture.clients) {
      const detail = await call(opened, 'clients.detail', {
        clientId: client.clientId,
      });
      for (const recording of detail.recordings) expect(recording.state).toBe('destroyed');
    }
    // The WAL is emptied once the last slice is gone, so the file and its WAL hold no copy.
    await expect.poll(() => filesHolding(dataDir, samples), { timeout: 30_000 }).toEqual([]);
    opened.close();
    core = null;
    expect(filesHolding(dataDir, samples)).toEqual([]);
    // The space comes back too (auto_vacuum = INCREMENTAL, a few pages a turn): at least 90 % of
    // the audio's bytes.
    expect(bytesBefore - fixture.fileBytes()).toBeGreaterThanOrEqual(0.9 * fixture.audioBytes);
  }, 300_000);
});
