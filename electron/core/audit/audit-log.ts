// The access log: append-only, each entry sealed so that only the audit secret key reads it (so
// it can be written while the vault is locked), hash-chained, and covered by signed Ed25519
// checkpoints. Entries are sealed with an epoch key (XChaCha20-Poly1305, fast to read back a
// million); each epoch key is sealed once to the audit public key and forgotten at lock.
//
//   content_hash = BLAKE2b(canonical entry JSON)           (the JSON carries a random salt)
//   entry_hash   = BLAKE2b(prev entry_hash || seq || content_hash), genesis bound to the vault id
//
// The chain can be checked without keys; with the audit secret key each sealed entry is also
// checked against its content hash. Entries hold ids, never names, notes or audio.
import type { Database } from 'better-sqlite3';
import { VaultError } from '../../../shared/errors';
import type { AuditVerdict } from '../../../shared/api';
import { AuditEpochStore } from './audit-epoch-store';
import {
  canonicalEntry,
  chainHash,
  checkpointMessage,
  genesisHash,
  type AuditEntry,
  type AuditEvent,
  type AuditSecrets,
} from './audit-format';
import { AuditEntryStore, type EntryRow } from './audit-entry-store';
import { verifyChainSteps, type ChainSource } from './audit-verification';
import {
  AEAD_NONCE_BYTES,
  open,
  seal,
  equalBytes,
  hash,
  randomBytes,
  sign,
  toHex,
  utf8,
  verifySignature,
} from '../platform/crypto';

export const CHECKPOINT_EVERY = 1000;

function entryAssociatedData(vaultId: Uint8Array, seq: number, epochId: number): Uint8Array {
  return utf8.encode(`session-vault/audit-entry/v1|${toHex(vaultId)}|${seq}|${epochId}`);
}

export class AuditLog {
  private readonly entries: AuditEntryStore;
  private readonly epochs: AuditEpochStore;
  private readonly lockListeners = new Set<() => void>();

  constructor(
    db: Database,
    private readonly vaultId: Uint8Array,
    private readonly now: () => number,
  ) {
    this.entries = new AuditEntryStore(db);
    this.epochs = new AuditEpochStore(db, now, () => this.publicKeys().boxPublic);
  }

  /** Called at every lock (rotateEpoch): whatever was read with the audit secrets is forgotten. */
  /** Calls `listener` at every lock; returns a function that stops it. */
  onLock(listener: () => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  get vaultIdBytes(): Uint8Array {
    return this.vaultId;
  }

  signingPublicKey(): Uint8Array {
    return this.publicKeys().signPublic;
  }

  private publicKeys(): { boxPublic: Uint8Array; signPublic: Uint8Array } {
    const row = this.entries.publicKeys();
    if (!row) throw new VaultError('AUDIT_UNAVAILABLE');
    return {
      boxPublic: new Uint8Array(row.box_public),
      signPublic: new Uint8Array(row.sign_public),
    };
  }

  static install(db: Database, secrets: AuditSecrets): void {
    new AuditEntryStore(db).installKeys(secrets.box.publicKey, secrets.signing.publicKey);
  }

  /**
   * Appends one entry and returns its sequence number. Throws AUDIT_UNAVAILABLE if it cannot be
   * written: callers run it before they answer, so the action fails closed.
   */
  append(event: AuditEvent): number {
    try {
      const head = this.entries.head();
      const seq = (head?.seq ?? 0) + 1;
      const prev = head ? new Uint8Array(head.entry_hash) : genesisHash(this.vaultId);
      const entry: AuditEntry = {
        v: 1,
        seq,
        at: this.now(),
        salt: toHex(randomBytes(16)),
        actorRole: event.actorRole,
        actorId: event.actorId ?? null,
        action: event.action,
        subject: event.subject ?? null,
        outcome: event.outcome,
        reason: event.reason ?? null,
      };
      const text = utf8.encode(canonicalEntry(entry));
      const contentHash = hash(text);
      const epoch = this.epochs.current();
      const sealed = seal(epoch.key, text, entryAssociatedData(this.vaultId, seq, epoch.id));
      this.entries.insertEntry({
        seq,
        epochId: epoch.id,
        sealed: Buffer.concat([sealed.nonce, sealed.ciphertext]),
        contentHash,
        entryHash: chainHash(prev, seq, contentHash),
      });
      return seq;
    } catch (cause) {
      if (cause instanceof VaultError && cause.code === 'AUDIT_UNAVAILABLE') throw cause;
      throw new VaultError('AUDIT_UNAVAILABLE', undefined, { cause });
    }
  }

  /** Starts a new epoch: the key that sealed entries so far leaves memory. Called at every lock. */
  rotateEpoch(): void {
    this.epochs.forget();
    for (const listener of this.lockListeners) listener();
  }

  count(): number {
    return this.entries.count();
  }

  /** Signs the current head; main calls it on every unlock and every CHECKPOINT_EVERY entries. */
  checkpoint(secrets: AuditSecrets): void {
    const head = this.entries.head();
    if (!head) return;
    if (this.entries.hasCheckpoint(head.seq)) return;
    const at = this.now();
    const headHash = new Uint8Array(head.entry_hash);
    const signature = sign(
      secrets.signing.secretKey,
      checkpointMessage(this.vaultId, head.seq, headHash, at),
    );
    this.entries.insertCheckpoint({ seq: head.seq, at, headHash, signature });
  }

  /** Checkpoints when enough entries have passed since the last one. */
  checkpointIfDue(secrets: AuditSecrets): void {
    const lastCheckpoint = this.entries.lastCheckpointSeq();
    const head = this.entries.head();
    if (head && head.seq - lastCheckpoint >= CHECKPOINT_EVERY) this.checkpoint(secrets);
  }

  /** Newest first. */
  read(secrets: AuditSecrets, options: { limit: number; beforeSeq?: number }): AuditEntry[] {
    const rows = this.entries.entriesBefore(
      options.beforeSeq ?? Number.MAX_SAFE_INTEGER,
      options.limit,
    );
    return rows.map((row) => this.openRow(secrets, row));
  }

  /**
   * Oldest first, from `fromSeq`, each as the canonical text that was hashed (checked against its
   * content hash) and its stored entry hash.
   */
  readAscending(
    secrets: AuditSecrets,
    fromSeq: number,
    toSeq: number,
    limit: number,
  ): { entry: AuditEntry; text: string; entryHash: Uint8Array }[] {
    const rows = this.entries.entriesFrom(fromSeq, toSeq, limit);
    return rows.map((row) => {
      const text = this.openText(secrets, row);
      const entry = JSON.parse(text) as AuditEntry;
      if (entry.seq !== row.seq)
        throw new VaultError('VAULT_DAMAGED', `Access log entry ${row.seq} is out of place.`);
      return { entry, text, entryHash: new Uint8Array(row.entry_hash) };
    });
  }

  /** The stored head: the newest entry's seq and entry hash. */
  head(): { seq: number; hash: Uint8Array } | null {
    const row = this.entries.head();
    return row ? { seq: row.seq, hash: new Uint8Array(row.entry_hash) } : null;
  }

  /**
   * The newest time the log has signed (a checkpoint's, at every unlock), or null. Readable
   * without a key and unforgeable without the audit signing key, unlike any time kept in the
   * clear: a time edited forward there would make retention destroy early.
   */
  newestSignedTime(): number | null {
    let signPublic: Uint8Array;
    try {
      signPublic = this.signingPublicKey();
    } catch {
      return null;
    }
    for (const row of this.entries.newestCheckpoints(16)) {
      const headHash = new Uint8Array(row.head_hash);
      const message = checkpointMessage(this.vaultId, row.seq, headHash, row.at);
      if (verifySignature(signPublic, message, new Uint8Array(row.signature))) return row.at;
    }
    return null;
  }

  /** The stored entry hash at `seq`, or null when the log has no such entry. */
  entryHashAt(seq: number): Uint8Array | null {
    const stored = this.entries.entryHashAt(seq);
    return stored ? new Uint8Array(stored) : null;
  }

  /** Signed checkpoints up to `toSeq`, oldest first. */
  checkpointsUpTo(
    toSeq: number,
  ): { seq: number; at: number; headHash: Uint8Array; signature: Uint8Array }[] {
    return this.entries.checkpoints(toSeq).map((row) => ({
      seq: row.seq,
      at: row.at,
      headHash: new Uint8Array(row.head_hash),
      signature: new Uint8Array(row.signature),
    }));
  }

  private openText(secrets: AuditSecrets, row: EntryRow): string {
    const key = this.epochs.key(secrets, row.epoch_id);
    const bytes = new Uint8Array(row.sealed);
    const text = key
      ? open(
          key,
          {
            nonce: bytes.subarray(0, AEAD_NONCE_BYTES),
            ciphertext: bytes.subarray(AEAD_NONCE_BYTES),
          },
          entryAssociatedData(this.vaultId, row.seq, row.epoch_id),
        )
      : null;
    if (!text || !equalBytes(hash(text), new Uint8Array(row.content_hash)))
      throw new VaultError('VAULT_DAMAGED', `Access log entry ${row.seq} is damaged.`);
    return utf8.decode(text);
  }

  private openRow(secrets: AuditSecrets, row: EntryRow): AuditEntry {
    const entry = JSON.parse(this.openText(secrets, row)) as AuditEntry;
    if (entry.seq !== row.seq)
      throw new VaultError('VAULT_DAMAGED', `Access log entry ${row.seq} is out of place.`);
    return entry;
  }

  /**
   * Walks the whole chain and every checkpoint; with `secrets`, also opens every sealed entry.
   * Reports the first entry where anything breaks.
   */
  /** Walks the whole chain and every checkpoint at once (for tests and the offline doctor). */
  verify(secrets: AuditSecrets | null): AuditVerdict {
    const steps = verifyChainSteps(this.chainSource(), secrets);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * The same walk in slices of a few thousand entries, giving the event loop back between them,
   * so main never freezes on a large log. A lock during the walk refuses it (the keys are gone).
   */
  async verifyInSlices(secrets: AuditSecrets | null): Promise<AuditVerdict> {
    let locked = false;
    const stop = this.onLock(() => {
      locked = true;
    });
    try {
      const steps = verifyChainSteps(this.chainSource(), secrets);
      for (;;) {
        if (locked) throw new VaultError('VAULT_LOCKED');
        const step = steps.next();
        if (step.done) return step.value;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      stop();
    }
  }

  /** What the walk over the chain reads from this log. */
  private chainSource(): ChainSource {
    return {
      entries: this.entries,
      vaultId: this.vaultId,
      signingPublicKey: () => this.signingPublicKey(),
      headSeq: () => this.entries.head()?.seq ?? 0,
      openRow: (secrets, row) => this.openRow(secrets, row),
    };
  }
}
