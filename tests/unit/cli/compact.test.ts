// `session-vault-audit compact` on a vault made before `auto_vacuum = INCREMENTAL` (issue 16, "Give
// the space back"): such a vault keeps a destroyed recording's pages and never shrinks; one
// compaction with the app closed gives them back, and the vault opens and plays as before. It
// refuses while the app holds the vault, and when the disk has no room for the rewrite.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compact } from '../../../cli/compact';
import { doctor } from '../../../cli/doctor';
import { run } from '../../../cli/run';
import type { Core } from '../../../electron/core/create-core';
import { errorSentences } from '../../../shared/errors';
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

const vaultPath = () => join(dataDir, 'vault.sqlite');
const vaultBytes = () =>
  [vaultPath(), `${vaultPath()}-wal`].reduce(
    (sum, file) => sum + (statSync(file, { throwIfNoEntry: false })?.size ?? 0),
    0,
  );

const readOnly = <T>(read: (db: Database.Database) => T): T => readVaultFile(vaultPath(), read);

const openCore = () => testCore(dataDir, clock, { deviceSecret, newRecordingStorage: 'sqlite' });

function opened(): Core {
  if (!core) throw new Error('no core');
  return core;
}

const recordSeconds = (seconds: number) =>
  recordForNewClient(opened(), clock.now(), seconds, { beforeEach: () => clock.advance(1000) });

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-compact-'));
  clock = fakeClock();
  deviceSecret = new Uint8Array(randomBytes(32));
  core = await openCore();
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
});
afterEach(() => {
  core?.close();
  core = null;
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Two recordings kept in SQLite, as before migration 0070, in a file as vaults were made before
 * `auto_vacuum = INCREMENTAL` (the header's setting off); then one is destroyed and its removal
 * completes. Returns the one kept.
 */
async function olderVaultWithOneDestroyed(): Promise<string> {
  const destroyed = await recordSeconds(40);
  const kept = await recordSeconds(5);
  opened().close();
  core = null;
  const db = new Database(vaultPath());
  db.pragma('auto_vacuum = NONE');
  db.exec('VACUUM');
  db.close();
  expect(readOnly((db) => db.pragma('auto_vacuum', { simple: true }))).toBe(0);

  core = await openCore();
  await call(opened(), 'session.unlock', { passphrase: PASSPHRASE });
  await call(opened(), 'recording.destroy', { recordingId: destroyed });
  await expect
    .poll(() =>
      readOnly((db) =>
        db
          .prepare(
            'SELECT ciphertext_removed_at IS NOT NULL AS removed FROM recordings WHERE recording_id = ?',
          )
          .get(destroyed),
      ),
    )
    .toEqual({ removed: 1 });
  opened().close();
  core = null;
  return kept;
}

describe('compact', () => {
  it('gives an older vault the destroyed recording’s space back, and it plays as before', async () => {
    const kept = await olderVaultWithOneDestroyed();
    const before = vaultBytes();
    const freePages = readOnly((db) => db.pragma('freelist_count', { simple: true }) as number);
    expect(freePages).toBeGreaterThan(0);

    const printed: string[] = [];
    expect(await run(['compact', dataDir], (line) => printed.push(line))).toBe(0);
    expect(printed.join('\n')).toContain('Compacted');
    expect(vaultBytes()).toBeLessThan(before);
    expect(readOnly((db) => db.pragma('auto_vacuum', { simple: true }))).toBe(2);
    expect(readOnly((db) => db.pragma('freelist_count', { simple: true }))).toBe(0);
    expect((await doctor(dataDir)).ok).toBe(true);

    core = await openCore();
    await call(opened(), 'session.unlock', { passphrase: PASSPHRASE });
    const playback = await call(opened(), 'playback.open', { recordingId: kept });
    for (const { seq } of playback.chunks) {
      const chunk = await call(opened(), 'playback.chunk', {
        playbackId: playback.playbackId,
        seq,
      });
      expect(Buffer.from(chunk.data)).toEqual(Buffer.from(audioSecond(seq)));
    }
    expect(playback.chunks.length).toBeGreaterThanOrEqual(5);

    // A second run finds nothing to switch.
    opened().close();
    core = null;
    const again = await compact(dataDir);
    expect(again).toMatchObject({ ok: true, exitCode: 0 });
    expect(again.message).toContain('already gives freed space back');
  });

  it('refuses while Session Vault has the vault open, and changes nothing', async () => {
    await call(opened(), 'session.lock', {});
    const bytes = vaultBytes();
    const report = await compact(dataDir);
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.message).toContain(errorSentences.VAULT_IN_USE);
    expect(vaultBytes()).toBe(bytes);
    expect(readOnly((db) => db.pragma('auto_vacuum', { simple: true }))).toBe(2);
    // The app, still open, goes on working.
    expect((await refusal(opened(), 'session.unlock', { passphrase: 'wrong' })).code).toBe(
      'WRONG_PASSPHRASE',
    );
  });

  it('refuses when the disk has no room for the rewrite, and changes nothing', async () => {
    await olderVaultWithOneDestroyed();
    const bytes = vaultBytes();
    const report = await compact(dataDir, () => bytes);
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.message).toMatch(/needs .* MB free on its disk/);
    expect(vaultBytes()).toBe(bytes);
    expect(readOnly((db) => db.pragma('auto_vacuum', { simple: true }))).toBe(0);
  });

  it('answers a folder with no vault with exit code 3', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sv-compact-empty-'));
    try {
      expect(await compact(empty)).toMatchObject({ ok: false, exitCode: 3 });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
