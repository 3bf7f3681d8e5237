// The vault-level signed record (issue 11, docs/threat-model.md "(a) Authenticated state"): the set
// of clients and each client's state public key, signed by the vault state key, so a client key
// replaced (and that client's rows re-signed with it) or a client deleted outside the app is caught
// while the vault is locked. A vault from before this version has no such record yet: it is made
// at the therapist's next unlock (vault_record_pending), and until then each client's own public
// key decides, as before.
import type { Database } from 'better-sqlite3';

export const version = 130;

export function updateToSchemaVersion130(db: Database): void {
  db.exec(`
    ALTER TABLE vault_meta ADD COLUMN vault_record_pending INTEGER NOT NULL DEFAULT 0
      CHECK (vault_record_pending IN (0, 1));
    -- A new vault has no row yet (written after the migrations) and so starts at 0.
    UPDATE vault_meta SET vault_record_pending = 1;
  `);
}
