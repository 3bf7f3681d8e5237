// The key hierarchy: passphrase -> KEK -> master key (MK); recovery key -> KEK -> MK;
// MK -> audit secret keys. Each wrapped key is bound to its vault and its key id, so a wrapped
// key copied to another row or another vault does not open.
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
  type Sealed,
} from '../platform/crypto';

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

function integrityOf(keyId: string, kdf: string | null, sealed: Sealed): Uint8Array {
  return hash(utf8.encode(keyId), utf8.encode(kdf ?? ''), sealed.nonce, sealed.ciphertext);
}

export class KeyStore {
  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly now: () => number,
  ) {}

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
        integrityOf(keyId, kdfText, sealed),
        this.now(),
      );
  }

  has(keyId: string): boolean {
    return this.db.prepare('SELECT 1 FROM wrapped_keys WHERE key_id = ?').get(keyId) !== undefined;
  }

  /** The stored KDF parameters of a passphrase-wrapped key. */
  kdfOf(keyId: string): KdfParams {
    const row = this.row(keyId);
    if (!row.kdf) throw new VaultError('VAULT_DAMAGED');
    try {
      return JSON.parse(row.kdf) as KdfParams;
    } catch (cause) {
      throw new VaultError('VAULT_DAMAGED', undefined, { cause });
    }
  }

  /**
   * Unwraps a key. A row whose integrity hash does not match is damage (VAULT_DAMAGED); a row
   * that is intact but does not open means the wrapping key is wrong (`wrongKeyError`).
   */
  take(keyId: string, wrappingKey: Uint8Array, wrongKeyError: VaultError): Uint8Array {
    const row = this.row(keyId);
    const sealed = { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.ciphertext) };
    if (!equalBytes(integrityOf(keyId, row.kdf, sealed), new Uint8Array(row.integrity)))
      throw new VaultError('VAULT_DAMAGED');
    const key = open(wrappingKey, sealed, wrapAssociatedData(this.vaultId, keyId, row.kdf));
    if (!key) throw wrongKeyError;
    return key;
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

/** Derives the KEK from a secret and unwraps `keyId` with it; the KEK is wiped either way. */
export function unwrapWithSecret(
  store: KeyStore,
  keyId: string,
  secret: Uint8Array,
  wrongKeyError: VaultError,
): Uint8Array {
  const kek = deriveKek(secret, store.kdfOf(keyId));
  try {
    return store.take(keyId, kek, wrongKeyError);
  } finally {
    wipe(kek);
  }
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
