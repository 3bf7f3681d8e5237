import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../electron/core/platform/db';
import { migrations } from '../../migrations/index';

describe('migration 0060-voice-notes', () => {
  it('takes a version 30 vault to 60; earlier recordings are sessions, a kind is checked, decisions belong to a client', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(
      db,
      migrations.filter((m) => m.version <= 30),
    );
    db.prepare(
      "INSERT INTO clients (client_id, created_at, profile_nonce, profile) VALUES ('c1', 1, x'00', x'00')",
    ).run();
    const insert = (id: string) =>
      `INSERT INTO recordings (recording_id, client_id, started_at, state, sealed_meta) VALUES ('${id}', 'c1', 1, 'finalised', x'00')`;
    db.prepare(insert('r1')).run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 60),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(60);
    expect(db.prepare('SELECT recording_id, kind FROM recordings').all()).toEqual([
      { recording_id: 'r1', kind: 'session' },
    ]);
    db.prepare(insert('r2')).run();
    db.prepare("UPDATE recordings SET kind = 'voice-note' WHERE recording_id = 'r2'").run();
    expect(() =>
      db.prepare("UPDATE recordings SET kind = 'podcast' WHERE recording_id = 'r2'").run(),
    ).toThrow(/CHECK/);
    const decision = (client: string) =>
      `INSERT INTO consent_decisions (decision_id, client_id, decided_at, nonce, sealed_decision) VALUES ('d-${client}', '${client}', 1, x'00', x'00')`;
    db.prepare(decision('c1')).run();
    expect(() => db.prepare(decision('nobody')).run()).toThrow(/FOREIGN KEY/);
  });
});
