// Authenticated state: the values that decide access, retention and destruction, encoded as
// canonical bytes and signed with Ed25519, so an edit of a clear column is caught by anyone with
// the public key, the sweeper included while the vault is locked (docs/threat-model.md,
// "Mechanisms (a)"). Never JSON: one value has exactly one encoding.
import { hash, hashAll, sign, utf8, verifySignature } from './crypto';

export interface WrappedKeyHash {
  keyId: string;
  hash: Uint8Array;
}

export type StateRecord =
  | {
      kind: 'vault';
      revision: number;
      clients: { clientId: string; statePublicKey: Uint8Array }[];
      /** The access log's signing key: pinned here now that the anchor pins the vault state key. */
      logPublicKey: Uint8Array;
      wrappedKeys: WrappedKeyHash[];
    }
  | {
      kind: 'client';
      clientId: string;
      revision: number;
      /** Every recording ever made for the client, destroyed ones included. */
      recordings: { recordingId: string; recNo: number; revision: number }[];
      consentEventsRevision: number;
      wrappedKeys: WrappedKeyHash[];
      consentVersions: {
        version: number;
        consentId: string;
        signedAt: number;
        sealedHash: Uint8Array;
      }[];
    }
  | {
      kind: 'consent-events';
      clientId: string;
      revision: number;
      revokedAt: number | null;
      revokedByRole: 'client' | 'therapist' | null;
      revokedById: string | null;
      therapyEndedAt: number | null;
    }
  | {
      kind: 'recording';
      recordingId: string;
      clientId: string;
      recNo: number;
      revision: number;
      startedAt: number;
      destroyAfter: number | null;
      destroyCause: 'retention' | 'termination' | 'revocation' | null;
      finalSeq: number | null;
      /** chunksHashOf() once finalised; null while recording. */
      chunksHash: Uint8Array | null;
      recordingKeyHash: Uint8Array | null;
    };

const KIND_BYTE = { vault: 1, client: 2, 'consent-events': 3, recording: 4 } as const;
const DOMAIN = utf8.encode('session-vault/state/v1');

/** Appends canonical fields: lengths and presence are explicit, so no two values share bytes. */
class CanonicalBytes {
  private readonly parts: Uint8Array[] = [];

  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value >= 2 ** 32)
      throw new RangeError('state value out of range');
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value);
    return this.raw(bytes);
  }

  int(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError('state value out of range');
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(value));
    return this.raw(bytes);
  }

  text(value: string): this {
    const bytes = utf8.encode(value);
    return this.u32(bytes.length).raw(bytes);
  }

  bytes32(value: Uint8Array): this {
    if (value.length !== 32) throw new RangeError('state hash or key must be 32 bytes');
    return this.raw(value);
  }

  optional<T>(value: T | null, write: (value: T) => void): this {
    this.raw(new Uint8Array([value === null ? 0 : 1]));
    if (value !== null) write(value);
    return this;
  }

  list<T>(items: T[], key: (item: T) => string, write: (item: T) => void): this {
    const sorted = [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    for (let i = 1; i < sorted.length; i += 1)
      if (key(sorted[i]!) === key(sorted[i - 1]!)) throw new RangeError('state list repeats an id');
    this.u32(sorted.length);
    for (const item of sorted) write(item);
    return this;
  }

  done(): Uint8Array {
    const length = this.parts.reduce((sum, part) => sum + part.length, 0);
    const out = new Uint8Array(length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}

function writeWrappedKeys(out: CanonicalBytes, keys: WrappedKeyHash[]): void {
  out.list(
    keys,
    (key) => key.keyId,
    (key) => out.text(key.keyId).bytes32(key.hash),
  );
}

/** The bytes a state record's signature covers. */
export function stateMessage(vaultId: Uint8Array, record: StateRecord): Uint8Array {
  const out = new CanonicalBytes()
    .raw(DOMAIN)
    .raw(new Uint8Array([0]))
    .raw(vaultId)
    .raw(new Uint8Array([KIND_BYTE[record.kind]]));
  switch (record.kind) {
    case 'vault':
      out.int(record.revision);
      out.list(
        record.clients,
        (client) => client.clientId,
        (client) => out.text(client.clientId).bytes32(client.statePublicKey),
      );
      out.bytes32(record.logPublicKey);
      writeWrappedKeys(out, record.wrappedKeys);
      break;
    case 'client':
      out.text(record.clientId).int(record.revision);
      out.list(
        record.recordings,
        (recording) => recording.recordingId,
        (recording) => out.text(recording.recordingId).int(recording.recNo).int(recording.revision),
      );
      out.int(record.consentEventsRevision);
      writeWrappedKeys(out, record.wrappedKeys);
      out.list(
        record.consentVersions,
        (version) => String(version.version).padStart(10, '0'),
        (version) =>
          out
            .int(version.version)
            .text(version.consentId)
            .int(version.signedAt)
            .bytes32(version.sealedHash),
      );
      break;
    case 'consent-events':
      out
        .text(record.clientId)
        .int(record.revision)
        .optional(record.revokedAt, (at) => out.int(at))
        .optional(record.revokedByRole, (role) => out.text(role))
        .optional(record.revokedById, (id) => out.text(id))
        .optional(record.therapyEndedAt, (at) => out.int(at));
      break;
    case 'recording':
      out
        .text(record.recordingId)
        .text(record.clientId)
        .int(record.recNo)
        .int(record.revision)
        .int(record.startedAt)
        .optional(record.destroyAfter, (at) => out.int(at))
        .optional(record.destroyCause, (cause) => out.text(cause))
        .optional(record.finalSeq, (seq) => out.int(seq))
        .optional(record.chunksHash, (chunks) => out.bytes32(chunks))
        .optional(record.recordingKeyHash, (key) => out.bytes32(key));
      break;
  }
  return out.done();
}

/** The row in `state_seals` a record's signature is kept under. */
export function stateSubjectOf(record: StateRecord): string {
  switch (record.kind) {
    case 'vault':
      return 'vault';
    case 'client':
      return `client/${record.clientId}`;
    case 'consent-events':
      return `consent/${record.clientId}`;
    case 'recording':
      return `recording/${record.recordingId}`;
  }
}

export function signState(
  secretKey: Uint8Array,
  vaultId: Uint8Array,
  record: StateRecord,
): Uint8Array {
  return sign(secretKey, stateMessage(vaultId, record));
}

/** False for any edited field, another vault, another kind, or another key. */
export function verifyState(
  publicKey: Uint8Array,
  vaultId: Uint8Array,
  record: StateRecord,
  signature: Uint8Array,
): boolean {
  let message: Uint8Array;
  try {
    message = stateMessage(vaultId, record);
  } catch {
    return false;
  }
  return verifySignature(publicKey, message, signature);
}

export interface ChunkForCommitment {
  seq: number;
  startMs: number;
  durationMs: number;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

/**
 * A commitment to a recording's ciphertext, checkable without any key: `doctor` recomputes it
 * to find altered, removed or reordered chunks. Chunks must come in sequence order.
 */
export function chunksHashOf(chunks: Iterable<ChunkForCommitment>): Uint8Array {
  function* parts(): Generator<Uint8Array> {
    yield utf8.encode('session-vault/chunks/v1');
    let previous = -1;
    for (const chunk of chunks) {
      if (chunk.seq <= previous) throw new RangeError('chunks must come in sequence order');
      previous = chunk.seq;
      yield new CanonicalBytes()
        .int(chunk.seq)
        .int(chunk.startMs)
        .int(chunk.durationMs)
        .u32(chunk.nonce.length)
        .raw(chunk.nonce)
        .u32(chunk.ciphertext.length)
        .done();
      yield chunk.ciphertext;
    }
  }
  return hashAll(parts());
}

/** The public hash of a wrapped-key row that a signed record lists (swapped keys are found). */
export function wrappedKeyRowHash(row: {
  keyId: string;
  kdf: string | null;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}): Uint8Array {
  const out = new CanonicalBytes().raw(utf8.encode('session-vault/wrapped-key-row/v1'));
  out.text(row.keyId).optional(row.kdf, (kdf) => out.text(kdf));
  out.u32(row.nonce.length).raw(row.nonce).u32(row.ciphertext.length).raw(row.ciphertext);
  return hash(out.done());
}
