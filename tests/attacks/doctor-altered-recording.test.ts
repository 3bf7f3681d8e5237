// Attacks checked with `doctor`, which has no key: alter a recording's chunks, swap its wrapped
// key for another recording's, delete a recording's rows and key. Before issue 11 doctor said
// HEALTHY to each.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { editVaultRows, practicesForEachTest, unlock, type Practice } from './attack-helpers';
import { sendSeconds, startCapture, stopCapture } from '../unit/helpers/practice-helpers';
import { STACK_TRACE, doctorSays } from './doctor-findings';

const practices = practicesForEachTest();

function edit(dataDir: string, change: (db: Database.Database) => void): void {
  editVaultRows(dataDir, (db) => {
    change(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
  });
}

async function twoRecordings(
  newRecordingStorage: 'file' | 'sqlite' = 'file',
): Promise<{ practice: Practice; first: string; second: string }> {
  const practice = await practices.start({ newRecordingStorage });
  const { recordingId: second } = await startCapture(practice.core, practice.clientId);
  await sendSeconds(practice.core, second, 2);
  await stopCapture(practice.core, second);
  await practice.quit();
  const healthy = await doctorSays(practice.dataDir);
  expect(healthy.code).toBe(0);
  expect(healthy.text).toContain('Ciphertext commitments: 2 recordings match');
  return { practice, first: practice.recordingId, second };
}

function expectNamed(said: { code: number; text: string }, recordingId: string, what: RegExp) {
  expect(said.code).toBe(1);
  expect(said.text).not.toMatch(/HEALTHY$/);
  expect(said.text).not.toMatch(STACK_TRACE);
  // Every problem about this recording (a deleted recording can also leave its audio file behind).
  const lines = said.text
    .split('\n')
    .filter((l) => l.startsWith('PROBLEM:') && l.includes(recordingId));
  expect(lines.find((l) => what.test(l)) ?? lines.join('\n')).toMatch(what);
}

describe('doctor finds what was changed in a recording without any key', () => {
  it('altered chunks', async () => {
    const { practice, first, second } = await twoRecordings('sqlite');
    edit(practice.dataDir, (db) => {
      const row = db
        .prepare(
          'SELECT c.chunk_id AS id, c.ciphertext AS ct FROM chunks c JOIN recordings r USING (rec_no) WHERE r.recording_id = ? AND c.seq = 1',
        )
        .get(first) as { id: number; ct: Buffer };
      row.ct[10] = row.ct[10]! ^ 0x01;
      db.prepare('UPDATE chunks SET ciphertext = ? WHERE chunk_id = ?').run(row.ct, row.id);
    });
    const said = await doctorSays(practice.dataDir);
    expectNamed(said, first, /does not match its signed commitment/);
    expect(said.text).not.toContain(`PROBLEM: Recording ${second}`);
  });

  it('an altered recording file, and one removed', async () => {
    const { practice, first, second } = await twoRecordings();
    const file = (id: string) => join(practice.dataDir, 'recordings', `${id}.audio`);
    const bytes = readFileSync(file(first));
    bytes.writeUInt8(bytes.readUInt8(200) ^ 0x01, 200);
    writeFileSync(file(first), bytes);
    const said = await doctorSays(practice.dataDir);
    expectNamed(said, first, /does not match its signed commitment/);
    expect(said.text).not.toContain(`PROBLEM: Recording ${second}`);
    rmSync(file(second));
    expectNamed(await doctorSays(practice.dataDir), second, /gone/);
  });

  it('a wrapped key swapped for another recording’s', async () => {
    const { practice, first, second } = await twoRecordings();
    edit(practice.dataDir, (db) => {
      const other = db
        .prepare('SELECT kdf, nonce, ciphertext, integrity FROM wrapped_keys WHERE key_id = ?')
        .get(`rk/${second}`) as {
        kdf: string | null;
        nonce: Buffer;
        ciphertext: Buffer;
        integrity: Buffer;
      };
      db.prepare(
        'UPDATE wrapped_keys SET kdf = ?, nonce = ?, ciphertext = ?, integrity = ? WHERE key_id = ?',
      ).run(other.kdf, other.nonce, other.ciphertext, other.integrity, `rk/${first}`);
    });
    expectNamed(await doctorSays(practice.dataDir), first, /key was swapped/);
  });

  it('a recording deleted with its rows, chunks and key', async () => {
    const { practice, first } = await twoRecordings();
    edit(practice.dataDir, (db) => {
      const { rec_no: recNo } = db
        .prepare('SELECT rec_no FROM recordings WHERE recording_id = ?')
        .get(first) as { rec_no: number };
      db.prepare('DELETE FROM chunks WHERE rec_no = ?').run(recNo);
      db.prepare('DELETE FROM markers WHERE rec_no = ?').run(recNo);
      db.prepare('DELETE FROM removed_ranges WHERE rec_no = ?').run(recNo);
      db.prepare('DELETE FROM recordings WHERE rec_no = ?').run(recNo);
      db.prepare('DELETE FROM wrapped_keys WHERE key_id = ?').run(`rk/${first}`);
    });
    expectNamed(await doctorSays(practice.dataDir), first, /deleted outside Session Vault/);
  });

  it('a recording destroyed by the app is not a finding', async () => {
    const { practice, first } = await twoRecordings();
    const core = await practice.start();
    await unlock(core);
    const result = await core.dispatch('recording.destroy', { recordingId: first });
    expect(result.ok).toBe(true);
    await practice.quit();
    const said = await doctorSays(practice.dataDir);
    expect(said.text).toContain('Ciphertext commitments: 1 recordings match');
    expect(said.code).toBe(0);
  });
});
