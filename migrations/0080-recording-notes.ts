// A recording's title and the therapist's private note, each sealed with the recording key
// (nonce and ciphertext in one value), so both go when the key goes. Null until written.
import type { Database } from 'better-sqlite3';

export const version = 80;

export function updateToSchemaVersion80(db: Database): void {
  db.exec(`
    ALTER TABLE recordings ADD COLUMN sealed_title BLOB;
    ALTER TABLE recordings ADD COLUMN sealed_note BLOB;
  `);
}
