// The key hierarchy: passphrase -> KEK -> master key (MK); recovery key -> KEK -> MK;
// MK -> audit secret keys. Each wrapped key is bound to its vault and its key id, so a wrapped
// key copied to another row or another vault does not open. Each row carries a tag keyed by the
// device secret (wrapped-key-integrity.ts): a swapped row is damage, never a wrong secret.
import type { Database } from 'better-sqlite3';
import { VaultError } from '../../../shared/errors';
import {
  deriveKek,
  equalBytes,
  hash,
  newKdfParams,
  randomBytes,
  seal,
  open,
  utf8,
  wipe,
  toHex,
  type KdfParams,
} from '../platform/crypto';
import {
  deviceCheckOf,
  tagMatches,
  unwrapCheckedKey,
  wrappedKeyTag,
  type WrappedKeyRow as TaggedRow,
} from '../platform/wrapped-key-integrity';
import type { DeriveKek } from '../platform/kdf';

export type KdfCost = { opsLimit: number; memLimitBytes: number };

export const KEY_IDS = {
  therapistMasterKey: 'mk/therapist',
  recoveryMasterKey: 'mk/recovery',
  auditSecrets: 'audit/mk',
  /** The audit secrets, wrapped by one auditor's passphrase. */
  auditSecretsForAuditor: (auditorId: string) => `audit/auditor/${auditorId}`,
  /** A client's key wrapped by the master key (the therapist's way in). */
  clientByMasterKey: (clientId: string) => `ck/${clientId}/mk`,
  /** The same client key wrapped by the client's PIN mixed with the device secret. */
  clientByCredential: (clientId: string) => `ck/${clientId}/credential`,
  recording: (recordingId: string) => `rk/${recordingId}`,
  /** The vault state key's secret half, wrapped by MK. */
  vaultStateKey: 'state/mk',
  /** A client's state key's secret half, wrapped by that client's key. */
  clientStateKey: (clientId: string) => `state/client/${clientId}`,
} as const;

/**
 * A client PIN is short, so it is mixed with the device secret (kept outside the vault file)
 * before Argon2id: a stolen vault file alone cannot be brute-forced offline.
 */
export function clientCredentialSecret(deviceSecret: Uint8Array, pin: string): Uint8Array {
  const pinBytes = utf8.encode(pin);
  const secret = new Uint8Array(deviceSecret.length + pinBytes.length);
  secret.set(deviceSecret, 0);
  secret.set(pinBytes, deviceSecret.length);
  wipe(pinBytes);
  return secret;
}

interface WrappedKeyRow {
  key_id: string;
  kdf: string | null;
  nonce: Buffer;
  ciphertext: Buffer;
  integrity: Buffer;
}

function wrapAssociatedData(vaultId: Uint8Array, keyId: string, kdf: string | null): Uint8Array {
  return utf8.encode(`session-vault/wrap/v1|${toHex(vaultId)}|${keyId}|${kdf ?? ''}`);
}

/** The public hash rows carried before migration 40; read once, to re-tag an older vault. */
function legacyIntegrityOf(row: WrappedKeyRow): Uint8Array {
  return hash(utf8.encode(row.key_id), utf8.encode(row.kdf ?? ''), row.nonce, row.ciphertext);
}

function parseKdf(kdf: string | null): KdfParams {
  if (!kdf) throw new VaultError('VAULT_DAMAGED');
  try {
    return JSON.parse(kdf) as KdfParams;
  } catch (cause) {
    throw new VaultError('VAULT_DAMAGED', undefined, { cause });
  }
}

function taggedRow(row: WrappedKeyRow): TaggedRow {
  return {
    keyId: row.key_id,
    kdf: row.kdf,
    nonce: new Uint8Array(row.nonce),
    ciphertext: new Uint8Array(row.ciphertext),
  };
}

/**
 * Whose tags the rows carry: this device's (a row that does not match was changed), another
 * computer's (a copy moved here: tags cannot be checked until the therapist re-tags them), or none
 * yet (a vault from before migration 40, re-tagged at open from its public hashes).
 */
export type TagOwner = 'this-device' | 'other-device' | 'untagged';

/**
 * A wrapped-key row whose tag does not match: changed outside Session Vault. Damage to the vault
 * (VAULT_DAMAGED, as any unusable key), told apart from a missing row so that callers can name
 * the key in a tamper alarm and never count it as a wrong secret.
 */
export class DamagedKeyError extends VaultError {
  constructor(readonly keyId: string) {
    super(
      'VAULT_DAMAGED',
      'A key in the vault was changed outside Session Vault, so it was not used. This is not a wrong PIN or passphrase, and the try was not counted.',
    );
  }
}

export class KeyStore {
  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly now: () => number,
    /** integrityKeyOf(device secret, vault id): kept outside the vault folder. */
    private readonly integrityKey: Uint8Array,
  ) {}

  /** Whose tags the rows carry (see TagOwner). */
  tagOwner(): TagOwner {
    const row = this.db.prepare('SELECT device_check FROM vault_meta WHERE singleton = 1').get() as
      { device_check: Buffer | null } | undefined;
    if (!row?.device_check) return 'untagged';
    return equalBytes(new Uint8Array(row.device_check), deviceCheckOf(this.integrityKey))
      ? 'this-device'
      : 'other-device';
  }

  /**
   * True when `device_check` names another computer although rows carry this device's tags: the
   * check was rewritten to make this laptop look like another one, so that tags go unchecked. A
   * copy really moved here has no row tagged with this device's key (a tag is a keyed hash). The
   * check is put back, so from now on every row's tag is checked again.
   */
  repairRewrittenDeviceCheck(): boolean {
    if (this.tagOwner() !== 'other-device') return false;
    const rows = this.db
      .prepare('SELECT key_id, kdf, nonce, ciphertext, integrity FROM wrapped_keys')
      .all() as WrappedKeyRow[];
    const taggedHere = rows.some((row) =>
      equalBytes(
        wrappedKeyTag(this.integrityKey, this.vaultId, taggedRow(row)),
        new Uint8Array(row.integrity),
      ),
    );
    if (!taggedHere) return false;
    this.db
      .prepare('UPDATE vault_meta SET device_check = ? WHERE singleton = 1')
      .run(deviceCheckOf(this.integrityKey));
    return true;
  }

  /**
   * Tags every row with this device's key and records the device. From an untagged (older)
   * vault only rows whose public hash still matches are taken over; a row that was already
   * changed keeps its old tag and reads as damaged. From `other-device` every row is re-tagged:
   * a copy moved here, once the therapist's passphrase has opened it on this device.
   */
  tagRows(from: 'untagged' | 'other-device'): void {
    this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT key_id, kdf, nonce, ciphertext, integrity FROM wrapped_keys')
        .all() as WrappedKeyRow[];
      const update = this.db.prepare('UPDATE wrapped_keys SET integrity = ? WHERE key_id = ?');
      for (const row of rows) {
        if (
          from === 'untagged' &&
          !equalBytes(legacyIntegrityOf(row), new Uint8Array(row.integrity))
        )
          continue;
        update.run(wrappedKeyTag(this.integrityKey, this.vaultId, taggedRow(row)), row.key_id);
      }
      this.db
        .prepare('UPDATE vault_meta SET device_check = ? WHERE singleton = 1')
        .run(deviceCheckOf(this.integrityKey));
    })();
  }

  /** Stores `key` wrapped by `wrappingKey`; replaces any earlier wrap under the same id. */
  put(keyId: string, wrappingKey: Uint8Array, key: Uint8Array, kdf: KdfParams | null = null): void {
    const kdfText = kdf ? JSON.stringify(kdf) : null;
    const sealed = seal(wrappingKey, key, wrapAssociatedData(this.vaultId, keyId, kdfText));
    this.db
      .prepare(
        `INSERT INTO wrapped_keys (key_id, kdf, nonce, ciphertext, integrity, created_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (key_id) DO UPDATE SET kdf = excluded.kdf, nonce = excluded.nonce,
           ciphertext = excluded.ciphertext, integrity = excluded.integrity, created_at = excluded.created_at`,
      )
      .run(
        keyId,
        kdfText,
        sealed.nonce,
        sealed.ciphertext,
        wrappedKeyTag(this.integrityKey, this.vaultId, {
          keyId,
          kdf: kdfText,
          nonce: sealed.nonce,
          ciphertext: sealed.ciphertext,
        }),
        this.now(),
      );
  }

  has(keyId: string): boolean {
    return this.db.prepare('SELECT 1 FROM wrapped_keys WHERE key_id = ?').get(keyId) !== undefined;
  }

  /** The stored KDF parameters of a passphrase-wrapped key. */
  kdfOf(keyId: string): KdfParams {
    return parseKdf(this.row(keyId).kdf);
  }

  /**
   * Unwraps a key. A row whose tag does not match is damage (DamagedKeyError, checked before
   * `deriveWrappingKey` runs, so it costs no KDF and no try); a row that is intact but does not
   * open means the secret is wrong (`wrongKeyError`).
   */
  take(
    keyId: string,
    wrappingKey: Uint8Array | (() => Uint8Array),
    wrongKeyError: VaultError,
  ): Uint8Array {
    const row = this.intactRow(keyId);
    const key = typeof wrappingKey === 'function' ? wrappingKey() : wrappingKey;
    try {
      const opened = row.open(key);
      if (!opened) throw wrongKeyError;
      return opened;
    } finally {
      if (typeof wrappingKey === 'function') wipe(key);
    }
  }

  /**
   * `take` with the KEK derived from `secret` by `derive` (in a worker thread: kdf.ts). The row
   * is read once: its tag is checked before the KDF runs, and the same row is opened after.
   */
  async takeWithSecret(
    keyId: string,
    secret: Uint8Array,
    derive: DeriveKek,
    wrongKeyError: VaultError,
  ): Promise<Uint8Array> {
    const row = this.intactRow(keyId);
    const kek = await derive(secret, row.kdf());
    try {
      const opened = row.open(kek);
      if (!opened) throw wrongKeyError;
      return opened;
    } finally {
      wipe(kek);
    }
  }

  /** The row with its tag checked (DamagedKeyError otherwise), and how to open it. */
  private intactRow(keyId: string): {
    kdf: () => KdfParams;
    open: (wrappingKey: Uint8Array) => Uint8Array | null;
  } {
    const row = this.row(keyId);
    const tagged = taggedRow(row);
    // A copy from another computer carries that computer's tags: nothing is called damaged there.
    const storedTag =
      this.tagOwner() === 'other-device'
        ? wrappedKeyTag(this.integrityKey, this.vaultId, tagged)
        : new Uint8Array(row.integrity);
    if (!tagMatches(this.integrityKey, this.vaultId, tagged, storedTag))
      throw new DamagedKeyError(keyId);
    return {
      kdf: () => parseKdf(row.kdf),
      open: (wrappingKey) =>
        open(
          wrappingKey,
          { nonce: tagged.nonce, ciphertext: tagged.ciphertext },
          wrapAssociatedData(this.vaultId, keyId, row.kdf),
        ),
    };
  }

  /**
   * Unwraps many keys at once and hands each to `use`, then wipes it: one query for all the rows
   * and one look at the tag owner, where `take` costs three queries per key (the library's 300
   * recording keys spent about 0.1 ms each on SQL, for 5 µs of crypto). The same checks as
   * `take`: a row whose tag does not match, that does not open, that is missing, or whose
   * `wrappingKeyOf` is null is left out, never half-used; the caller treats it as not opening.
   */
  takeEach(
    keyIds: readonly string[],
    wrappingKeyOf: (keyId: string) => Uint8Array | null,
    use: (keyId: string, key: Uint8Array) => void,
  ): void {
    if (keyIds.length === 0) return;
    const rows = this.db
      .prepare(
        `SELECT key_id, kdf, nonce, ciphertext, integrity FROM wrapped_keys
          WHERE key_id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(keyIds)) as WrappedKeyRow[];
    const otherDevice = this.tagOwner() === 'other-device';
    for (const row of rows) {
      const wrappingKey = wrappingKeyOf(row.key_id);
      if (!wrappingKey) continue;
      const tagged = taggedRow(row);
      const storedTag = otherDevice
        ? wrappedKeyTag(this.integrityKey, this.vaultId, tagged)
        : new Uint8Array(row.integrity);
      const outcome = unwrapCheckedKey(this.integrityKey, this.vaultId, tagged, storedTag, () =>
        open(
          wrappingKey,
          { nonce: tagged.nonce, ciphertext: tagged.ciphertext },
          wrapAssociatedData(this.vaultId, row.key_id, row.kdf),
        ),
      );
      if (outcome.kind !== 'opened') continue;
      try {
        use(row.key_id, outcome.key);
      } finally {
        wipe(outcome.key);
      }
    }
  }

  delete(keyId: string): void {
    this.db.prepare('DELETE FROM wrapped_keys WHERE key_id = ?').run(keyId);
  }

  private row(keyId: string): WrappedKeyRow {
    const row = this.db
      .prepare(
        'SELECT key_id, kdf, nonce, ciphertext, integrity FROM wrapped_keys WHERE key_id = ?',
      )
      .get(keyId) as WrappedKeyRow | undefined;
    if (!row) throw new VaultError('VAULT_DAMAGED');
    return row;
  }
}

/** Derives the KEK from a secret (only for an intact row) and unwraps `keyId`; the KEK is wiped. */
export function unwrapWithSecret(
  store: KeyStore,
  keyId: string,
  secret: Uint8Array,
  wrongKeyError: VaultError,
): Uint8Array {
  const kdf = store.kdfOf(keyId);
  return store.take(keyId, () => deriveKek(secret, kdf), wrongKeyError);
}

export function wrapWithSecret(
  store: KeyStore,
  keyId: string,
  secret: Uint8Array,
  key: Uint8Array,
  cost: KdfCost,
): void {
  const kdf = newKdfParams(cost);
  const kek = deriveKek(secret, kdf);
  try {
    store.put(keyId, kek, key, kdf);
  } finally {
    wipe(kek);
  }
}

// Crockford base32: no I, L, O or U, so a handwritten key reads back without confusion.
const RECOVERY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RECOVERY_BYTES = 20;

/** 160 random bits as 32 characters in eight groups of four. */
export function newRecoveryKey(): string {
  const bytes = randomBytes(RECOVERY_BYTES);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += RECOVERY_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** Accepts what a person types: any case, spaces or dashes, O for 0, I or L for 1. */
export function normalizeRecoveryKey(typed: string): string | null {
  const cleaned = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (cleaned.length !== 32 || [...cleaned].some((c) => !RECOVERY_ALPHABET.includes(c)))
    return null;
  return cleaned.match(/.{4}/g)!.join('-');
}
