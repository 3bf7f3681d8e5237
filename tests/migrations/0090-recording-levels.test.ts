import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

describe('migration 0090-recording-levels', () => {
  it('adds one sealed levels row per recording, bound to a recording that exists', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version < 90),
    );
    db.prepare(
      "INSERT INTO clients (client_id, created_at, profile_nonce, profile) VALUES ('c1', 1, x'00', x'00')",
    ).run();
    db.prepare(
      "INSERT INTO recordings (rec_no, recording_id, client_id, started_at, state, sealed_meta) VALUES (7, 'r1', 'c1', 1, 'finalised', x'00')",
    ).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 90),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(90);
    const insert = (recNo: number, binMs: number) =>
      db
        .prepare(
          "INSERT INTO recording_levels (rec_no, bin_ms, nonce, sealed_levels) VALUES (?, ?, x'00', x'00')",
        )
        .run(recNo, binMs);
    insert(7, 250);
    expect(() => insert(7, 250)).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insert(8, 250)).toThrow(/FOREIGN KEY/);
    db.prepare('DELETE FROM recording_levels').run();
    expect(() => insert(7, 0)).toThrow(/CHECK/);
  });
});
