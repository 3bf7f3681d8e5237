import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

describe('migration 0130-vault-record', () => {
  it('takes a version 110 vault to 130: its vault record waits for the next unlock', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= 110),
    );
    db.prepare(
      "INSERT INTO vault_meta (singleton, format, vault_id, created_at) VALUES (1, 'f', zeroblob(16), 1)",
    ).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 130),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(130);
    expect(db.prepare('SELECT vault_record_pending FROM vault_meta').get()).toEqual({
      vault_record_pending: 1,
    });
    expect(() => db.prepare('UPDATE vault_meta SET vault_record_pending = 2').run()).toThrow(
      /CHECK/,
    );
  });

  it('a vault created at 130 has no vault record waiting', () => {
    const db = new Database(':memory:');
    migrate(db);
    db.prepare(
      "INSERT INTO vault_meta (singleton, format, vault_id, created_at) VALUES (1, 'f', zeroblob(16), 1)",
    ).run();
    expect(db.prepare('SELECT vault_record_pending FROM vault_meta').get()).toEqual({
      vault_record_pending: 0,
    });
  });
});
