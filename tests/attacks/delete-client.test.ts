// Attack: delete a client from the file with every row that names them (profile, consent, keys,
// recordings, seals), so that they are gone without a trace. Before the vault record nothing
// listed the clients, so this went unnamed. Now the vault record (signed by the vault state key)
// still lists them: the start-up sweep names them while the vault is locked, the therapist and
// auditors see it, and the other client keeps working.
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { call, signedClient } from '../unit/helpers/practice-helpers';
import {
  editVaultRows,
  integrityAlarms,
  logEntries,
  practiceWithRecording,
  recordOneSecond,
  unlock,
  type Practice,
} from './attack-helpers';

let practice: Practice | null = null;
afterEach(() => {
  practice?.cleanup();
  practice = null;
});

function tablesWithColumn(db: Database.Database, column: string): string[] {
  return (
    db
      .prepare(
        "SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = ?",
      )
      .all(column) as { name: string }[]
  ).map((row) => row.name);
}

function deleteClient(db: Database.Database, clientId: string): void {
  db.transaction(() => {
    const recordings = db
      .prepare('SELECT rec_no, recording_id FROM recordings WHERE client_id = ?')
      .all(clientId) as { rec_no: number; recording_id: string }[];
    for (const { rec_no: recNo, recording_id: recordingId } of recordings) {
      for (const table of tablesWithColumn(db, 'rec_no'))
        if (table !== 'recordings') db.prepare(`DELETE FROM ${table} WHERE rec_no = ?`).run(recNo);
      db.prepare('DELETE FROM recordings WHERE rec_no = ?').run(recNo);
      db.prepare('DELETE FROM wrapped_keys WHERE key_id = ?').run(`rk/${recordingId}`);
      db.prepare('DELETE FROM state_seals WHERE subject = ? OR subject = ?').run(
        `recording/${recordingId}`,
        `commitment/${recordingId}`,
      );
    }
    for (const table of tablesWithColumn(db, 'client_id'))
      if (table !== 'clients') db.prepare(`DELETE FROM ${table} WHERE client_id = ?`).run(clientId);
    db.prepare('DELETE FROM clients WHERE client_id = ?').run(clientId);
    db.prepare("DELETE FROM wrapped_keys WHERE key_id LIKE '%' || ? || '%'").run(clientId);
    db.prepare('DELETE FROM state_seals WHERE subject = ? OR subject = ?').run(
      `client/${clientId}`,
      `consent/${clientId}`,
    );
  })();
}

const DELETED = 'client deleted outside Session Vault';

describe('a client deleted from the file', () => {
  it('is named by the locked start-up sweep, shown and logged once; the other client plays', async () => {
    practice = await practiceWithRecording();
    const { clientId, dataDir } = practice;
    const other = await signedClient(practice.core, practice.clock.now(), {
      name: 'Blair Example',
    });
    const otherRecording = await recordOneSecond(practice.core, other.clientId);
    await practice.quit();

    editVaultRows(dataDir, (db) => deleteClient(db, clientId));
    const core = await practice.start();
    await unlock(core);

    const log = await logEntries(core);
    const alarmAt = log.findIndex(
      (entry) =>
        entry.action === 'integrity.alarm' &&
        entry.subject === `client/${clientId}` &&
        (entry.reason ?? '').startsWith(DELETED),
    );
    // Named while locked, before the therapist unlocked.
    expect(alarmAt).toBeGreaterThan(-1);
    expect(alarmAt).toBeLessThan(log.findLastIndex((entry) => entry.action === 'session.unlock'));
    expect(await integrityAlarms(core)).toContainEqual(
      expect.objectContaining({
        subject: `client/${clientId}`,
        clientId,
        problem: expect.stringContaining(DELETED) as string,
      }),
    );

    const { clients } = await call(core, 'clients.list');
    expect(clients.map((client) => client.clientId)).toEqual([other.clientId]);
    const playback = await call(core, 'playback.open', { recordingId: otherRecording });
    expect(playback.playbackId).toBeTruthy();
    // The vault keeps working: a client added now is listed and can be recorded for.
    const added = await signedClient(core, practice.clock.now(), { name: 'Casey Example' });
    expect(await recordOneSecond(core, added.clientId)).toBeTruthy();

    // Named once: the next run and unlock do not raise it again as new damage.
    await practice.quit();
    const again = await practice.start();
    await unlock(again);
    expect(
      (await logEntries(again)).filter(
        (entry) => entry.action === 'integrity.alarm' && entry.subject === `client/${clientId}`,
      ),
    ).toHaveLength(1);
  });
  it('with the vault state key removed as well: the removal is named while locked', async () => {
    practice = await practiceWithRecording();
    const { clientId, dataDir } = practice;
    await practice.quit();

    editVaultRows(dataDir, (db) => {
      deleteClient(db, clientId);
      // Judged as a vault from before the vault record, the set of clients would be signed anew.
      db.prepare('UPDATE vault_meta SET state_public_key = NULL').run();
      db.prepare("DELETE FROM wrapped_keys WHERE key_id = 'state/mk'").run();
    });
    const core = await practice.start();
    await unlock(core);

    const log = await logEntries(core);
    const alarmAt = log.findIndex(
      (entry) =>
        entry.action === 'integrity.alarm' &&
        entry.subject === 'state/mk' &&
        (entry.reason ?? '').includes('removed outside Session Vault'),
    );
    expect(alarmAt).toBeGreaterThan(-1);
    expect(alarmAt).toBeLessThan(log.findLastIndex((entry) => entry.action === 'session.unlock'));
    expect(await integrityAlarms(core)).toContainEqual(
      expect.objectContaining({ subject: 'state/mk', clientId: null }),
    );
  });
});
