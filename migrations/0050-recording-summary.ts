// A summary kept on each recording (issue 16): its length, chunk count and sealed bytes, written
// when it is finalised, so the library lists a year of recordings without reading a chunk index.
// Destroyed before this version, a recording's chunks went in the same call: marked removed.
// The summary is left NULL here: filling them reads every chunk (seconds per GB), which must not happen before
// the first screen; the first library call summarises the recordings it finds without one.
import type { Database } from 'better-sqlite3';

export const version = 50;

export function updateToSchemaVersion50(db: Database): void {
  db.exec(`
    ALTER TABLE recordings ADD COLUMN duration_ms INTEGER CHECK (duration_ms >= 0);
    ALTER TABLE recordings ADD COLUMN chunk_count INTEGER CHECK (chunk_count >= 0);
    ALTER TABLE recordings ADD COLUMN audio_bytes INTEGER CHECK (audio_bytes >= 0);
    -- A destruction deletes the key at once; the ciphertext is removed afterwards in slices, and
    -- this says when the last of it went. NULL on a destroyed recording: removal still to finish.
    ALTER TABLE recordings ADD COLUMN ciphertext_removed_at INTEGER;
    UPDATE recordings SET ciphertext_removed_at = destroyed_at WHERE state = 'destroyed';
  `);
}
