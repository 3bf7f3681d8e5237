// AEAD throughput on 64 KiB buffers: libsodium XChaCha20-Poly1305 through crypto.ts seal/open,
// against node:crypto ChaCha20-Poly1305 (12-byte nonce, 16-byte tag) on the same buffers.
import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from 'node:crypto';
import { initCrypto, newKey, open, seal, type Sealed } from '../../electron/core/platform/crypto';
import { type BenchGroup, median, now, round } from './harness';

const BUFFER_BYTES = 64 * 1024;

interface NodeSealed {
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function nodeSeal(key: Buffer, plaintext: Uint8Array, ad: Uint8Array): NodeSealed {
  const nonce = nodeRandomBytes(12);
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
  cipher.setAAD(ad, { plaintextLength: plaintext.length });
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { nonce, ciphertext, tag: cipher.getAuthTag() };
}

function nodeOpen(key: Buffer, sealed: NodeSealed, ad: Uint8Array): Buffer {
  const decipher = createDecipheriv('chacha20-poly1305', key, sealed.nonce, { authTagLength: 16 });
  decipher.setAuthTag(sealed.tag);
  decipher.setAAD(ad, { plaintextLength: sealed.ciphertext.length });
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}

/** MB/s (10^6 bytes) for one pass over `buffers`. */
function rate(bytes: number, ms: number): number {
  return bytes / 1e6 / (ms / 1000);
}

export const aeadGroup: BenchGroup = {
  name: 'aead',
  ids: ['aead_seal_mb_s', 'aead_open_mb_s'],
  async run(options) {
    await initCrypto();
    const count = options.quick ? 64 : 256; // 4 or 16 MiB per pass
    const passes = options.quick ? 3 : 7;
    // node:crypto for the test data: libsodium's randombytes_buf takes ~160 ms per 64 KiB here.
    const buffers = Array.from(
      { length: count },
      () => new Uint8Array(nodeRandomBytes(BUFFER_BYTES)),
    );
    const ad = new Uint8Array(nodeRandomBytes(96)); // about the size of a chunk's associated data
    const key = newKey();
    const nodeKey = Buffer.from(key);
    const total = count * BUFFER_BYTES;
    const sodiumSeal: number[] = [];
    const sodiumOpen: number[] = [];
    const nodeSealRates: number[] = [];
    const nodeOpenRates: number[] = [];
    for (let pass = 0; pass < passes; pass += 1) {
      let start = now();
      const sealed: Sealed[] = buffers.map((buffer) => seal(key, buffer, ad));
      sodiumSeal.push(rate(total, now() - start));
      start = now();
      for (const box of sealed) if (!open(key, box, ad)) throw new Error('libsodium open failed');
      sodiumOpen.push(rate(total, now() - start));
      start = now();
      const nodeSealed = buffers.map((buffer) => nodeSeal(nodeKey, buffer, ad));
      nodeSealRates.push(rate(total, now() - start));
      start = now();
      for (const box of nodeSealed) nodeOpen(nodeKey, box, ad);
      nodeOpenRates.push(rate(total, now() - start));
    }
    const note = `median of ${passes} passes over ${count} x 64 KiB; baseline node:crypto chacha20-poly1305`;
    return [
      {
        id: 'aead_seal_mb_s',
        value: round(median(sodiumSeal)),
        unit: 'MB/s',
        baseline: round(median(nodeSealRates)),
        note,
      },
      {
        id: 'aead_open_mb_s',
        value: round(median(sodiumOpen)),
        unit: 'MB/s',
        baseline: round(median(nodeOpenRates)),
        note,
      },
    ];
  },
};
