// The vault record (docs/threat-model.md "(a) Authenticated state"): the set of clients, each
// client's state public key and the access log's signing key, signed by the vault state key and
// verified with the public half the rollback anchor pins. A client's records are verified with the
// key this record lists, never the one in the client's row: someone who writes their own key there
// and re-signs that client's rows is caught while the vault is locked, and a client deleted from
// the file is named. A mismatch holds that client only; the others keep working.
import { VaultError } from '../../../shared/errors';
import { equalBytes, signingPublicKeyOf, wipe } from '../platform/crypto';
import { signState, verifyState, type StateRecord } from '../platform/state-record';
import type { IntegrityAlarms } from './integrity-alarms';
import { KEY_IDS, type KeyStore } from './key-store';
import { recordFromJson, recordToJson } from './state-record-json';
import type { StateSealStore, StoredSeal } from './state-seal-store';

export type VaultStateRecord = Extract<StateRecord, { kind: 'vault' }>;

export type VaultCheck =
  /** A vault from before migration 130, not unlocked since: each client's row decides, as before. */
  | { kind: 'legacy' }
  /** No seal, or one that does not verify: no client's key can be trusted. */
  | { kind: 'unsigned' }
  /** Verified; `edited` when the rows differ (each difference is named by the check). */
  | {
      kind: 'ok' | 'edited';
      signed: VaultStateRecord;
      revision: number;
      keys: ReadonlyMap<string, Uint8Array>;
    };

export const VAULT_RECORD_UNSIGNED = 'vault record missing or not signed by Session Vault';
export const CLIENT_NOT_LISTED =
  'client is not in the vault’s signed record (added outside Session Vault)';
/** The same words as the unlock's own key check (state-keys.ts), so the two name one alarm. */
export const CLIENT_KEY_REPLACED = 'the client’s signing key was replaced outside Session Vault';
export const VAULT_KEY_REPLACED = 'the vault’s signing key was replaced outside Session Vault';

const VAULT_RECORD_PENDING_SET_AGAIN = {
  subject: 'vault_meta.vault_record_pending',
  clientId: null,
  problem:
    'the vault’s record of its clients was marked as not yet signed outside Session Vault, though this laptop’s keychain knows it was signed: it is checked as signed',
};

export class VaultRecord {
  /** The vault state key the keychain's anchor pins: trusted over the file's copy. */
  private pinnedKey: Uint8Array | null = null;

  constructor(
    private readonly vaultId: Uint8Array,
    private readonly store: StateSealStore,
    private readonly keys: KeyStore,
    private readonly alarms: IntegrityAlarms,
    private readonly logPublicKey: () => Uint8Array | null,
  ) {}

  pin(publicKey: Uint8Array): void {
    this.pinnedKey = publicKey;
  }

  /** Set from the rollback anchor, which knows this vault's record was signed. */
  private completePinned = false;

  /**
   * The anchor knows the vault record was signed (migration 130's pending flag was cleared). A
   * file that says pending again was edited: named, put back, and the record is verified as ever.
   */
  pinComplete(): void {
    this.completePinned = true;
    this.pendingSetAgain();
  }

  /**
   * True while a vault from before the vault record waits for its first unlock; never once the
   * anchor has pinned it signed (each client's own key would otherwise decide until then).
   */
  pending(): boolean {
    if (!this.store.vaultRecordPending()) return false;
    if (!this.completePinned) return true;
    this.pendingSetAgain();
    return false;
  }

  private pendingSetAgain(): void {
    if (!this.store.vaultRecordPending()) return;
    this.alarms.raise(VAULT_RECORD_PENDING_SET_AGAIN);
    try {
      this.store.clearVaultRecordPending();
    } catch {
      // A full disk: the flag stays in the file, and pending() keeps refusing it in this run.
    }
  }

  /** The vault state key's public half as the file stores it. */
  storedPublicKey(): Uint8Array | null {
    return this.store.vaultStatePublicKey();
  }

  /** The last record that verified, so each check re-reads the rows but verifies once. */
  private verified: {
    seal: StoredSeal;
    publicKey: Uint8Array;
    signed: VaultStateRecord;
  } | null = null;

  private verifiedRecord(): { signed: VaultStateRecord; revision: number } | null {
    const seal = this.store.get('vault');
    const publicKey = this.pinnedKey ?? this.store.vaultStatePublicKey();
    if (!seal?.record || !publicKey) return null;
    const last = this.verified;
    if (
      last &&
      last.seal.record === seal.record &&
      last.seal.revision === seal.revision &&
      equalBytes(last.seal.signature, seal.signature) &&
      equalBytes(last.publicKey, publicKey)
    )
      return { signed: last.signed, revision: seal.revision };
    const signed = recordFromJson(seal.record);
    if (
      !signed ||
      signed.kind !== 'vault' ||
      signed.revision !== seal.revision ||
      !verifyState(publicKey, this.vaultId, signed, seal.signature)
    )
      return null;
    this.verified = { seal, publicKey, signed };
    return { signed, revision: seal.revision };
  }

  check(): VaultCheck {
    if (this.pending()) return { kind: 'legacy' };
    const verified = this.verifiedRecord();
    if (!verified) return { kind: 'unsigned' };
    const { signed } = verified;
    const seal = { revision: verified.revision };
    const rows = new Map(
      this.store.clientStateKeys().map((row) => [row.clientId, row.statePublicKey]),
    );
    let edited = rows.size !== signed.clients.length;
    const keys = new Map<string, Uint8Array>();
    for (const client of signed.clients) {
      keys.set(client.clientId, client.statePublicKey);
      const stored = rows.get(client.clientId);
      if (stored === undefined) {
        edited = true;
        this.alarms.raise({
          subject: `client/${client.clientId}`,
          clientId: client.clientId,
          problem:
            'client deleted outside Session Vault: the vault’s signed record lists them, the vault no longer holds them',
        });
      } else if (!stored || !equalBytes(stored, client.statePublicKey)) {
        edited = true;
        this.alarms.raise({
          subject: KEY_IDS.clientStateKey(client.clientId),
          clientId: client.clientId,
          problem: CLIENT_KEY_REPLACED,
        });
      }
    }
    const logKey = this.logPublicKey();
    if (logKey && !equalBytes(logKey, signed.logPublicKey)) {
      edited = true;
      this.alarms.raise({
        subject: 'audit/signing-key',
        clientId: null,
        problem:
          'the access log’s signing key was replaced outside Session Vault: it differs from the vault’s signed record',
      });
    }
    return { kind: edited ? 'edited' : 'ok', signed, revision: seal.revision, keys };
  }

  /** The vault state secret when it opens and matches the key records are verified with. */
  private checkedSecret(masterKey: Uint8Array): Uint8Array | null {
    const publicKey = this.pinnedKey ?? this.store.vaultStatePublicKey();
    if (!publicKey || !this.keys.has(KEY_IDS.vaultStateKey)) return null;
    let secretKey: Uint8Array | null = null;
    try {
      secretKey = this.keys.take(KEY_IDS.vaultStateKey, masterKey, new VaultError('VAULT_DAMAGED'));
    } catch (error) {
      if (error instanceof VaultError) return null; // named by the unlock's key check
      throw error;
    }
    if (equalBytes(signingPublicKeyOf(secretKey), publicKey)) return secretKey;
    wipe(secretKey);
    return null;
  }

  /** Signs the next revision; false (nothing written) when the vault state key does not check. */
  private sign(masterKey: Uint8Array, next: Omit<VaultStateRecord, 'kind' | 'revision'>): boolean {
    const secretKey = this.checkedSecret(masterKey);
    if (!secretKey) return false;
    try {
      const revision = (this.store.get('vault')?.revision ?? 0) + 1;
      const record: VaultStateRecord = { kind: 'vault', revision, ...next };
      this.store.put(
        'vault',
        revision,
        signState(secretKey, this.vaultId, record),
        recordToJson(record),
      );
      return true;
    } finally {
      wipe(secretKey);
    }
  }

  /**
   * Lists a client just added, in the caller's transaction. Built on the signed record, never on
   * the rows: an app write must not bless a key or a deletion made outside the app.
   */
  addClient(masterKey: Uint8Array, clientId: string, statePublicKey: Uint8Array): void {
    const check = this.check();
    if (check.kind !== 'ok' && check.kind !== 'edited') return; // signed, or named, at unlock
    this.sign(masterKey, {
      clients: [
        ...check.signed.clients.filter((client) => client.clientId !== clientId),
        { clientId, statePublicKey },
      ],
      logPublicKey: check.signed.logPublicKey,
      wrappedKeys: [],
    });
  }

  /**
   * At the therapist's unlock, after the state keys were checked: a vault without a record (older,
   * or its record removed) gets one from the keys that checked; clients deleted outside the app
   * were named by the check and are dropped (named, not undone). Never signs over a vault state key
   * that did not check, nor lists a client whose key did not.
   */
  reconcile(masterKey: Uint8Array, keyChecked: (clientId: string) => boolean): void {
    const secretKey = this.checkedSecret(masterKey);
    if (!secretKey) return;
    wipe(secretKey);
    const check = this.check();
    if (check.kind === 'legacy' || check.kind === 'unsigned') {
      if (check.kind === 'unsigned')
        this.alarms.raise({
          subject: 'vault',
          clientId: null,
          problem: `${VAULT_RECORD_UNSIGNED}; signed again from the keys checked at this unlock`,
        });
      const logPublicKey = this.logPublicKey();
      if (!logPublicKey) return;
      const signed = this.sign(masterKey, {
        clients: this.store
          .clientStateKeys()
          .flatMap((row) =>
            row.statePublicKey && keyChecked(row.clientId)
              ? [{ clientId: row.clientId, statePublicKey: row.statePublicKey }]
              : [],
          ),
        logPublicKey,
        wrappedKeys: [],
      });
      if (signed) this.store.clearVaultRecordPending();
      return;
    }
    const present = new Set(this.store.clientStateKeys().map((row) => row.clientId));
    const kept = check.signed.clients.filter((client) => present.has(client.clientId));
    if (kept.length === check.signed.clients.length) return;
    this.sign(masterKey, {
      clients: kept,
      logPublicKey: check.signed.logPublicKey,
      wrappedKeys: [],
    });
  }
}

/** The first vault record, written with the vault: no clients yet. */
export function firstVaultRecord(
  store: StateSealStore,
  vaultId: Uint8Array,
  secretKey: Uint8Array,
  logPublicKey: Uint8Array,
): void {
  const record: VaultStateRecord = {
    kind: 'vault',
    revision: 1,
    clients: [],
    logPublicKey,
    wrappedKeys: [],
  };
  store.put('vault', 1, signState(secretKey, vaultId, record), recordToJson(record));
}
