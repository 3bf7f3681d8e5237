// The access log's epoch keys. Entries are sealed with an epoch key (XChaCha20-Poly1305, fast to
// read back a million); each epoch key is sealed once to the audit public key, so the log can be
// written while the vault is locked, and forgotten at lock. Reading opens them with the audit
// secret key, and keeps them opened until the next lock.
import type { Database } from 'better-sqlite3';
import type { AuditSecrets } from './audit-format';
import { newKey, openSealedBox, sealToPublicKey, wipe } from '../platform/crypto';

export class AuditEpochStore {
  private readonly epochExists;
  /** The key entries are sealed with until the next lock; its sealed copy is in audit_epochs. */
  private epoch: { id: number; key: Uint8Array } | null = null;
  /** Epoch keys opened with the audit secret key, for reading. */
  private readonly openedEpochs = new Map<number, Uint8Array>();

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly boxPublicKey: () => Uint8Array,
  ) {
    this.epochExists = db.prepare('SELECT 1 FROM audit_epochs WHERE epoch_id = ?');
  }

  current(): { id: number; key: Uint8Array } {
    // An enclosing transaction that rolled back may have taken the epoch row with it.
    if (this.epoch && this.epochExists.get(this.epoch.id)) return this.epoch;
    const key = newKey();
    const result = this.db
      .prepare('INSERT INTO audit_epochs (created_at, sealed_key) VALUES (?, ?)')
      .run(this.now(), sealToPublicKey(this.boxPublicKey(), key));
    this.epoch = { id: Number(result.lastInsertRowid), key };
    return this.epoch;
  }

  /** The key that sealed entries so far leaves memory, and so do the keys opened for reading. */
  forget(): void {
    wipe(this.epoch?.key);
    this.epoch = null;
    for (const key of this.openedEpochs.values()) wipe(key);
    this.openedEpochs.clear();
  }

  key(secrets: AuditSecrets, epochId: number): Uint8Array | null {
    const cached = this.openedEpochs.get(epochId);
    if (cached) return cached;
    const row = this.db
      .prepare('SELECT sealed_key FROM audit_epochs WHERE epoch_id = ?')
      .get(epochId) as { sealed_key: Buffer } | undefined;
    const key = row ? openSealedBox(secrets.box, new Uint8Array(row.sealed_key)) : null;
    if (key) this.openedEpochs.set(epochId, key);
    return key;
  }
}
