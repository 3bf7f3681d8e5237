// Wrapped-key integrity with a keyed tag. The stored tag used to be a plain hash of the row, so
// whoever swapped a wrapped key could recompute it: the swap then read as a wrong PIN and counted
// toward a lockout. The tag is now keyed by a key derived from the device secret (kept outside
// the vault folder), checked before any KDF runs: a swapped row is damage, never a wrong secret.
import { equalBytes, keyedHash, utf8 } from './crypto';

const KEY_CONTEXT = utf8.encode('session-vault/wrapped-key-integrity-key/v1');
const TAG_CONTEXT = utf8.encode('session-vault/wrapped-key-tag/v1');
const DEVICE_CHECK_CONTEXT = utf8.encode('session-vault/wrapped-key-device-check/v1');

export interface WrappedKeyRow {
  keyId: string;
  /** The KDF parameters as stored (JSON), or null when the wrapping key is another vault key. */
  kdf: string | null;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

export function integrityKeyOf(deviceSecret: Uint8Array, vaultId: Uint8Array): Uint8Array {
  return keyedHash(deviceSecret, KEY_CONTEXT, vaultId);
}

/**
 * Stored once in the vault: tells "this vault's keys were tagged on another computer" (a copy
 * moved there: the tags cannot be checked, nothing is called tampered) from "a row was changed".
 */
export function deviceCheckOf(integrityKey: Uint8Array): Uint8Array {
  return keyedHash(integrityKey, DEVICE_CHECK_CONTEXT);
}

function lengthPrefixed(bytes: Uint8Array): Uint8Array[] {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, bytes.length);
  return [length, bytes];
}

export function wrappedKeyTag(
  integrityKey: Uint8Array,
  vaultId: Uint8Array,
  row: WrappedKeyRow,
): Uint8Array {
  return keyedHash(
    integrityKey,
    TAG_CONTEXT,
    vaultId,
    ...lengthPrefixed(utf8.encode(row.keyId)),
    new Uint8Array([row.kdf === null ? 0 : 1]),
    ...lengthPrefixed(utf8.encode(row.kdf ?? '')),
    ...lengthPrefixed(row.nonce),
    ...lengthPrefixed(row.ciphertext),
  );
}

export type UnwrapOutcome =
  | { kind: 'opened'; key: Uint8Array }
  /** The row is intact and the secret did not open it: this alone counts toward a lockout. */
  | { kind: 'wrong-secret' }
  /** The row is not the one this vault wrote: a tamper alarm, never a wrong secret. */
  | { kind: 'tampered' };

/** True when the row is the one this vault wrote: its tag matches the stored one. */
export function tagMatches(
  integrityKey: Uint8Array,
  vaultId: Uint8Array,
  row: WrappedKeyRow,
  storedTag: Uint8Array,
): boolean {
  return equalBytes(wrappedKeyTag(integrityKey, vaultId, row), storedTag);
}

/**
 * Checks the tag first, so a tampered row costs no Argon2id run and no try; only then calls
 * `unwrap` (derive the KEK, open the row), which returns null for a wrong secret.
 */
export function unwrapCheckedKey(
  integrityKey: Uint8Array,
  vaultId: Uint8Array,
  row: WrappedKeyRow,
  storedTag: Uint8Array,
  unwrap: () => Uint8Array | null,
): UnwrapOutcome {
  if (!tagMatches(integrityKey, vaultId, row, storedTag)) return { kind: 'tampered' };
  const key = unwrap();
  return key ? { kind: 'opened', key } : { kind: 'wrong-secret' };
}
