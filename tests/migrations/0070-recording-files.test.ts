import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

describe('migration 0070-recording-files', () => {
  it('takes a version 60 vault to 70; earlier recordings stay in SQLite, a storage is checked, frames are indexed', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version <= 60),
    );
    db.prepare(
      "INSERT INTO clients (client_id, created_at, profile_nonce, profile) VALUES ('c1', 1, x'00', x'00')",
    ).run();
    const insert = (id: string) =>
      `INSERT INTO recordings (recording_id, client_id, started_at, state, sealed_meta) VALUES ('${id}', 'c1', 1, 'finalised', x'00')`;
    db.prepare(insert('r1')).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 70),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(70);
    expect(db.prepare('SELECT recording_id, storage FROM recordings').all()).toEqual([
      { recording_id: 'r1', storage: 'sqlite' },
    ]);
    db.prepare(insert('r2')).run();
    db.prepare("UPDATE recordings SET storage = 'file' WHERE recording_id = 'r2'").run();
    expect(() =>
      db.prepare("UPDATE recordings SET storage = 'cloud' WHERE recording_id = 'r2'").run(),
    ).toThrow(/CHECK/);
    const frame = (seq: number, offset: number) =>
      `INSERT INTO audio_frames (frame_id, rec_no, seq, start_ms, duration_ms, file_offset, sealed_bytes) VALUES (${2 * 4294967296 + seq}, 2, ${seq}, 0, 1000, ${offset}, 4016)`;
    db.prepare(frame(0, 0)).run();
    expect(() => db.prepare(frame(1, -1)).run()).toThrow(/CHECK/);
    expect(() => db.prepare(frame(0, 4056)).run()).toThrow(/UNIQUE|PRIMARY/);
  });
});
