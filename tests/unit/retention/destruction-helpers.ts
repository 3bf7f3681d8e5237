// What the destruction tests read beside the core, as `doctor` reads: a read-only connection to
// the vault file, the chunks kept in SQLite, and a scan of every file in the vault folder for
// known pieces of ciphertext.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import {
  buildYearFixture,
  type YearFixture,
  type YearFixtureOptions,
} from '../../bench/year-fixture';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import { call, readVaultFile, refusal } from '../helpers/practice-helpers';

export const readOnly = readVaultFile;

export const chunksLeft = (path: string) =>
  readOnly(path, (db) => (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n);

/** 64 bytes from chunks 1, 600 and 1199 of every recording: what a scan must not find afterwards. */
/** Pages the file holds free, not yet given back to the disk (auto_vacuum = INCREMENTAL). */
export const freePages = (path: string) =>
  readOnly(path, (db) => db.pragma('freelist_count', { simple: true }) as number);

export const ciphertextSamples = (path: string): Buffer[] =>
  readOnly(path, (db) =>
    (
      db
        .prepare(
          'SELECT ciphertext FROM chunks WHERE seq IN (1, 600, 1199) AND length(ciphertext) > 1000',
        )
        .all() as { ciphertext: Buffer }[]
    ).map((row) => Buffer.from(row.ciphertext.subarray(100, 164))),
  );

/** The files of the vault folder (the vault file, its WAL) holding any of `samples`. */
export function filesHolding(dataDir: string, samples: Buffer[]): string[] {
  return readdirSync(dataDir).filter((file) => {
    const bytes = readFileSync(join(dataDir, file));
    return samples.some((sample) => bytes.includes(sample));
  });
}

/** What an interrupted destruction leaves: every key gone, every row destroyed, some not removed. */
export function expectCutShort(path: string, ids: string[]): void {
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
}

/**
 * The start after it, unlocked: nothing plays, the removal completes with one
 * `recording.destroy.complete` per recording, and no file of the folder holds a sample. Returns
 * the log's last 500 entries.
 */
export async function expectResumedAndCompleted(
  core: Core,
  fixture: { path: string; dataDir: string },
  ids: string[],
  samples: Buffer[],
) {
  await call(core, 'session.unlock', { passphrase: PASSPHRASE });
  for (const recordingId of ids)
    expect(['RECORDING_DESTROYED', 'NOT_ALLOWED']).toContain(
      (await refusal(core, 'playback.open', { recordingId })).code,
    );
  await expect.poll(() => chunksLeft(fixture.path), { timeout: 60_000, interval: 50 }).toBe(0);
  const { entries } = await call(core, 'audit.recent', { limit: 500 });
  for (const recordingId of ids)
    expect(
      entries.filter((e) => e.action === 'recording.destroy.complete' && e.subject === recordingId),
    ).toHaveLength(1);
  // The WAL is emptied once the last slice is gone, so the file and its WAL hold no copy. A
  // reader (the start-up whole-file check, slow on a loaded machine) can make that truncation
  // wait for main's next tick, which retries it: ticked here as the app's timer does. The freed
  // pages go back to the disk a few per turn, and a tick's retry can empty the WAL before the
  // last of them went (a loaded run read the file before they had): done when none is left.
  await expect
    .poll(
      () => {
        core.tick();
        return {
          holding: filesHolding(fixture.dataDir, samples),
          freePages: freePages(fixture.path),
        };
      },
      { timeout: 30_000, interval: 250 },
    )
    .toEqual({ holding: [], freePages: 0 });
  return entries;
}

/**
 * Builds, per test, 4 recordings × 20 minutes with their chunks kept in SQLite (recordings from
 * before 0070): their removal goes slice by slice, more than one turn of main can remove. Each is
 * cleaned up (its core closed, its folder deleted) after its test.
 */
export function slicedFixturesForEachTest(): (
  name: string,
  more?: Partial<YearFixtureOptions>,
) => Promise<YearFixture> {
  let built: YearFixture | null = null;
  afterEach(() => {
    built?.cleanup();
    built = null;
  });
  return async (name, more = {}) =>
    (built = await buildYearFixture({
      clients: 2,
      recordings: 4,
      seconds: 1200,
      name,
      newRecordingStorage: 'sqlite',
      ...more,
    }));
}

/** Every recording of `fixture`, with 64-byte samples of its ciphertext and the chunks in all. */
export function beforeDestruction(fixture: YearFixture) {
  const samples = ciphertextSamples(fixture.path);
  expect(samples).toHaveLength(12);
  return {
    ids: fixture.recordings.map((r) => r.recordingId),
    samples,
    totalChunks: chunksLeft(fixture.path),
  };
}
