import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

describe('migration 0080-recording-notes', () => {
  it('takes a version 60 vault to 80; earlier recordings have no title and no note', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version <= 60),
    );
    db.prepare(
      "INSERT INTO clients (client_id, created_at, profile_nonce, profile) VALUES ('c1', 1, x'00', x'00')",
    ).run();
    db.prepare(
      "INSERT INTO recordings (recording_id, client_id, started_at, state, sealed_meta) VALUES ('r1', 'c1', 1, 'finalised', x'00')",
    ).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 80),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(80);
    expect(db.prepare('SELECT sealed_title, sealed_note FROM recordings').all()).toEqual([
      { sealed_title: null, sealed_note: null },
    ]);
    db.prepare("UPDATE recordings SET sealed_title = x'0102', sealed_note = x'03'").run();
    expect(db.prepare('SELECT length(sealed_title) AS t FROM recordings').get()).toEqual({ t: 2 });
  });
});
