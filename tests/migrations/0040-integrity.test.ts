import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

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
