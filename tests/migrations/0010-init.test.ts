import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations, LATEST_SCHEMA_VERSION } from '../../migrations/index';
import { VaultError } from '../../shared/errors';

function tables(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((row) => row.name);
}

describe('migration 0010-init', () => {
  it('takes an empty file (version 0) to version 10 with STRICT tables', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= 10),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(10);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'audit_checkpoints',
        'audit_entries',
        'audit_keys',
        'settings',
        'sealed_fields',
        'unlock_throttle',
        'vault_meta',
        'wrapped_keys',
      ]),
    );
    for (const name of tables(db)) {
      const sql = (
        db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }
      ).sql;
      expect(sql.trimEnd().endsWith('STRICT'), `${name} is STRICT`).toBe(true);
    }
  });

  it('refuses a database from the future', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 10}`);
    expect(() => migrate(db)).toThrowError(VaultError);
    expect(tables(db)).toEqual([]);
  });

  it('runs every pending migration in one transaction: a failure leaves the file as it was', () => {
    const db = new Database(':memory:');
    const failing = [
      ...migrations,
      {
        version: LATEST_SCHEMA_VERSION + 10,
        up: () => {
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(db, failing)).toThrow('boom');
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(tables(db)).toEqual([]);
  });

  it('does nothing on a file already at the latest version', () => {
    const db = new Database(':memory:');
    migrate(db);
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  });
});
