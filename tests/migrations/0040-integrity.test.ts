import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { LATEST_SCHEMA_VERSION, migrations } from '../../migrations/index';
import {
  PASSPHRASE,
  editVaultFile,
  newPracticeForEachTest,
  publicRowHash,
} from '../attacks/helpers';
import { call, refusal, signedClient } from '../unit/helpers/practice-helpers';

describe('migration 0040-integrity', () => {
  it('takes a version 30 vault to 40, keeping its rows and adding the integrity state', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version <= 30),
    );
    db.prepare(
      "INSERT INTO vault_meta (singleton, format, vault_id, created_at) VALUES (1, 'f', zeroblob(16), 1)",
    ).run();
    db.prepare(
      "INSERT INTO clients (client_id, created_at, profile_nonce, profile) VALUES ('c1', 1, x'00', x'00')",
    ).run();
    db.prepare(
      "INSERT INTO recordings (recording_id, client_id, started_at, state, sealed_meta, destroy_after) VALUES ('r1', 'c1', 5, 'finalised', x'00', 99)",
    ).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 40),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(40);
    expect(
      db
        .prepare(
          'SELECT state_public_key, device_check, anchor_generation FROM vault_meta WHERE singleton = 1',
        )
        .get(),
    ).toEqual({ state_public_key: null, device_check: null, anchor_generation: 0 });
    expect(db.prepare('SELECT client_id, state_public_key FROM clients').all()).toEqual([
      { client_id: 'c1', state_public_key: null },
    ]);
    expect(
      db.prepare('SELECT recording_id, destroy_after, held_reason FROM recordings').all(),
    ).toEqual([{ recording_id: 'r1', destroy_after: 99, held_reason: null }]);

    db.prepare(
      "INSERT INTO state_seals (subject, revision, signature) VALUES ('vault', 1, zeroblob(64))",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO state_seals (subject, revision, signature) VALUES ('client/c1', 1, x'00')",
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare(
      "INSERT INTO closing_ledger (n, kind, subject_id, digest) VALUES (1, 'destroyed', 'r1', zeroblob(32))",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO closing_ledger (n, kind, subject_id, digest) VALUES (2, 'forgotten', 'r1', zeroblob(32))",
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE vault_meta SET state_public_key = zeroblob(31)').run()).toThrow(
      /CHECK/,
    );
  });
});

describe('a vault from before migration 40, opened by this version', () => {
  interface KeyRow {
    key_id: string;
    kdf: string | null;
    nonce: Buffer;
    ciphertext: Buffer;
  }

  /** Puts the file back to how version 30 wrote it: public row hashes, no integrity schema. */
  function makeVersion30(db: Database.Database, damagedKeyId: string | null): void {
    const rows = db
      .prepare('SELECT key_id, kdf, nonce, ciphertext FROM wrapped_keys')
      .all() as KeyRow[];
    for (const row of rows)
      db.prepare('UPDATE wrapped_keys SET integrity = ? WHERE key_id = ?').run(
        row.key_id === damagedKeyId ? Buffer.alloc(32) : publicRowHash(row),
        row.key_id,
      );
    db.exec(`
      DELETE FROM wrapped_keys WHERE key_id LIKE 'state/%';
      DROP TABLE state_seals;
      DROP TABLE closing_ledger;
      ALTER TABLE vault_meta DROP COLUMN state_public_key;
      ALTER TABLE vault_meta DROP COLUMN device_check;
      ALTER TABLE vault_meta DROP COLUMN anchor_generation;
      ALTER TABLE clients DROP COLUMN state_public_key;
      ALTER TABLE recordings DROP COLUMN held_reason;
      -- and what the later migrations (50, 60, 70, 80, 90, 110, 130) added, so that each runs again from 30
      ALTER TABLE vault_meta DROP COLUMN state_records_pending;
      ALTER TABLE vault_meta DROP COLUMN vault_record_pending;
      DROP TABLE recording_levels;
      ALTER TABLE recordings DROP COLUMN duration_ms;
      ALTER TABLE recordings DROP COLUMN chunk_count;
      ALTER TABLE recordings DROP COLUMN audio_bytes;
      ALTER TABLE recordings DROP COLUMN ciphertext_removed_at;
      ALTER TABLE recordings DROP COLUMN kind;
      DROP TABLE consent_decisions;
      ALTER TABLE recordings DROP COLUMN storage;
      DROP TABLE audio_frames;
      ALTER TABLE recordings DROP COLUMN sealed_title;
      ALTER TABLE recordings DROP COLUMN sealed_note;
      PRAGMA user_version = 30;
    `);
  }

  const practice = newPracticeForEachTest();
  /**
   * A vault from before migration 40 never had a rollback anchor: the keychain holds none for it.
   * (The one there was written for this file before it was made a version-30 file, and says its
   * state records are complete, which a real version-30 vault never was.) Removed once the app's
   * last write at quit has landed, before the file loses its anchor generation.
   */
  async function forgetAnchor(): Promise<void> {
    const { vaultId, generation } = editVaultFile(practice, (db) => {
      const row = db.prepare('SELECT vault_id, anchor_generation FROM vault_meta').get() as {
        vault_id: Buffer;
        anchor_generation: number;
      };
      return { vaultId: new Uint8Array(row.vault_id), generation: row.anchor_generation };
    });
    for (;;) {
      const read = await practice.keychain.read(vaultId);
      if (read.state === 'present' && read.record.generation === generation) break;
      await new Promise((next) => setImmediate(next));
    }
    expect(await practice.keychain.remove(vaultId)).toBe(true);
  }

  it('keeps working: migrated at open, its keys re-tagged, passphrase and PIN open as before', async () => {
    const client = await signedClient(practice.core, practice.clock.now(), { pin: '482915' });
    practice.close();
    await forgetAnchor();
    editVaultFile(practice, (db) => makeVersion30(db, null));

    const core = await practice.reopen();
    expect((await call(core, 'vault.status')).state).toBe('locked');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await call(core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    expect(await call(core, 'review.unlock', { pin: '482915' })).toMatchObject({ role: 'client' });
    await call(core, 'review.end');
    // The first unlock since the upgrade made the state keys, and nothing reads as tampered.
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await call(core, 'vault.integrity')).toEqual({ alarms: [] });
    practice.close();
    editVaultFile(practice, (db) => {
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
      expect(
        (
          db.prepare('SELECT state_public_key FROM vault_meta').get() as {
            state_public_key: Buffer;
          }
        ).state_public_key,
      ).toHaveLength(32);
      expect(
        (
          db.prepare('SELECT state_public_key FROM clients').get() as {
            state_public_key: Buffer;
          }
        ).state_public_key,
      ).toHaveLength(32);
      expect(
        db
          .prepare("SELECT key_id FROM wrapped_keys WHERE key_id LIKE 'state/%' ORDER BY key_id")
          .all(),
      ).toEqual([{ key_id: `state/client/${client.clientId}` }, { key_id: 'state/mk' }]);
      expect(
        (db.prepare('SELECT device_check FROM vault_meta').get() as { device_check: Buffer })
          .device_check,
      ).toHaveLength(32);
      // No row keeps the public hash an attacker could recompute.
      const rows = db
        .prepare('SELECT key_id, kdf, nonce, ciphertext, integrity FROM wrapped_keys')
        .all() as (KeyRow & { integrity: Buffer })[];
      for (const row of rows) expect(row.integrity.equals(publicRowHash(row))).toBe(false);
    });
  });

  it('a row already changed before the upgrade stays damaged, and is no wrong PIN', async () => {
    const client = await signedClient(practice.core, practice.clock.now(), { pin: '482915' });
    practice.close();
    await forgetAnchor();
    editVaultFile(practice, (db) => makeVersion30(db, `ck/${client.clientId}/credential`));
    const core = await practice.reopen();
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await call(core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    expect((await refusal(core, 'review.unlock', { pin: '482915' })).code).toBe('KEY_DAMAGED');
  });
});
