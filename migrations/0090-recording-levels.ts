// The loudness of each recording over time, measured by the capture window while it recorded and
// sealed with the recording key, so the player draws a waveform without decoding any audio.
// One row per recording, written when it is finalised; it goes with the recording's key.
import type { Database } from 'better-sqlite3';

export const version = 90;

export function updateToSchemaVersion90(db: Database): void {
  db.exec(`
    CREATE TABLE recording_levels (
      rec_no INTEGER PRIMARY KEY REFERENCES recordings (rec_no),
      bin_ms INTEGER NOT NULL CHECK (bin_ms > 0),
      nonce BLOB NOT NULL,
      sealed_levels BLOB NOT NULL
    ) STRICT;
  `);
}
