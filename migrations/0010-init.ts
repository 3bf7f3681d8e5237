// The first schema: vault identity, wrapped keys, sealed profile fields, settings, the access
// log and the unlock throttle. Names, passphrases and keys are never stored in the clear.
import type { Database } from 'better-sqlite3';

export const version = 10;

export function updateToSchemaVersion10(db: Database): void {
  db.exec(`
    CREATE TABLE vault_meta (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      format TEXT NOT NULL,
      vault_id BLOB NOT NULL CHECK (length(vault_id) = 16),
      created_at INTEGER NOT NULL
    ) STRICT;

    -- Every key the vault holds, wrapped by another key or by a passphrase-derived key.
    -- kdf is NULL when the wrapping key is another vault key; integrity tells damage from a
    -- wrong passphrase (it is a plain hash of the row, not a secret).
    CREATE TABLE wrapped_keys (
      key_id TEXT PRIMARY KEY,
      kdf TEXT,
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      integrity BLOB NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE sealed_fields (
      name TEXT PRIMARY KEY,
      nonce BLOB NOT NULL,
      ciphertext BLOB NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;

    -- Settings the sweeper and the lock need while the vault is locked; nothing personal.
    CREATE TABLE settings (
      name TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;

    CREATE TABLE audit_keys (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      box_public BLOB NOT NULL,
      sign_public BLOB NOT NULL
    ) STRICT;

    -- Entries are sealed with a per-epoch key; each epoch key is sealed to the audit public key
    -- once, so the log can be written while locked and read back quickly with the secret key.
    CREATE TABLE audit_epochs (
      epoch_id INTEGER PRIMARY KEY,
      created_at INTEGER NOT NULL,
      sealed_key BLOB NOT NULL
    ) STRICT;

    CREATE TABLE audit_entries (
      seq INTEGER PRIMARY KEY,
      epoch_id INTEGER NOT NULL REFERENCES audit_epochs (epoch_id),
      sealed BLOB NOT NULL,
      content_hash BLOB NOT NULL CHECK (length(content_hash) = 32),
      entry_hash BLOB NOT NULL CHECK (length(entry_hash) = 32)
    ) STRICT;

    CREATE TABLE audit_checkpoints (
      seq INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      head_hash BLOB NOT NULL,
      signature BLOB NOT NULL
    ) STRICT;

    CREATE TABLE unlock_throttle (
      subject TEXT PRIMARY KEY,
      failures INTEGER NOT NULL,
      last_failure_at INTEGER NOT NULL
    ) STRICT;
  `);
}
