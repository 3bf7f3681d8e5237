// Auditors, clients and recordings. A client's profile is sealed with their client key; a recording's
// chunks are sealed with its recording key. In the clear: opaque ids, sizes, the time index and
// the timestamps the sweeper needs.
import type { Database } from 'better-sqlite3';

export const version = 20;

export function updateToSchemaVersion20(db: Database): void {
  db.exec(`
    -- An auditor is found by a keyed hash of their sign-in name; the name itself is sealed.
    CREATE TABLE auditors (
      auditor_id TEXT PRIMARY KEY,
      lookup BLOB NOT NULL UNIQUE,
      created_at INTEGER NOT NULL,
      removed_at INTEGER
    ) STRICT;

    CREATE TABLE clients (
      client_id TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      archived_at INTEGER,
      profile_nonce BLOB NOT NULL,
      profile BLOB NOT NULL
    ) STRICT;

    CREATE TABLE recordings (
      rec_no INTEGER PRIMARY KEY,
      recording_id TEXT NOT NULL UNIQUE,
      client_id TEXT NOT NULL REFERENCES clients (client_id),
      started_at INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('recording', 'finalised', 'interrupted', 'destroyed')),
      -- the container type and other details, sealed with the recording key
      sealed_meta BLOB NOT NULL,
      -- seq of the sealed end marker, once the recording is finalised
      final_seq INTEGER,
      destroy_after INTEGER,
      destroyed_at INTEGER,
      destroy_reason TEXT
    ) STRICT;
    CREATE INDEX recordings_by_client ON recordings (client_id, started_at);

    -- One row per second of audio: the time index in the clear, the audio sealed. The rowid is
    -- rec_no * 2^32 + seq, so a chunk needs no second index (it keeps the file small).
    CREATE TABLE chunks (
      chunk_id INTEGER PRIMARY KEY,
      rec_no INTEGER NOT NULL REFERENCES recordings (rec_no),
      seq INTEGER NOT NULL CHECK (seq >= 0 AND seq < 4294967296),
      start_ms INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      CHECK (chunk_id = rec_no * 4294967296 + seq)
    ) STRICT;
  `);
}
