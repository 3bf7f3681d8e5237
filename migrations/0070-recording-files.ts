// Audio in one sealed append-only file per recording beside the vault (issue 16: an hour through
// SQLite wrote 20.6× its audio; a file with one fdatasync per frame writes about 2×). Each
// recording says where its chunks are; rows made before this keep theirs in `chunks`. A file's
// index (where each frame starts) is written once, when the recording is finalised or recovered.
import type { Database } from 'better-sqlite3';

export const version = 70;

export function updateToSchemaVersion70(db: Database): void {
  db.exec(`
    ALTER TABLE recordings ADD COLUMN storage TEXT NOT NULL DEFAULT 'sqlite'
      CHECK (storage IN ('sqlite', 'file'));

    CREATE TABLE audio_frames (
      frame_id INTEGER PRIMARY KEY,
      rec_no INTEGER NOT NULL,
      seq INTEGER NOT NULL CHECK (seq >= 0),
      start_ms INTEGER NOT NULL CHECK (start_ms >= 0),
      duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
      file_offset INTEGER NOT NULL CHECK (file_offset >= 0),
      sealed_bytes INTEGER NOT NULL CHECK (sealed_bytes >= 0)
    ) STRICT;
  `);
}
