// Auditors: each has their own passphrase, which unwraps only the audit secrets. An unknown
// name costs the same Argon2id work as a wrong passphrase, so timing does not tell them apart.
import type { Database } from 'better-sqlite3';
import { VaultError } from '../../../shared/errors';
import { deriveKek, hash, newKdfParams, utf8, wipe } from '../platform/crypto';
import type { KeyStore } from '../vault/key-store';
import { KEY_IDS, unwrapWithSecret, wrapWithSecret, type KdfCost } from '../vault/key-store';
import { newOpaqueId } from '../platform/ids';

function lookupOf(vaultId: Uint8Array, signInName: string): Uint8Array {
  return hash(
    utf8.encode('session-vault/auditor-lookup/v1'),
    vaultId,
    utf8.encode(signInName.trim().toLowerCase()),
  );
}

export class AuditorStore {
  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly keys: KeyStore,
    private readonly now: () => number,
    private readonly cost: KdfCost,
  ) {}

  add(signInName: string, passphrase: string, auditSecretBytes: Uint8Array): string {
    const lookup = lookupOf(this.vaultId, signInName);
    if (this.db.prepare('SELECT 1 FROM auditors WHERE lookup = ?').get(lookup))
      throw new VaultError('NOT_ALLOWED', 'An auditor with that name already exists.');
    const auditorId = newOpaqueId();
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO auditors (auditor_id, lookup, created_at) VALUES (?, ?, ?)')
        .run(auditorId, lookup, this.now());
      wrapWithSecret(
        this.keys,
        KEY_IDS.auditSecretsForAuditor(auditorId),
        utf8.encode(passphrase),
        auditSecretBytes,
        this.cost,
      );
    })();
    return auditorId;
  }

  /** Returns the auditor id and the audit secret bytes; WRONG_CREDENTIAL for any failure. */
  unlock(
    signInName: string,
    passphrase: string,
  ): { auditorId: string; auditSecretBytes: Uint8Array } {
    const wrong = new VaultError('WRONG_CREDENTIAL');
    const row = this.db
      .prepare('SELECT auditor_id FROM auditors WHERE lookup = ? AND removed_at IS NULL')
      .get(lookupOf(this.vaultId, signInName)) as { auditor_id: string } | undefined;
    if (!row) {
      // Same work as a real try, so an unknown name is not answered faster.
      wipe(deriveKek(utf8.encode(passphrase), newKdfParams(this.cost)));
      throw wrong;
    }
    const keyId = KEY_IDS.auditSecretsForAuditor(row.auditor_id);
    return {
      auditorId: row.auditor_id,
      auditSecretBytes: unwrapWithSecret(this.keys, keyId, utf8.encode(passphrase), wrong),
    };
  }

  list(): { auditorId: string; createdAt: number; removedAt: number | null }[] {
    return (
      this.db
        .prepare('SELECT auditor_id, created_at, removed_at FROM auditors ORDER BY created_at')
        .all() as {
        auditor_id: string;
        created_at: number;
        removed_at: number | null;
      }[]
    ).map((row) => ({
      auditorId: row.auditor_id,
      createdAt: row.created_at,
      removedAt: row.removed_at,
    }));
  }

  remove(auditorId: string): void {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE auditors SET removed_at = ? WHERE auditor_id = ?')
        .run(this.now(), auditorId);
      this.keys.delete(KEY_IDS.auditSecretsForAuditor(auditorId));
    })();
  }

  /** An auditor's id as it appears in the log. */
  static describe(auditorId: string): string {
    return `auditor:${auditorId}`;
  }
}
