// Closing voice notes: a recording's kind, in the clear beside its deadline, so the library can
// list voice notes apart and the sweeper needs no key. Rows made before this are sessions.
import type { Database } from 'better-sqlite3';

export const version = 60;

export function updateToSchemaVersion60(db: Database): void {
  db.exec(`
    ALTER TABLE recordings ADD COLUMN kind TEXT NOT NULL DEFAULT 'session'
      CHECK (kind IN ('session', 'voice-note'));
  `);
}
