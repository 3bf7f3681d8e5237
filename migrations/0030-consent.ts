// Consent, the practice policy, markers and takeaways. Terms, policy text, marker labels and
// takeaway text are sealed; in the clear stay only the times the sweeper and the lock need.
import type { Database } from 'better-sqlite3';

export const version = 30;

export function updateToSchemaVersion30(db: Database): void {
  db.exec(`
    -- Why the deadline is what it is (retention, termination or revocation), for the sweeper's
    -- log entry and the library's countdown.
    ALTER TABLE recordings ADD COLUMN destroy_cause TEXT
      CHECK (destroy_cause IN ('retention', 'termination', 'revocation'));

    -- Each edit of the practice policy is a new version, named by the hash of its text.
    CREATE TABLE policy_versions (
      policy_hash TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      nonce BLOB NOT NULL,
      sealed_text BLOB NOT NULL
    ) STRICT;

    -- Signed terms are immutable: a change is a new version. Sealed with the client's key.
    CREATE TABLE consent_versions (
      client_id TEXT NOT NULL REFERENCES clients (client_id),
      version INTEGER NOT NULL CHECK (version >= 1),
      consent_id TEXT NOT NULL,
      signed_at INTEGER NOT NULL,
      nonce BLOB NOT NULL,
      sealed_terms BLOB NOT NULL,
      PRIMARY KEY (client_id, version)
    ) STRICT;

    CREATE TABLE consent_events (
      client_id TEXT PRIMARY KEY REFERENCES clients (client_id),
      revoked_at INTEGER,
      revoked_by_role TEXT CHECK (revoked_by_role IN ('client', 'therapist')),
      revoked_by_id TEXT,
      therapy_ended_at INTEGER
    ) STRICT;

    CREATE TABLE markers (
      marker_id TEXT PRIMARY KEY,
      rec_no INTEGER NOT NULL REFERENCES recordings (rec_no),
      at_ms INTEGER NOT NULL CHECK (at_ms >= 0),
      nonce BLOB NOT NULL,
      sealed_label BLOB NOT NULL
    ) STRICT;
    CREATE INDEX markers_by_recording ON markers (rec_no, at_ms);

    -- Removed time ranges (partial deletion), so the player can show the gap.
    CREATE TABLE removed_ranges (
      rec_no INTEGER NOT NULL REFERENCES recordings (rec_no),
      from_seq INTEGER NOT NULL,
      to_seq INTEGER NOT NULL,
      from_ms INTEGER NOT NULL,
      to_ms INTEGER NOT NULL,
      removed_at INTEGER NOT NULL,
      CHECK (to_ms > from_ms AND to_seq >= from_seq)
    ) STRICT;

    CREATE TABLE takeaways (
      takeaway_id TEXT PRIMARY KEY,
      client_id TEXT NOT NULL REFERENCES clients (client_id),
      recording_id TEXT,
      written_at INTEGER NOT NULL,
      nonce BLOB NOT NULL,
      sealed_text BLOB NOT NULL
    ) STRICT;
  `);
}
