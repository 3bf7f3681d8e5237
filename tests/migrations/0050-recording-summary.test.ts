import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

describe('migration 0050-recording-summary', () => {
  it('takes the previous version to 50, keeping recordings and leaving their summary to fill', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version < 50),
    );
    db.prepare(
      "INSERT INTO clients (client_id, created_at, profile_nonce, profile) VALUES ('c1', 1, x'00', x'00')",
    ).run();
    db.prepare(
      "INSERT INTO recordings (recording_id, client_id, started_at, state, sealed_meta) VALUES ('r1', 'c1', 5, 'finalised', x'00')",
    ).run();
    db.prepare(
      "INSERT INTO recordings (recording_id, client_id, started_at, state, sealed_meta, destroyed_at) VALUES ('r0', 'c1', 2, 'destroyed', x'00', 9)",
    ).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 50),
    );
    // Destroyed before 50, its chunks went in the same call: nothing is left to remove.
    expect(
      db
        .prepare('SELECT recording_id, ciphertext_removed_at FROM recordings ORDER BY rec_no')
        .all(),
    ).toEqual([
      { recording_id: 'r1', ciphertext_removed_at: null },
      { recording_id: 'r0', ciphertext_removed_at: 9 },
    ]);
    expect(db.pragma('user_version', { simple: true })).toBe(50);
    expect(
      db
        .prepare(
          'SELECT recording_id, started_at, duration_ms, chunk_count, audio_bytes FROM recordings WHERE rec_no = 1',
        )
        .all(),
    ).toEqual([
      {
        recording_id: 'r1',
        started_at: 5,
        duration_ms: null,
        chunk_count: null,
        audio_bytes: null,
      },
    ]);
    expect(() =>
      db.prepare("UPDATE recordings SET duration_ms = -1 WHERE recording_id = 'r1'").run(),
    ).toThrow(/CHECK/);
  });
});
