// `verify`: checks an audit bundle with nothing but the bundle (and its public key), and with
// --previous that a newer bundle extends an older one. docs/audit-bundle.md is the specification.
import {
  canonicalEntry,
  chainHash,
  checkpointMessage,
  genesisHash,
} from '../electron/core/audit/audit-format';
import type { AuditEntry } from '../electron/core/audit/audit-format';
import {
  BUNDLE_FORMAT,
  EXPORTER_PATTERN,
  exportSignatureMessage,
  signingKeyFingerprint,
  type AuditBundle,
} from '../electron/core/audit/audit-bundle';
import { TimeWentBack } from '../electron/core/audit/audit-verification';
import {
  fromHex,
  hash,
  initCrypto,
  toHex,
  utf8,
  verifySignature,
} from '../electron/core/platform/crypto';
import { quoted } from './terminal';

/** docs/audit-bundle.md "The --json report" defines every field. */
export interface VerifyReport {
  ok: boolean;
  /** 0 intact, 1 altered, 3 not a bundle this verifier reads. */
  exitCode: 0 | 1 | 3;
  /** Entries checked before the first problem. */
  entries: number;
  checkpoints: number;
  /** The first entry known to be bad (or missing); null when the problem is not one entry's. */
  firstBadSeq: number | null;
  /** When only a signed checkpoint reveals a change: the entries it must be among. */
  badRange: { from: number; to: number } | null;
  problem: string | null;
  /** A notice, not a failure: entries dated earlier than the one before them (a clock set back). */
  timeWentBack: { count: number; firstSeq: number; largestMs: number } | null;
  vaultId: string | null;
  signingKeyFingerprint: string | null;
  exportedAt: number | null;
  exportedBy: string | null;
  head: { seq: number; hash: string } | null;
}

/** A verified bundle, kept for the --previous comparison. */
interface Checked {
  report: VerifyReport;
  bundle: AuditBundle | null;
  /** Content hash of entry seq at (seq - 1) * 32. */
  contentHashes: Uint8Array;
}

const HEX = (bytes: number) => new RegExp(`^[0-9a-f]{${bytes * 2}}$`);
const ROLES = new Set(['therapist', 'client', 'auditor', 'system', 'unknown']);
const OUTCOMES = new Set(['ok', 'refused', 'failed']);
const ENTRY_KEYS = 'v,seq,at,salt,actorRole,actorId,action,subject,outcome,reason';
const BUNDLE_KEYS = [
  'format',
  'vaultId',
  'exportedAt',
  'exportedBy',
  'signingPublicKey',
  'entries',
  'entryHashes',
  'checkpoints',
  'head',
  'exportSignature',
];
const CHECKPOINT_KEYS = ['seq', 'at', 'headHash', 'signature'];

/** The keys an object lacks or has beyond `expected`, as a short phrase; null when exact. */
function keysProblem(object: object, expected: string[]): string | null {
  const keys = Object.keys(object);
  const missing = expected.filter((key) => !Object.hasOwn(object, key));
  const extra = keys.filter((key) => !expected.includes(key));
  if (missing.length > 0) return `lacks ${missing.map((key) => `"${key}"`).join(', ')}`;
  if (extra.length > 0) return `has a key this format does not define (${quoted(extra[0])})`;
  return null;
}

const isInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);
const isHex = (value: unknown, bytes: number): value is string =>
  typeof value === 'string' && HEX(bytes).test(value);
const stringOrNull = (value: unknown) => value === null || typeof value === 'string';

/** Why a bundle is not shaped as format /1 says, or null. */
function shapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'The file is not an audit bundle (not a JSON object).';
  const bundle = value as Record<string, unknown>;
  if (bundle.format !== BUNDLE_FORMAT)
    return `The file is not a "${BUNDLE_FORMAT}" bundle (format: ${quoted(bundle.format)}).`;
  const keys = keysProblem(bundle, BUNDLE_KEYS);
  if (keys) return `The bundle ${keys}.`;
  if (!isHex(bundle.vaultId, 16)) return 'vaultId is not 16 bytes of lower-case hex.';
  if (!isInt(bundle.exportedAt)) return 'exportedAt is not an integer.';
  if (typeof bundle.exportedBy !== 'string' || !EXPORTER_PATTERN.test(bundle.exportedBy))
    return 'exportedBy is not "therapist" or "auditor:<id>".';
  if (!isHex(bundle.signingPublicKey, 32)) return 'signingPublicKey is not 32 bytes of hex.';
  if (!Array.isArray(bundle.entries)) return 'entries is not an array.';
  if (!Array.isArray(bundle.entryHashes)) return 'entryHashes is not an array.';
  if (!Array.isArray(bundle.checkpoints)) return 'checkpoints is not an array.';
  const head = bundle.head as Record<string, unknown> | null;
  if (
    typeof head !== 'object' ||
    head === null ||
    Array.isArray(head) ||
    keysProblem(head, ['seq', 'hash']) ||
    !isInt(head.seq) ||
    head.seq < 0 ||
    !isHex(head.hash, 32)
  )
    return 'head is not { "seq", "hash" } with a seq of 0 or more and 32 bytes of hex.';
  if (!isHex(bundle.exportSignature, 64)) return 'exportSignature is not 64 bytes of hex.';
  return null;
}

/** Why a checkpoint element is not { seq, at, headHash, signature }, or null. */
function checkpointProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const keys = keysProblem(value, CHECKPOINT_KEYS);
  if (keys) return `it ${keys}`;
  const c = value as Record<string, unknown>;
  if (!isInt(c.seq) || c.seq < 1) return 'seq is not an integer of 1 or more';
  if (!isInt(c.at)) return 'at is not an integer';
  if (!isHex(c.headHash, 32)) return 'headHash is not 32 bytes of lower-case hex';
  if (!isHex(c.signature, 64)) return 'signature is not 64 bytes of lower-case hex';
  return null;
}

/** Why one entry is not a canonical entry object, or null. */
function entryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const e = value as Record<string, unknown>;
  if (Object.keys(e).join(',') !== ENTRY_KEYS) return `its fields are not ${ENTRY_KEYS}`;
  if (e.v !== 1) return 'v is not 1';
  if (!isInt(e.seq) || !isInt(e.at)) return 'seq or at is not an integer';
  if (!isHex(e.salt, 16)) return 'salt is not 16 bytes of hex';
  if (typeof e.actorRole !== 'string' || !ROLES.has(e.actorRole)) return 'unknown actorRole';
  if (typeof e.outcome !== 'string' || !OUTCOMES.has(e.outcome)) return 'unknown outcome';
  if (typeof e.action !== 'string') return 'action is not a string';
  if (!stringOrNull(e.actorId) || !stringOrNull(e.subject) || !stringOrNull(e.reason))
    return 'actorId, subject or reason is not a string or null';
  return null;
}

export function emptyReport(): VerifyReport {
  return {
    ok: false,
    exitCode: 1,
    entries: 0,
    checkpoints: 0,
    firstBadSeq: null,
    badRange: null,
    problem: null,
    timeWentBack: null,
    vaultId: null,
    signingKeyFingerprint: null,
    exportedAt: null,
    exportedBy: null,
    head: null,
  };
}

/** A report for a file that could not be read or parsed at all. */
export function unreadableReport(problem: string): VerifyReport {
  return { ...emptyReport(), exitCode: 3, problem };
}

/**
 * `entryTexts`, when the bundle was read from text, holds each entry exactly as written: an entry
 * must be written in its canonical form, so hashing the bytes and re-serialising agree.
 */
function check(value: unknown, entryTexts: string[] | null = null): Checked {
  const report = emptyReport();
  const shape = shapeProblem(value);
  if (shape)
    return {
      report: { ...report, exitCode: 3, problem: shape },
      bundle: null,
      contentHashes: new Uint8Array(0),
    };
  const bundle = value as AuditBundle;
  const publicKey = fromHex(bundle.signingPublicKey);
  const vaultId = fromHex(bundle.vaultId);
  Object.assign(report, {
    vaultId: bundle.vaultId,
    signingKeyFingerprint: signingKeyFingerprint(publicKey),
    exportedAt: bundle.exportedAt,
    exportedBy: bundle.exportedBy,
    head: { seq: bundle.head.seq, hash: bundle.head.hash },
  });
  const contentHashes = new Uint8Array(bundle.entries.length * 32);
  const fail = (
    problem: string,
    firstBadSeq: number | null,
    badRange = report.badRange,
  ): Checked => ({
    report: { ...report, problem, firstBadSeq, badRange },
    bundle,
    contentHashes,
  });

  // Every export logs itself before its first page, so a bundle without entries lost them all.
  if (bundle.entries.length === 0)
    return fail(
      'The bundle holds no entries: every export logs itself, so entries were removed.',
      1,
    );
  const checkpoints = new Map<number, AuditBundle['checkpoints'][number]>();
  let previousCheckpoint = 0;
  for (const [i, checkpoint] of (bundle.checkpoints as unknown[]).entries()) {
    const why = checkpointProblem(checkpoint);
    if (why) return fail(`checkpoints[${i}] is not a well-formed checkpoint: ${why}.`, null);
    const { seq } = checkpoint as AuditBundle['checkpoints'][number];
    if (checkpoints.has(seq)) return fail(`The checkpoint at entry ${seq} appears twice.`, seq);
    if (seq < previousCheckpoint)
      return fail(
        `The checkpoint at entry ${seq} comes after the one at entry ${previousCheckpoint}: checkpoints are listed oldest first, so they were moved.`,
        seq,
      );
    previousCheckpoint = seq;
    checkpoints.set(seq, checkpoint as AuditBundle['checkpoints'][number]);
  }
  if (bundle.entryHashes.length !== bundle.entries.length)
    return fail(
      `The bundle lists ${bundle.entryHashes.length} entry hashes for ${bundle.entries.length} entries.`,
      null,
    );

  let prev = genesisHash(vaultId);
  let lastGoodCheckpoint = 0;
  const times = new TimeWentBack();
  for (let i = 0; i < bundle.entries.length; i += 1) {
    const expected = i + 1;
    const shapeWhy = entryProblem(bundle.entries[i]);
    if (shapeWhy)
      return fail(`Entry ${expected} is not a well-formed entry: ${shapeWhy}.`, expected);
    const entry = bundle.entries[i] as AuditEntry;
    if (entryTexts && entryTexts[i] !== canonicalEntry(entry))
      return fail(
        `Entry ${expected} is not written in its canonical form (key order, spacing or escapes differ from the bytes that are hashed).`,
        expected,
      );
    if (entry.seq > expected) {
      const later = bundle.entries.findIndex(
        (other, j) => j > i && (other as { seq?: unknown } | null)?.seq === expected,
      );
      return fail(
        later < 0
          ? `Entry ${expected} is missing (the entry in its place is ${entry.seq}).`
          : `Entry ${expected} is out of order: entry ${entry.seq} stands in its place and entry ${expected} comes later (entries were moved).`,
        expected,
      );
    }
    if (entry.seq < expected)
      return fail(
        `Entry ${expected} is out of order: entry ${entry.seq} stands in its place (entries were moved or repeated).`,
        expected,
      );
    const contentHash = hash(utf8.encode(canonicalEntry(entry)));
    contentHashes.set(contentHash, i * 32);
    const entryHash = chainHash(prev, entry.seq, contentHash);
    if (bundle.entryHashes[i] !== toHex(entryHash))
      return fail(
        expected === 1
          ? `Entry 1 does not start from the genesis of vault ${bundle.vaultId}: it was altered, or the entries come from another vault.`
          : `Entry ${expected} does not match its recorded hash: it was altered, or it comes from another vault or another place in the log.`,
        expected,
      );
    const checkpoint = checkpoints.get(entry.seq);
    if (checkpoint) {
      const message = checkpointMessage(
        vaultId,
        checkpoint.seq,
        fromHex(checkpoint.headHash),
        checkpoint.at,
      );
      if (!verifySignature(publicKey, message, fromHex(checkpoint.signature)))
        return fail(
          `The checkpoint at entry ${entry.seq} is not signed by this bundle's key: it was forged or altered.`,
          entry.seq,
        );
      if (checkpoint.headHash !== toHex(entryHash))
        return fail(
          `Entries ${lastGoodCheckpoint + 1} to ${entry.seq} do not lead to the hash signed at checkpoint ${entry.seq}: one of them was altered, removed or replaced, and the recorded hashes were recomputed to hide it.`,
          entry.seq,
          { from: lastGoodCheckpoint + 1, to: entry.seq },
        );
      lastGoodCheckpoint = entry.seq;
      report.checkpoints += 1;
      checkpoints.delete(entry.seq);
    }
    prev = entryHash;
    report.entries += 1;
    times.see(entry.seq, entry.at);
    report.timeWentBack = times.notice();
  }
  const count = bundle.entries.length;
  const orphan = [...checkpoints.keys()].sort((a, b) => a - b)[0];
  if (orphan !== undefined)
    return fail(
      `Entries up to ${orphan} were signed (checkpoint) but the bundle ends at entry ${count}: entries were removed from the end.`,
      count + 1,
    );
  if (bundle.head.seq !== count)
    return fail(
      `The head says the log ends at entry ${bundle.head.seq} but the bundle holds ${count} entries.`,
      Math.min(bundle.head.seq, count) + 1,
    );
  if (bundle.head.hash !== toHex(prev))
    return fail(
      `Entries ${lastGoodCheckpoint + 1} to ${count} do not lead to the head hash.`,
      count,
      { from: lastGoodCheckpoint + 1, to: count },
    );
  const exportMessage = exportSignatureMessage(bundle, bundle.head);
  if (!verifySignature(publicKey, exportMessage, fromHex(bundle.exportSignature)))
    return fail(
      "The export signature does not verify with this bundle's key: the vault id, export time, exporter or head was changed after the export.",
      null,
    );
  // Checked last so that the export signature's verdict above names a re-headed bundle first.
  if (previousCheckpoint !== count)
    return fail(
      `The bundle has no checkpoint at its head (entry ${count}): every export signs one there, so it was removed.`,
      null,
    );
  return { report: { ...report, ok: true, exitCode: 0 }, bundle, contentHashes };
}

/**
 * Checks one bundle: a parsed value, and when it was read from text, each entry's text as
 * written (bundle-json.ts records them).
 */
export async function verifyBundle(
  bundle: unknown,
  entryTexts: string[] | null = null,
): Promise<VerifyReport> {
  await initCrypto();
  return check(bundle, entryTexts).report;
}

export interface ConsistencyReport {
  ok: boolean;
  /** 0 consistent, 1 a bundle does not verify, 3 not a bundle, 4 the newer does not extend the older. */
  exitCode: 0 | 1 | 3 | 4;
  /** Which bundle failed on its own; null when both verify (or when the comparison failed). */
  failed: 'newer' | 'older' | null;
  /** The first bad entry: of the failing bundle, or the first that differs or is missing. */
  firstBadSeq: number | null;
  /** The failing bundle's badRange, when only a checkpoint located its problem. */
  badRange: { from: number; to: number } | null;
  newer: VerifyReport;
  older: VerifyReport;
  /** The first entry that differs between the two, when that is the problem. */
  divergesAt: number | null;
  problem: string | null;
}

export interface BundleInput {
  value: unknown;
  entryTexts?: string[] | null;
}

/** Checks both bundles, then that the newer one holds every entry of the older one unchanged. */
export async function verifyExtends(
  newerBundle: unknown,
  olderBundle: unknown,
  texts: { newer?: string[] | null; older?: string[] | null } = {},
): Promise<ConsistencyReport> {
  await initCrypto();
  const newer = check(newerBundle, texts.newer ?? null);
  const older = check(olderBundle, texts.older ?? null);
  const result = (
    exitCode: ConsistencyReport['exitCode'],
    problem: string | null,
    divergesAt: number | null = null,
  ): ConsistencyReport => ({
    ok: exitCode === 0,
    exitCode,
    failed: null,
    firstBadSeq: divergesAt,
    badRange: null,
    newer: newer.report,
    older: older.report,
    divergesAt,
    problem,
  });
  // A bundle that fails alone keeps its own verdict (1 altered, 3 unreadable), whichever it is:
  // 4 is kept for two bundles that each verify but do not tell the same history.
  for (const [failed, side] of [
    ['newer', newer],
    ['older', older],
  ] as const)
    if (!side.report.ok)
      return {
        ...result(side.report.exitCode, `The ${failed} bundle: ${side.report.problem}`),
        failed,
        firstBadSeq: side.report.firstBadSeq,
        badRange: side.report.badRange,
      };
  const [a, b] = [older.bundle!, newer.bundle!];
  if (a.vaultId !== b.vaultId)
    return result(4, `The bundles come from different vaults (${a.vaultId} and ${b.vaultId}).`);
  if (a.signingPublicKey !== b.signingPublicKey)
    return result(
      4,
      `The signing key changed between the exports (older ${older.report.signingKeyFingerprint}, newer ${newer.report.signingKeyFingerprint}). A vault keeps one signing key: the newer bundle was signed by someone else.`,
    );
  if (b.head.seq < a.head.seq)
    return result(
      4,
      `The newer bundle ends at entry ${b.head.seq}, before the older one (${a.head.seq}): entries were removed.`,
      b.head.seq + 1,
    );
  for (let seq = 1; seq <= a.head.seq; seq += 1) {
    const at = (seq - 1) * 32;
    const same = Buffer.compare(
      older.contentHashes.subarray(at, at + 32),
      newer.contentHashes.subarray(at, at + 32),
    );
    if (same !== 0)
      return result(
        4,
        `Entry ${seq} differs between the two bundles: the log's history was rewritten after the older export.`,
        seq,
      );
  }
  return result(0, null);
}
