// Integrity against the people in the room (issue 11, docs/threat-model.md "Mechanisms").
// Part 2's minimal version (rollback anchor, ciphertext commitments): the tables and columns it
// needs, named as the threat model names them; part 1 adds the rest of this migration.
import type { Database } from 'better-sqlite3';

export const version = 40;

export function updateToSchemaVersion40(db: Database): void {
  db.exec(`
    -- Signatures over records rebuilt from the rows at verification (subject: 'commitment/<id>'
    -- for a finalised recording's ciphertext, and the state records of part 1).
    CREATE TABLE state_seals (
      subject TEXT PRIMARY KEY,
      revision INTEGER NOT NULL,
      signature BLOB NOT NULL
    ) STRICT;

    -- Every closing event (destroyed, revoked, therapy-ended) in order, with the chained digest
    -- after it, so the vault can be compared with the keychain anchor without any key.
    -- kind 'rebase' takes the anchor's count and digest after a rollback was redone.
    CREATE TABLE closing_ledger (
      n INTEGER PRIMARY KEY CHECK (n >= 1),
      kind TEXT NOT NULL CHECK (kind IN ('destroyed', 'revoked', 'therapy-ended', 'rebase')),
      subject_id TEXT NOT NULL,
      digest BLOB NOT NULL CHECK (length(digest) = 32)
    ) STRICT;

    -- The anchor generation this vault last wrote: a vault that says it was anchored but finds
    -- no anchor is told apart from one that never was.
    ALTER TABLE vault_meta ADD COLUMN anchor_generation INTEGER NOT NULL DEFAULT 0;
  `);
}
