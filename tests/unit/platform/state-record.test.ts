// Signed state records: an edit of any bound field, a record moved to another vault or read as
// another kind, or a key swapped in, never verifies; the chunk commitment finds altered,
// removed and reordered chunks without any key.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCrypto, newSigningKeyPair, randomBytes } from '../../../electron/core/platform/crypto';
import {
  chunksHashOf,
  signState,
  stateMessage,
  stateSubjectOf,
  verifyState,
  wrappedKeyRowHash,
  type ChunkForCommitment,
  type StateRecord,
} from '../../../electron/core/platform/state-record';

beforeAll(initCrypto);

const DAY = 24 * 60 * 60_000;
const STARTED = Date.UTC(2026, 10, 2, 10, 0, 0);

function recording(overrides: Partial<Extract<StateRecord, { kind: 'recording' }>> = {}) {
  return {
    kind: 'recording',
    recordingId: 'rec-1',
    clientId: 'client-1',
    recNo: 3,
    revision: 2,
    startedAt: STARTED,
    destroyAfter: STARTED + 30 * DAY,
    destroyCause: 'retention',
    finalSeq: 3599,
    chunksHash: new Uint8Array(32).fill(1),
    recordingKeyHash: new Uint8Array(32).fill(2),
    ...overrides,
  } satisfies StateRecord;
}

function consentEvents(overrides: Partial<Extract<StateRecord, { kind: 'consent-events' }>> = {}) {
  return {
    kind: 'consent-events',
    clientId: 'client-1',
    revision: 4,
    revokedAt: STARTED + DAY,
    revokedByRole: 'client',
    revokedById: 'client-1',
    therapyEndedAt: null,
    ...overrides,
  } satisfies StateRecord;
}

describe('state records', () => {
  const vaultId = randomBytes(16);

  it('the attacks of issue 11 on clear columns each break the signature', () => {
    const keys = newSigningKeyPair();
    const genuine = recording();
    const signature = signState(keys.secretKey, vaultId, genuine);
    expect(verifyState(keys.publicKey, vaultId, genuine, signature)).toBe(true);
    const edits: StateRecord[] = [
      recording({ destroyAfter: Date.UTC(2099, 0, 1) }),
      recording({ destroyAfter: 0 }),
      recording({ destroyAfter: null }),
      recording({ destroyCause: 'revocation' }),
      recording({ startedAt: STARTED + 300 * DAY }),
      recording({ chunksHash: new Uint8Array(32).fill(9) }),
      recording({ recordingKeyHash: null }),
      recording({ clientId: 'client-2' }),
    ];
    for (const edit of edits)
      expect(verifyState(keys.publicKey, vaultId, edit, signature)).toBe(false);

    const revoked = consentEvents();
    const revokedSignature = signState(keys.secretKey, vaultId, revoked);
    expect(
      verifyState(keys.publicKey, vaultId, consentEvents({ revokedAt: null }), revokedSignature),
    ).toBe(false);
    expect(
      verifyState(
        keys.publicKey,
        vaultId,
        consentEvents({ revokedAt: null, revokedByRole: null, revokedById: null }),
        revokedSignature,
      ),
    ).toBe(false);
  });

  it('binds the vault, the kind and the key', () => {
    const keys = newSigningKeyPair();
    const record = recording();
    const signature = signState(keys.secretKey, vaultId, record);
    expect(verifyState(keys.publicKey, randomBytes(16), record, signature)).toBe(false);
    expect(verifyState(newSigningKeyPair().publicKey, vaultId, record, signature)).toBe(false);
    expect(stateSubjectOf(record)).toBe('recording/rec-1');
    expect(stateSubjectOf(consentEvents())).toBe('consent/client-1');
    // The kind byte follows the domain and vault id: two kinds never share a message.
    const a = stateMessage(vaultId, {
      kind: 'vault',
      revision: 1,
      clients: [],
      logPublicKey: new Uint8Array(32),
      wrappedKeys: [],
    });
    const b = stateMessage(vaultId, {
      kind: 'consent-events',
      clientId: '',
      revision: 1,
      revokedAt: null,
      revokedByRole: null,
      revokedById: null,
      therapyEndedAt: null,
    });
    expect(Buffer.from(a)).not.toEqual(Buffer.from(b));
  });

  it('encodes a set the same whatever its order, and refuses a repeated id', () => {
    const clientRecord = (order: number[]): StateRecord => ({
      kind: 'client',
      clientId: 'client-1',
      revision: 7,
      recordings: order.map((n) => ({ recordingId: `rec-${n}`, recNo: n, revision: 1 })),
      consentEventsRevision: 4,
      wrappedKeys: [
        { keyId: 'ck/client-1/mk', hash: new Uint8Array(32).fill(3) },
        { keyId: 'ck/client-1/credential', hash: new Uint8Array(32).fill(4) },
      ],
      consentVersions: [
        { version: 10, consentId: 'c10', signedAt: STARTED, sealedHash: new Uint8Array(32) },
        { version: 2, consentId: 'c2', signedAt: STARTED, sealedHash: new Uint8Array(32) },
      ],
    });
    expect(Buffer.from(stateMessage(vaultId, clientRecord([1, 2, 3])))).toEqual(
      Buffer.from(stateMessage(vaultId, clientRecord([3, 1, 2]))),
    );
    // A recording row deleted from the set is a different message.
    expect(Buffer.from(stateMessage(vaultId, clientRecord([1, 2, 3])))).not.toEqual(
      Buffer.from(stateMessage(vaultId, clientRecord([1, 3]))),
    );
    expect(() => stateMessage(vaultId, clientRecord([1, 1]))).toThrow(RangeError);
  });

  it('property: changing any one field of a recording record fails verification', () => {
    const keys = newSigningKeyPair();
    const genuine = recording();
    const signature = signState(keys.secretKey, vaultId, genuine);
    const time = fc.integer({ min: 0, max: 2 ** 45 });
    const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const edit = fc.oneof(
      fc.record({ recordingId: fc.string() }),
      fc.record({ clientId: fc.string() }),
      fc.record({ recNo: fc.nat() }),
      fc.record({ revision: fc.nat() }),
      fc.record({ startedAt: time }),
      fc.record({ destroyAfter: fc.option(time, { nil: null }) }),
      fc.record({
        destroyCause: fc.constantFrom('retention', 'termination', 'revocation', null),
      }),
      fc.record({ finalSeq: fc.option(fc.nat(), { nil: null }) }),
      fc.record({ chunksHash: fc.option(hash32, { nil: null }) }),
      fc.record({ recordingKeyHash: fc.option(hash32, { nil: null }) }),
    );
    fc.assert(
      fc.property(edit, (change) => {
        const edited = { ...genuine, ...change } as StateRecord;
        const same = Buffer.from(stateMessage(vaultId, edited)).equals(
          Buffer.from(stateMessage(vaultId, genuine)),
        );
        expect(verifyState(keys.publicKey, vaultId, edited, signature)).toBe(same);
      }),
    );
  });
});

describe('chunk commitment', () => {
  const chunks = (): ChunkForCommitment[] =>
    Array.from({ length: 5 }, (_, seq) => ({
      seq,
      startMs: seq * 1000,
      durationMs: 1000,
      nonce: randomBytes(24),
      ciphertext: randomBytes(200 + seq),
    }));

  it('finds an altered, removed or retimed chunk, and refuses an out-of-order list', () => {
    const genuine = chunks();
    const commitment = Buffer.from(chunksHashOf(genuine));
    expect(Buffer.from(chunksHashOf(genuine.map((c) => ({ ...c }))))).toEqual(commitment);

    const altered = genuine.map((c) => ({ ...c, ciphertext: c.ciphertext.slice() }));
    altered[2]!.ciphertext[0] = altered[2]!.ciphertext[0]! ^ 1;
    expect(Buffer.from(chunksHashOf(altered))).not.toEqual(commitment);
    expect(Buffer.from(chunksHashOf(genuine.slice(0, 4)))).not.toEqual(commitment);
    expect(Buffer.from(chunksHashOf(genuine.filter((c) => c.seq !== 2)))).not.toEqual(commitment);
    const retimed = genuine.map((c) => (c.seq === 1 ? { ...c, startMs: 1500 } : c));
    expect(Buffer.from(chunksHashOf(retimed))).not.toEqual(commitment);
    expect(() => chunksHashOf([genuine[1]!, genuine[0]!])).toThrow(RangeError);
  });

  it('a wrapped-key row hash changes with any of its fields', () => {
    const row = {
      keyId: 'rk/rec-1',
      kdf: null,
      nonce: randomBytes(24),
      ciphertext: randomBytes(48),
    };
    const base = Buffer.from(wrappedKeyRowHash(row));
    expect(Buffer.from(wrappedKeyRowHash({ ...row, keyId: 'rk/rec-2' }))).not.toEqual(base);
    expect(Buffer.from(wrappedKeyRowHash({ ...row, kdf: '' }))).not.toEqual(base);
    expect(Buffer.from(wrappedKeyRowHash({ ...row, ciphertext: randomBytes(48) }))).not.toEqual(
      base,
    );
  });
});
