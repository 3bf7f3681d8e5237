// Integrity against the people in the room (issue 11, docs/threat-model.md "Mechanisms"): the
// signatures of the state records, the ledger of closing events the rollback anchor is compared
// with, and what the vault keeps about its keys and its anchor. One migration for all three parts
// of the issue, so that authenticated state, the anchor and the clocks need no schema of their own.
import type { Database } from 'better-sqlite3';

export const version = 40;

export function updateToSchemaVersion40(db: Database): void {
  db.exec(`
    -- One Ed25519 signature per state record (subjects 'vault', 'client/<id>', 'consent/<id>',
    -- 'recording/<id>'); the signed message is rebuilt from the rows, so an edit breaks it.
    CREATE TABLE state_seals (
      subject TEXT PRIMARY KEY,
      revision INTEGER NOT NULL CHECK (revision >= 0),
      signature BLOB NOT NULL CHECK (length(signature) = 64)
    ) STRICT;

    -- What a restored copy must not undo, in the order it happened; digest is the chained digest
    -- after row n. A 'rebase' row takes the anchor's count and digest after a rollback.
    CREATE TABLE closing_ledger (
      n INTEGER PRIMARY KEY CHECK (n >= 1),
      kind TEXT NOT NULL CHECK (kind IN ('destroyed', 'revoked', 'therapy-ended', 'rebase')),
      subject_id TEXT NOT NULL,
      digest BLOB NOT NULL CHECK (length(digest) = 32)
    ) STRICT;

    -- The vault state key's public half (pinned in the anchor); which device tagged the wrapped
    -- keys (a copy on another computer is told apart from a swapped row); the last anchor written.
    ALTER TABLE vault_meta ADD COLUMN state_public_key BLOB
      CHECK (state_public_key IS NULL OR length(state_public_key) = 32);
    ALTER TABLE vault_meta ADD COLUMN device_check BLOB
      CHECK (device_check IS NULL OR length(device_check) = 32);
    ALTER TABLE vault_meta ADD COLUMN anchor_generation INTEGER NOT NULL DEFAULT 0
      CHECK (anchor_generation >= 0);

    -- Each client's state public key, listed in the signed vault record.
    ALTER TABLE clients ADD COLUMN state_public_key BLOB
      CHECK (state_public_key IS NULL OR length(state_public_key) = 32);

    -- Why a recording is held (never played, never swept) after a rollback the anchor cannot name
    -- in full, until its client confirms consent again; null when it is not held.
    ALTER TABLE recordings ADD COLUMN held_reason TEXT;
  `);
}
