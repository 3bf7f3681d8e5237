// Small named values: the practice and therapist names sealed with the master key, and the
// access log's display-name list sealed to the audit key (a sealed box, stored as it is).
import type { Database } from 'better-sqlite3';
import { VaultError } from '../../../shared/errors';
import { open, seal, toHex, utf8 } from './crypto';

export class SealedFieldStore {
  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
  ) {}

  private associatedData(name: string): Uint8Array {
    return utf8.encode(`session-vault/field/v1|${toHex(this.vaultId)}|${name}`);
  }

  write(masterKey: Uint8Array, name: string, value: string, at: number): void {
    const sealed = seal(masterKey, utf8.encode(value), this.associatedData(name));
    this.db
      .prepare(
        `INSERT INTO sealed_fields (name, nonce, ciphertext, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext,
           updated_at = excluded.updated_at`,
      )
      .run(name, sealed.nonce, sealed.ciphertext, at);
  }

  /** A field added after the vault was made: null when it was never written. */
  readIfSet(masterKey: Uint8Array, name: string): string | null {
    const written = this.db.prepare('SELECT 1 FROM sealed_fields WHERE name = ?').get(name);
    return written ? this.read(masterKey, name) : null;
  }

  read(masterKey: Uint8Array, name: string): string {
    const row = this.db
      .prepare('SELECT nonce, ciphertext FROM sealed_fields WHERE name = ?')
      .get(name) as { nonce: Buffer; ciphertext: Buffer } | undefined;
    if (!row) throw new VaultError('VAULT_DAMAGED');
    const plaintext = open(
      masterKey,
      { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.ciphertext) },
      this.associatedData(name),
    );
    if (!plaintext) throw new VaultError('VAULT_DAMAGED');
    return utf8.decode(plaintext);
  }

  /** A value sealed as a whole (a sealed box carries its own nonce): the nonce column is empty. */
  writeSealedBox(name: string, sealedBox: Uint8Array, at: number): void {
    this.db
      .prepare(
        `INSERT INTO sealed_fields (name, nonce, ciphertext, updated_at) VALUES (?, X'', ?, ?)
         ON CONFLICT (name) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext,
           updated_at = excluded.updated_at`,
      )
      .run(name, sealedBox, at);
  }

  /** The sealed box stored under `name`; null when it was never written. */
  readSealedBox(name: string): Uint8Array | null {
    const row = this.db.prepare('SELECT ciphertext FROM sealed_fields WHERE name = ?').get(name) as
      { ciphertext: Buffer } | undefined;
    return row ? new Uint8Array(row.ciphertext) : null;
  }
}
