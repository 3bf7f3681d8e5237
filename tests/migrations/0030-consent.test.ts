import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

describe('migration 0030-consent', () => {
  it('takes a version 20 vault to 30, keeping clients and recordings', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version <= 20),
    );
    db.prepare(
      "INSERT INTO clients (client_id, created_at, profile_nonce, profile) VALUES ('c1', 1, x'00', x'00')",
    ).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 30),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(30);
    expect(db.prepare('SELECT client_id FROM clients').all()).toEqual([{ client_id: 'c1' }]);
    db.prepare(
      "INSERT INTO consent_versions (client_id, version, consent_id, signed_at, nonce, sealed_terms) VALUES ('c1', 1, 'k', 1, x'00', x'00')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO consent_versions (client_id, version, consent_id, signed_at, nonce, sealed_terms) VALUES ('nobody', 1, 'k', 1, x'00', x'00')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare("INSERT INTO consent_events (client_id, revoked_by_role) VALUES ('c1', 'auditor')")
        .run(),
    ).toThrow(/CHECK/);
  });
});
