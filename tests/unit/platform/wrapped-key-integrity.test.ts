// A swapped wrapped key (with its old public hash recomputed, as an attacker would) is damage,
// never a wrong PIN; an intact row opened with the wrong secret is a wrong PIN.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  deriveKek,
  initCrypto,
  newKdfParams,
  newKey,
  open,
  randomBytes,
  seal,
  utf8,
} from '../../../electron/core/platform/crypto';
import {
  deviceCheckOf,
  integrityKeyOf,
  unwrapCheckedKey,
  wrappedKeyTag,
  type WrappedKeyRow,
} from '../../../electron/core/platform/wrapped-key-integrity';

const LIGHT_KDF = { opsLimit: 1, memLimitBytes: 8 * 1024 * 1024 };

beforeAll(initCrypto);

function wrapWithPin(vaultId: Uint8Array, keyId: string, pin: string, key: Uint8Array) {
  const kdf = newKdfParams(LIGHT_KDF);
  const kdfText = JSON.stringify(kdf);
  const ad = utf8.encode(`${keyId}|${kdfText}`);
  const sealed = seal(deriveKek(utf8.encode(pin), kdf), key, ad);
  const row: WrappedKeyRow = { keyId, kdf: kdfText, ...sealed };
  const unwrapWith = (typed: string) => () =>
    open(
      deriveKek(utf8.encode(typed), JSON.parse(row.kdf!)),
      row,
      utf8.encode(`${row.keyId}|${row.kdf}`),
    );
  return { row, unwrapWith };
}

describe('wrapped-key integrity', () => {
  const vaultId = randomBytes(16);
  const deviceSecret = randomBytes(32);

  it('opens an intact row with the right PIN, and calls a wrong PIN a wrong secret', () => {
    const integrityKey = integrityKeyOf(deviceSecret, vaultId);
    const clientKey = newKey();
    const { row, unwrapWith } = wrapWithPin(vaultId, 'ck/c1/credential', '4821', clientKey);
    const tag = wrappedKeyTag(integrityKey, vaultId, row);
    const opened = unwrapCheckedKey(integrityKey, vaultId, row, tag, unwrapWith('4821'));
    expect(opened.kind).toBe('opened');
    expect(opened.kind === 'opened' && Buffer.from(opened.key).equals(Buffer.from(clientKey))).toBe(
      true,
    );
    expect(unwrapCheckedKey(integrityKey, vaultId, row, tag, unwrapWith('0000'))).toEqual({
      kind: 'wrong-secret',
    });
  });

  it('a swapped key with its public hash recomputed is tampering, and no KDF runs for it', () => {
    const integrityKey = integrityKeyOf(deviceSecret, vaultId);
    const genuine = wrapWithPin(vaultId, 'ck/c1/credential', '4821', newKey());
    const tag = wrappedKeyTag(integrityKey, vaultId, genuine.row);
    // The attacker wraps a key of their own under a PIN they know and recomputes the old,
    // public integrity hash; the keyed tag they cannot recompute without the device secret.
    const swapped = wrapWithPin(vaultId, 'ck/c1/credential', '1111', newKey());
    let kdfRuns = 0;
    const outcome = unwrapCheckedKey(integrityKey, vaultId, swapped.row, tag, () => {
      kdfRuns += 1;
      return swapped.unwrapWith('4821')();
    });
    expect(outcome).toEqual({ kind: 'tampered' });
    expect(kdfRuns).toBe(0);
  });

  it('any change to the id, parameters, nonce or ciphertext breaks the tag', () => {
    const integrityKey = integrityKeyOf(deviceSecret, vaultId);
    const { row } = wrapWithPin(vaultId, 'ck/c1/credential', '4821', newKey());
    const tag = wrappedKeyTag(integrityKey, vaultId, row);
    const flip = (bytes: Uint8Array) => {
      const copy = bytes.slice();
      copy[0] = copy[0]! ^ 1;
      return copy;
    };
    const variants: WrappedKeyRow[] = [
      { ...row, keyId: 'ck/c2/credential' },
      { ...row, kdf: row.kdf!.replace('"opsLimit":1', '"opsLimit":2') },
      { ...row, kdf: null },
      { ...row, nonce: flip(row.nonce) },
      { ...row, ciphertext: flip(row.ciphertext) },
    ];
    for (const variant of variants)
      expect(unwrapCheckedKey(integrityKey, vaultId, variant, tag, () => null)).toEqual({
        kind: 'tampered',
      });
    const otherVault = randomBytes(16);
    expect(unwrapCheckedKey(integrityKey, otherVault, row, tag, () => null)).toEqual({
      kind: 'tampered',
    });
  });

  it('another device computes other tags, and its device check tells it so', () => {
    const here = integrityKeyOf(deviceSecret, vaultId);
    const elsewhere = integrityKeyOf(randomBytes(32), vaultId);
    const { row } = wrapWithPin(vaultId, 'mk/therapist', 'a long passphrase', newKey());
    expect(Buffer.from(wrappedKeyTag(here, vaultId, row))).not.toEqual(
      Buffer.from(wrappedKeyTag(elsewhere, vaultId, row)),
    );
    expect(Buffer.from(deviceCheckOf(here))).toEqual(
      Buffer.from(deviceCheckOf(integrityKeyOf(deviceSecret, vaultId))),
    );
    expect(Buffer.from(deviceCheckOf(here))).not.toEqual(Buffer.from(deviceCheckOf(elsewhere)));
  });
});
