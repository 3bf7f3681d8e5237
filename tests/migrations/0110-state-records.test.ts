import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

describe('migration 0110-state-records', () => {
  it('takes a version 60 vault to 110: its rows wait to be signed, its commitments keep no record', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version <= 60),
    );
    db.prepare(
      "INSERT INTO vault_meta (singleton, format, vault_id, created_at) VALUES (1, 'f', zeroblob(16), 1)",
    ).run();
    db.prepare(
      "INSERT INTO state_seals (subject, revision, signature) VALUES ('commitment/r1', 1, zeroblob(64))",
    ).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 110),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(110);
    expect(db.prepare('SELECT state_records_pending FROM vault_meta').get()).toEqual({
      state_records_pending: 1,
    });
    expect(db.prepare('SELECT subject, record FROM state_seals').all()).toEqual([
      { subject: 'commitment/r1', record: null },
    ]);
    expect(() => db.prepare('UPDATE vault_meta SET state_records_pending = 2').run()).toThrow(
      /CHECK/,
    );
  });

  it('a vault created at 110 has nothing waiting to be signed', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare(
      "INSERT INTO vault_meta (singleton, format, vault_id, created_at) VALUES (1, 'f', zeroblob(16), 1)",
    ).run();
    expect(db.prepare('SELECT state_records_pending FROM vault_meta').get()).toEqual({
      state_records_pending: 0,
    });
  });
});
