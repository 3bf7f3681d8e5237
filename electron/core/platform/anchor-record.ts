// The rollback anchor's record: what the vault looked like at its last anchored moment, kept in the
// OS keychain where a restore of the app's folder cannot reach it (docs/threat-model.md,
// "Mechanisms (b)"). Fixed binary layout so it stays small enough for every keychain (Windows'
// Credential Manager takes at most 2,560 bytes); MACed with a key derived from the device secret.
import { HASH_BYTES, MAC_BYTES, equalBytes, hash, keyedHash, utf8 } from './crypto';

export const ANCHOR_FORMAT_VERSION = 1;
/** A record that carries pins or names ahead (below): the first format's bytes, then those. */
export const ANCHOR_FORMAT_VERSION_PINNED = 2;
export const VAULT_ID_BYTES = 16;
export const CLOSED_TAG_BYTES = 8;
/** How many of the latest closing events the anchor names one by one (1,024 bytes of tags). */
export const RECENT_CLOSED_MAX = 128;
const SIGNING_PUBLIC_KEY_BYTES = 32;

/** Everything before the tags: version, vault id, generation, head, time, key, count, digest. */
const FIXED_BYTES =
  1 + VAULT_ID_BYTES + 4 + 8 + HASH_BYTES + 8 + SIGNING_PUBLIC_KEY_BYTES + 4 + HASH_BYTES + 2;
export const ANCHOR_MIN_BYTES = FIXED_BYTES + MAC_BYTES;
export const ANCHOR_MAX_BYTES = ANCHOR_MIN_BYTES + RECENT_CLOSED_MAX * CLOSED_TAG_BYTES;
/** Closing events named ahead of their commit at once, at most (a sweep names 64 per write). */
export const AHEAD_MAX = 128;
/** After the tags, in the second format: flags, the hold's time, the count of names ahead. */
const PINNED_BYTES = 1 + 8 + 2;
/** The largest record of either format: still well within Windows' 2,560 bytes. */
export const ANCHOR_LARGEST_BYTES = ANCHOR_MAX_BYTES + PINNED_BYTES + AHEAD_MAX * CLOSED_TAG_BYTES;
const FLAG_RECORDS_COMPLETE = 1;
const FLAG_HOLD = 2;
const FLAG_HOLD_ROLLBACK = 4;
const FLAG_VAULT_RECORD_COMPLETE = 8;

export interface AnchorRecord {
  /** Counts writes; a record read back with a lower generation than the vault expects is stale. */
  generation: number;
  /** The access log's head when the anchor was written. */
  logHeadSeq: number;
  logHeadHash: Uint8Array;
  /** The newest wall time the vault has seen (ms); retention time never goes below it. */
  newestTime: number;
  /** The vault's state-signing public key, pinned here so a key swapped in the file is caught. */
  statePublicKey: Uint8Array;
  /** How many closing events ever happened, and a chained digest of their tags in order. */
  closedCount: number;
  closedDigest: Uint8Array;
  /** Tags of the latest closing events, oldest first: a restored copy has these redone. */
  recentClosed: Uint8Array[];
  /**
   * Every state record of this vault is signed (migration 110's `state_records_pending` was
   * cleared here): a file that says pending again was edited, and nothing is signed as it stands.
   */
  stateRecordsComplete?: boolean;
  /**
   * The vault record (the set of clients and their state keys) is signed: migration 130's
   * `vault_record_pending` was cleared here, and a file that says pending again was edited.
   */
  vaultRecordComplete?: boolean;
  /** A hold in force (vault/anchor-hold.ts): a file without it is held again. */
  hold?: AnchorPinnedHold | null;
  /**
   * Tags of closing events named before their transaction commits, not yet counted above: a vault
   * that does not show one of them done (a crash in between, or a copy taken then) has it redone.
   */
  ahead?: Uint8Array[];
}

export interface AnchorPinnedHold {
  kind: 'rollback' | 'anchor-missing';
  at: number;
}

export class AnchorFormatError extends Error {}

const MAC_CONTEXT = utf8.encode('session-vault/anchor-mac/v1');
const KEY_CONTEXT = utf8.encode('session-vault/anchor-key/v1');
const TAG_CONTEXT = utf8.encode('session-vault/closing-tag/v1');
const DIGEST_CONTEXT = utf8.encode('session-vault/closing-digest/v1');

/** The anchor MAC key: from the device secret, so it is at hand while the vault is locked. */
export function anchorKeyOf(deviceSecret: Uint8Array, vaultId: Uint8Array): Uint8Array {
  return keyedHash(deviceSecret, KEY_CONTEXT, vaultId);
}

/**
 * What a restored copy must not undo: a recording destroyed, a consent revoked, therapy ended.
 * Each becomes a tag in the anchor, in the order it happened.
 */
export type ClosingEvent =
  | { kind: 'destroyed'; recordingId: string }
  | { kind: 'revoked'; clientId: string }
  | { kind: 'therapy-ended'; clientId: string };

/** 64 bits of a hash of the event: a false match needs about 2^32 events in one vault. */
export function closingTagOf(vaultId: Uint8Array, event: ClosingEvent): Uint8Array {
  const subject = event.kind === 'destroyed' ? event.recordingId : event.clientId;
  return hash(TAG_CONTEXT, vaultId, utf8.encode(`${event.kind}|${subject}`)).slice(
    0,
    CLOSED_TAG_BYTES,
  );
}

export function emptyClosedDigest(vaultId: Uint8Array): Uint8Array {
  return hash(DIGEST_CONTEXT, vaultId);
}

/** The digest after one more destruction; the vault keeps the same chain to compare with. */
export function nextClosedDigest(digest: Uint8Array, tag: Uint8Array): Uint8Array {
  return hash(DIGEST_CONTEXT, digest, tag);
}

export function firstAnchorRecord(
  vaultId: Uint8Array,
  head: { seq: number; hash: Uint8Array },
  statePublicKey: Uint8Array,
  newestTime: number,
): AnchorRecord {
  return {
    generation: 1,
    logHeadSeq: head.seq,
    logHeadHash: head.hash,
    newestTime,
    statePublicKey,
    closedCount: 0,
    closedDigest: emptyClosedDigest(vaultId),
    recentClosed: [],
  };
}

/** The record after one more closing event: counted, chained, named among the latest. */
export function withClosed(
  record: AnchorRecord,
  vaultId: Uint8Array,
  event: ClosingEvent,
): AnchorRecord {
  const tag = closingTagOf(vaultId, event);
  const next: AnchorRecord = {
    ...record,
    generation: record.generation + 1,
    closedCount: record.closedCount + 1,
    closedDigest: nextClosedDigest(record.closedDigest, tag),
    recentClosed: [...record.recentClosed, tag].slice(-RECENT_CLOSED_MAX),
  };
  // Named ahead, now committed: counted above instead.
  if (record.ahead?.some((named) => equalBytes(named, tag)))
    next.ahead = record.ahead.filter((named) => !equalBytes(named, tag));
  return next;
}

/**
 * The record with closing events named ahead of their commit (once each; the oldest names fall
 * off past AHEAD_MAX, which a sweep's rounds of 64 stay well below).
 */
export function withAhead(
  record: AnchorRecord,
  vaultId: Uint8Array,
  events: ClosingEvent[],
): AnchorRecord {
  const ahead = [...(record.ahead ?? [])];
  for (const event of events) {
    const tag = closingTagOf(vaultId, event);
    if (!ahead.some((named) => equalBytes(named, tag))) ahead.push(tag);
  }
  return { ...record, generation: record.generation + 1, ahead: ahead.slice(-AHEAD_MAX) };
}

/** The record without these names ahead: their commit failed, so nothing is to be redone. */
export function withoutAhead(
  record: AnchorRecord,
  vaultId: Uint8Array,
  events: ClosingEvent[],
): AnchorRecord {
  const tags = events.map((event) => closingTagOf(vaultId, event));
  const ahead = (record.ahead ?? []).filter((named) => !tags.some((tag) => equalBytes(tag, named)));
  return { ...record, generation: record.generation + 1, ahead };
}

/** True when the record carries a pin or a name ahead, so it needs the second format. */
function pinned(record: AnchorRecord): boolean {
  return (
    record.stateRecordsComplete === true ||
    record.vaultRecordComplete === true ||
    (record.hold ?? null) !== null ||
    (record.ahead?.length ?? 0) > 0
  );
}

/** The record at a new log head and time (a lock, an unlock, a checkpoint). */
export function withHead(
  record: AnchorRecord,
  head: { seq: number; hash: Uint8Array },
  seenTime: number,
): AnchorRecord {
  return {
    ...record,
    generation: record.generation + 1,
    logHeadSeq: head.seq,
    logHeadHash: head.hash,
    newestTime: Math.max(record.newestTime, seenTime),
  };
}

function checkField(ok: boolean, what: string): void {
  if (!ok) throw new AnchorFormatError(`anchor ${what} is out of range`);
}

export function encodeAnchorRecord(
  vaultId: Uint8Array,
  record: AnchorRecord,
  anchorKey: Uint8Array,
): Uint8Array {
  checkField(vaultId.length === VAULT_ID_BYTES, 'vault id');
  checkField(
    Number.isInteger(record.generation) && record.generation >= 0 && record.generation < 2 ** 32,
    'generation',
  );
  checkField(Number.isSafeInteger(record.logHeadSeq) && record.logHeadSeq >= 0, 'log head');
  checkField(record.logHeadHash.length === HASH_BYTES, 'log head hash');
  checkField(Number.isSafeInteger(record.newestTime) && record.newestTime >= 0, 'time');
  checkField(record.statePublicKey.length === SIGNING_PUBLIC_KEY_BYTES, 'state key');
  checkField(
    Number.isInteger(record.closedCount) && record.closedCount >= 0 && record.closedCount < 2 ** 32,
    'count',
  );
  checkField(record.closedDigest.length === HASH_BYTES, 'digest');
  checkField(record.recentClosed.length <= RECENT_CLOSED_MAX, 'tag list');
  checkField(record.recentClosed.length <= record.closedCount, 'tag list');
  checkField(
    record.recentClosed.every((tag) => tag.length === CLOSED_TAG_BYTES),
    'tag',
  );
  const ahead = record.ahead ?? [];
  const hold = record.hold ?? null;
  checkField(ahead.length <= AHEAD_MAX, 'names ahead');
  checkField(
    ahead.every((tag) => tag.length === CLOSED_TAG_BYTES),
    'tag',
  );
  checkField(hold === null || (Number.isSafeInteger(hold.at) && hold.at >= 0), 'hold');
  const withPins = pinned(record);

  const bytes = new Uint8Array(
    ANCHOR_MIN_BYTES +
      record.recentClosed.length * CLOSED_TAG_BYTES +
      (withPins ? PINNED_BYTES + ahead.length * CLOSED_TAG_BYTES : 0),
  );
  const view = new DataView(bytes.buffer);
  let at = 0;
  const put = (part: Uint8Array): void => {
    bytes.set(part, at);
    at += part.length;
  };
  view.setUint8(at, withPins ? ANCHOR_FORMAT_VERSION_PINNED : ANCHOR_FORMAT_VERSION);
  at += 1;
  put(vaultId);
  view.setUint32(at, record.generation);
  at += 4;
  view.setBigUint64(at, BigInt(record.logHeadSeq));
  at += 8;
  put(record.logHeadHash);
  view.setBigUint64(at, BigInt(record.newestTime));
  at += 8;
  put(record.statePublicKey);
  view.setUint32(at, record.closedCount);
  at += 4;
  put(record.closedDigest);
  view.setUint16(at, record.recentClosed.length);
  at += 2;
  for (const tag of record.recentClosed) put(tag);
  if (withPins) {
    view.setUint8(
      at,
      (record.stateRecordsComplete === true ? FLAG_RECORDS_COMPLETE : 0) |
        (record.vaultRecordComplete === true ? FLAG_VAULT_RECORD_COMPLETE : 0) |
        (hold ? FLAG_HOLD : 0) |
        (hold?.kind === 'rollback' ? FLAG_HOLD_ROLLBACK : 0),
    );
    at += 1;
    view.setBigUint64(at, BigInt(hold?.at ?? 0));
    at += 8;
    view.setUint16(at, ahead.length);
    at += 2;
    for (const tag of ahead) put(tag);
  }
  put(keyedHash(anchorKey, MAC_CONTEXT, bytes.subarray(0, at)));
  return bytes;
}

/**
 * Reads a record back. Throws AnchorFormatError when the bytes are not a record of this vault
 * made with this anchor key: a forged, foreign or damaged anchor never reads as a real one.
 */
export function decodeAnchorRecord(
  vaultId: Uint8Array,
  bytes: Uint8Array,
  anchorKey: Uint8Array,
): AnchorRecord {
  if (bytes.length < ANCHOR_MIN_BYTES || bytes.length > ANCHOR_LARGEST_BYTES)
    throw new AnchorFormatError('anchor has the wrong size');
  const body = bytes.subarray(0, bytes.length - MAC_BYTES);
  const mac = bytes.subarray(bytes.length - MAC_BYTES);
  if (!equalBytes(keyedHash(anchorKey, MAC_CONTEXT, body), mac))
    throw new AnchorFormatError('anchor does not carry this device’s MAC');
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  const take = (length: number): Uint8Array => {
    const part = body.slice(at, at + length);
    at += length;
    return part;
  };
  const version = view.getUint8(at);
  if (version !== ANCHOR_FORMAT_VERSION && version !== ANCHOR_FORMAT_VERSION_PINNED)
    throw new AnchorFormatError('anchor has an unknown format');
  at += 1;
  if (!equalBytes(take(VAULT_ID_BYTES), vaultId))
    throw new AnchorFormatError('anchor belongs to another vault');
  const generation = view.getUint32(at);
  at += 4;
  const logHeadSeq = Number(view.getBigUint64(at));
  at += 8;
  const logHeadHash = take(HASH_BYTES);
  const newestTime = Number(view.getBigUint64(at));
  at += 8;
  const statePublicKey = take(SIGNING_PUBLIC_KEY_BYTES);
  const closedCount = view.getUint32(at);
  at += 4;
  const closedDigest = take(HASH_BYTES);
  const tagCount = view.getUint16(at);
  at += 2;
  const tagsEnd = FIXED_BYTES + tagCount * CLOSED_TAG_BYTES;
  const sizeFits =
    version === ANCHOR_FORMAT_VERSION
      ? body.length === tagsEnd
      : body.length >= tagsEnd + PINNED_BYTES &&
        body.length === tagsEnd + PINNED_BYTES + view.getUint16(tagsEnd + 9) * CLOSED_TAG_BYTES;
  if (!sizeFits || tagCount > closedCount)
    throw new AnchorFormatError('anchor tag list does not match its size');
  const recentClosed: Uint8Array[] = [];
  for (let i = 0; i < tagCount; i += 1) recentClosed.push(take(CLOSED_TAG_BYTES));
  const record: AnchorRecord = {
    generation,
    logHeadSeq,
    logHeadHash,
    newestTime,
    statePublicKey,
    closedCount,
    closedDigest,
    recentClosed,
  };
  if (version === ANCHOR_FORMAT_VERSION) return record;
  const flags = view.getUint8(at);
  at += 1;
  const holdAt = Number(view.getBigUint64(at));
  at += 8;
  const aheadCount = view.getUint16(at);
  at += 2;
  if (aheadCount > AHEAD_MAX) throw new AnchorFormatError('anchor names too many ahead');
  const ahead: Uint8Array[] = [];
  for (let i = 0; i < aheadCount; i += 1) ahead.push(take(CLOSED_TAG_BYTES));
  return {
    ...record,
    stateRecordsComplete: (flags & FLAG_RECORDS_COMPLETE) !== 0,
    vaultRecordComplete: (flags & FLAG_VAULT_RECORD_COMPLETE) !== 0,
    hold:
      (flags & FLAG_HOLD) !== 0
        ? { kind: (flags & FLAG_HOLD_ROLLBACK) !== 0 ? 'rollback' : 'anchor-missing', at: holdAt }
        : null,
    ahead,
  };
}
