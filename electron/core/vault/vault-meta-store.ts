// The vault's identity: its format and id, written once when the vault is created.
import type { Database } from 'better-sqlite3';
import { VAULT_FORMAT } from '../platform/db';

export class VaultMetaStore {
  constructor(private readonly db: Database) {}

  /** `deviceCheck`: which device's key tags the wrapped keys (wrapped-key-integrity.ts). */
  create(vaultId: Uint8Array, at: number, deviceCheck: Uint8Array): void {
    this.db
      .prepare(
        'INSERT INTO vault_meta (singleton, format, vault_id, created_at, device_check) VALUES (1, ?, ?, ?, ?)',
      )
      .run(VAULT_FORMAT, vaultId, at, deviceCheck);
  }

  /** The vault state key's public half (null in a vault not yet unlocked since migration 40). */
  statePublicKey(): Uint8Array | null {
    const row = this.db
      .prepare('SELECT state_public_key FROM vault_meta WHERE singleton = 1')
      .get() as { state_public_key: Buffer | null };
    return row.state_public_key ? new Uint8Array(row.state_public_key) : null;
  }

  setStatePublicKey(publicKey: Uint8Array): void {
    this.db
      .prepare('UPDATE vault_meta SET state_public_key = ? WHERE singleton = 1')
      .run(publicKey);
  }

  vaultId(): Uint8Array {
    const meta = this.db.prepare('SELECT vault_id FROM vault_meta WHERE singleton = 1').get() as {
      vault_id: Buffer;
    };
    return new Uint8Array(meta.vault_id);
  }
}
