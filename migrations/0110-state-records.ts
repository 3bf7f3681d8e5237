// Signed state records (issue 11, docs/threat-model.md "(a) Authenticated state"): each seal keeps
// the record it signed beside its signature, so a check names what was changed and the sweeper,
// while locked, destroys by the signed deadline rather than by the clear column an attacker edits.
// A vault from before this version has rows nobody signed yet: they are signed as they stand at
// the therapist's next unlock (state_records_pending), and until then the rows decide, as before.
import type { Database } from 'better-sqlite3';

export const version = 110;

export function updateToSchemaVersion110(db: Database): void {
  db.exec(`
    -- The signed record, JSON with bytes as hex; NULL for ciphertext commitments.
    ALTER TABLE state_seals ADD COLUMN record TEXT;
    ALTER TABLE vault_meta ADD COLUMN state_records_pending INTEGER NOT NULL DEFAULT 0
      CHECK (state_records_pending IN (0, 1));
    -- A new vault has no row yet (written after the migrations) and so starts at 0.
    UPDATE vault_meta SET state_records_pending = 1;
  `);
}
