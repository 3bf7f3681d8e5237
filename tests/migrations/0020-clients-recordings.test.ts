import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

describe('migration 0020-clients-recordings', () => {
  it('takes a version 10 vault to 20, keeping what it held', () => {
    const db = new Database(':memory:');
    migrate(
      db,
      migrations.filter((m) => m.version <= 10),
    );
    db.prepare("INSERT INTO settings (name, value) VALUES ('idleLockMinutes', '7')").run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 20),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(20);
    expect(db.prepare("SELECT value FROM settings WHERE name = 'idleLockMinutes'").get()).toEqual({
      value: '7',
    });
    db.prepare(
      "INSERT INTO clients (client_id, created_at, profile_nonce, profile) VALUES ('c1', 1, x'00', x'00')",
    ).run();
    db.prepare(
      "INSERT INTO recordings (recording_id, client_id, started_at, state, sealed_meta) VALUES ('r1', 'c1', 1, 'recording', x'00')",
    ).run();
    const recNo = (
      db.prepare("SELECT rec_no FROM recordings WHERE recording_id = 'r1'").get() as {
        rec_no: number;
      }
    ).rec_no;
    // The chunk rowid must be rec_no * 2^32 + seq: anything else is refused.
    expect(() =>
      db
        .prepare(
          "INSERT INTO chunks (chunk_id, rec_no, seq, start_ms, duration_ms, nonce, ciphertext) VALUES (?, ?, 0, 0, 1000, x'00', x'00')",
        )
        .run(recNo * 4294967296 + 1, recNo),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO recordings (recording_id, client_id, started_at, state, sealed_meta) VALUES ('r2', 'c1', 1, 'playing', x'00')",
        )
        .run(),
    ).toThrow(/CHECK/);
  });
});
