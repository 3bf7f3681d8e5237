// Closing voice notes: a recording's kind, in the clear beside its deadline, so the library can
// list voice notes apart and the sweeper needs no key. Rows made before this are sessions. And
// decisions made without a recording (declined, or alternatives chosen), sealed with the client's
// key: only when they were made stays in the clear.
import type { Database } from 'better-sqlite3';

export const version = 60;

export function updateToSchemaVersion60(db: Database): void {
  db.exec(`
    ALTER TABLE recordings ADD COLUMN kind TEXT NOT NULL DEFAULT 'session'
      CHECK (kind IN ('session', 'voice-note'));

    CREATE TABLE consent_decisions (
      decision_id TEXT PRIMARY KEY,
      client_id TEXT NOT NULL REFERENCES clients (client_id),
      decided_at INTEGER NOT NULL,
      nonce BLOB NOT NULL,
      sealed_decision BLOB NOT NULL
    ) STRICT;
  `);
}
