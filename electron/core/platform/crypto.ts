// The only file that calls libsodium. Names say what a value is; no key ever reaches a log.
import sodium from 'libsodium-wrappers-sumo';

let ready = false;

/** libsodium is WebAssembly: wait for it once before any other call here. */
export async function initCrypto(): Promise<void> {
  if (ready) return;
  await sodium.ready;
  ready = true;
}

function lib(): typeof sodium {
  if (!ready) throw new Error('initCrypto() must finish before crypto is used');
  return sodium;
}

export const KEY_BYTES = 32;
export const AEAD_NONCE_BYTES = 24;
export const AEAD_TAG_BYTES = 16;
export const SALT_BYTES = 16;
export const HASH_BYTES = 32;

export interface KdfParams {
  alg: 'argon2id13';
  opsLimit: number;
  memLimitBytes: number;
  /** base64 */
  salt: string;
}

/**
 * Argon2id cost for new keys: 128 MiB and 5 passes takes about 0.45 s on the 2-core build
 * machine (see `npm run bench`, unlock_ms). Stored beside each wrapped key, so it can be raised.
 */
export const DEFAULT_KDF = { opsLimit: 5, memLimitBytes: 128 * 1024 * 1024 } as const;

/**
 * The platform CSPRNG (Web Crypto): libsodium's own randombytes under Node reads 4 bytes per
 * call, which made every nonce cost ~46 µs (docs/benchmarks.md).
 */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65_536)
    globalThis.crypto.getRandomValues(bytes.subarray(offset, Math.min(length, offset + 65_536)));
  return bytes;
}

export function newKdfParams(cost: { opsLimit: number; memLimitBytes: number }): KdfParams {
  return { alg: 'argon2id13', ...cost, salt: toBase64(randomBytes(SALT_BYTES)) };
}

/** Passphrase (and, for client PINs, the device secret) to a key-encrypting key. */
export function deriveKek(secret: Uint8Array, params: KdfParams): Uint8Array {
  const s = lib();
  if (params.alg !== 'argon2id13') throw new Error(`unknown KDF ${params.alg}`);
  return s.crypto_pwhash(
    KEY_BYTES,
    secret,
    fromBase64(params.salt),
    params.opsLimit,
    params.memLimitBytes,
    s.crypto_pwhash_ALG_ARGON2ID13,
  );
}

export function newKey(): Uint8Array {
  return lib().crypto_aead_xchacha20poly1305_ietf_keygen();
}

export interface Sealed {
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

/** XChaCha20-Poly1305 with associated data; a random 192-bit nonce per message. */
export function seal(key: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Sealed {
  const s = lib();
  const nonce = randomBytes(AEAD_NONCE_BYTES);
  const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    associatedData,
    null,
    nonce,
    key,
  );
  return { nonce, ciphertext };
}

/** Returns null when the ciphertext, nonce, key or associated data do not match. */
export function open(
  key: Uint8Array,
  sealed: Sealed,
  associatedData: Uint8Array,
): Uint8Array | null {
  try {
    return lib().crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      sealed.ciphertext,
      associatedData,
      sealed.nonce,
      key,
    );
  } catch {
    return null;
  }
}

export function hash(...parts: Uint8Array[]): Uint8Array {
  const s = lib();
  const state = s.crypto_generichash_init(null, HASH_BYTES);
  for (const part of parts) s.crypto_generichash_update(state, part);
  return s.crypto_generichash_final(state, HASH_BYTES);
}

export interface BoxKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export function newBoxKeyPair(): BoxKeyPair {
  const { publicKey, privateKey } = lib().crypto_box_keypair();
  return { publicKey, secretKey: privateKey };
}

export function boxPublicKeyOf(secretKey: Uint8Array): Uint8Array {
  return lib().crypto_scalarmult_base(secretKey);
}

/** Anonymous sealed box: anyone with the public key writes, only the secret key reads. */
export function sealToPublicKey(publicKey: Uint8Array, message: Uint8Array): Uint8Array {
  return lib().crypto_box_seal(message, publicKey);
}

export function openSealedBox(keyPair: BoxKeyPair, sealedBox: Uint8Array): Uint8Array | null {
  try {
    return lib().crypto_box_seal_open(sealedBox, keyPair.publicKey, keyPair.secretKey);
  } catch {
    return null;
  }
}

export function newSigningKeyPair(): BoxKeyPair {
  const { publicKey, privateKey } = lib().crypto_sign_keypair();
  return { publicKey, secretKey: privateKey };
}

export function signingPublicKeyOf(secretKey: Uint8Array): Uint8Array {
  return lib().crypto_sign_ed25519_sk_to_pk(secretKey);
}

export function sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  return lib().crypto_sign_detached(message, secretKey);
}

export function verifySignature(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    return lib().crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && lib().memcmp(a, b);
}

/** Overwrite a key in memory once it is no longer needed. */
export function wipe(buffer: Uint8Array | null | undefined): void {
  if (buffer) lib().memzero(buffer);
}

export function toBase64(bytes: Uint8Array): string {
  return lib().to_base64(bytes, lib().base64_variants.ORIGINAL);
}

export function fromBase64(text: string): Uint8Array {
  return lib().from_base64(text, lib().base64_variants.ORIGINAL);
}

export function toHex(bytes: Uint8Array): string {
  return lib().to_hex(bytes);
}

export function fromHex(text: string): Uint8Array {
  return lib().from_hex(text);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = {
  encode: (text: string): Uint8Array => encoder.encode(text),
  decode: (bytes: Uint8Array): string => decoder.decode(bytes),
};

// Integrity primitives (issue 11). Kept at the end so the move of this file to platform/ stays a
// plain rename.

export const MAC_BYTES = 32;

/**
 * BLAKE2b keyed with a 32-byte secret: a tag that only a holder of `key` can compute, unlike
 * `hash`, which anyone who can edit a row can recompute.
 */
export function keyedHash(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const s = lib();
  if (key.length !== KEY_BYTES) throw new Error('keyedHash needs a 32-byte key');
  const state = s.crypto_generichash_init(key, MAC_BYTES);
  for (const part of parts) s.crypto_generichash_update(state, part);
  return s.crypto_generichash_final(state, MAC_BYTES);
}

/** BLAKE2b over many parts without holding them in one argument list (a recording's chunks). */
export function hashAll(parts: Iterable<Uint8Array>): Uint8Array {
  const s = lib();
  const state = s.crypto_generichash_init(null, HASH_BYTES);
  for (const part of parts) s.crypto_generichash_update(state, part);
  return s.crypto_generichash_final(state, HASH_BYTES);
}
