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
import {
  fromHex,
  hash,
  initCrypto,
  toHex,
  utf8,
  verifySignature,
} from '../electron/core/platform/crypto';

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
    return `The file is not a "${BUNDLE_FORMAT}" bundle (format: ${JSON.stringify(bundle.format)}).`;
  if (!isHex(bundle.vaultId, 16)) return 'vaultId is not 16 bytes of lower-case hex.';
  if (!isInt(bundle.exportedAt)) return 'exportedAt is not an integer.';
  if (typeof bundle.exportedBy !== 'string' || !EXPORTER_PATTERN.test(bundle.exportedBy))
    return 'exportedBy is not "therapist" or "auditor:<id>".';
  if (!isHex(bundle.signingPublicKey, 32)) return 'signingPublicKey is not 32 bytes of hex.';
  if (!Array.isArray(bundle.entries)) return 'entries is not an array.';
  if (!Array.isArray(bundle.entryHashes)) return 'entryHashes is not an array.';
  if (!Array.isArray(bundle.checkpoints)) return 'checkpoints is not an array.';
  const head = bundle.head as Record<string, unknown> | null;
  if (typeof head !== 'object' || head === null || !isInt(head.seq) || !isHex(head.hash, 32))
    return 'head is not { seq, hash }.';
  if (!isHex(bundle.exportSignature, 64)) return 'exportSignature is not 64 bytes of hex.';
  for (const [i, checkpoint] of (bundle.checkpoints as unknown[]).entries()) {
    const c = checkpoint as Record<string, unknown> | null;
    if (
      typeof c !== 'object' ||
      c === null ||
      !isInt(c.seq) ||
      c.seq < 1 ||
      !isInt(c.at) ||
      !isHex(c.headHash, 32) ||
      !isHex(c.signature, 64)
    )
      return `checkpoints[${i}] is not { seq, at, headHash, signature }.`;
  }
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

function emptyReport(): VerifyReport {
  return {
    ok: false,
    exitCode: 1,
    entries: 0,
    checkpoints: 0,
    firstBadSeq: null,
    badRange: null,
    problem: null,
    vaultId: null,
    signingKeyFingerprint: null,
    exportedAt: null,
    exportedBy: null,
    head: null,
  };
}

function check(value: unknown): Checked {
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

  const checkpoints = new Map<number, AuditBundle['checkpoints'][number]>();
  for (const checkpoint of bundle.checkpoints) {
    if (checkpoints.has(checkpoint.seq))
      return fail(`The checkpoint at entry ${checkpoint.seq} appears twice.`, checkpoint.seq);
    checkpoints.set(checkpoint.seq, checkpoint);
  }
  if (bundle.entryHashes.length !== bundle.entries.length)
    return fail(
      `The bundle lists ${bundle.entryHashes.length} entry hashes for ${bundle.entries.length} entries.`,
      null,
    );

  let prev = genesisHash(vaultId);
  let lastGoodCheckpoint = 0;
  for (let i = 0; i < bundle.entries.length; i += 1) {
    const expected = i + 1;
    const shapeWhy = entryProblem(bundle.entries[i]);
    if (shapeWhy)
      return fail(`Entry ${expected} is not a well-formed entry: ${shapeWhy}.`, expected);
    const entry = bundle.entries[i] as AuditEntry;
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
  return { report: { ...report, ok: true, exitCode: 0 }, bundle, contentHashes };
}

/** Checks one bundle (already parsed from JSON). */
export async function verifyBundle(bundle: unknown): Promise<VerifyReport> {
  await initCrypto();
  return check(bundle).report;
}

export interface ConsistencyReport {
  ok: boolean;
  /** 0 consistent, 1 a bundle does not verify, 3 not a bundle, 4 the newer does not extend the older. */
  exitCode: 0 | 1 | 3 | 4;
  newer: VerifyReport;
  older: VerifyReport;
  /** The first entry that differs between the two, when that is the problem. */
  divergesAt: number | null;
  problem: string | null;
}

/** Checks both bundles, then that the newer one holds every entry of the older one unchanged. */
export async function verifyExtends(
  newerBundle: unknown,
  olderBundle: unknown,
): Promise<ConsistencyReport> {
  await initCrypto();
  const newer = check(newerBundle);
  const older = check(olderBundle);
  const result = (
    exitCode: ConsistencyReport['exitCode'],
    problem: string | null,
    divergesAt: number | null = null,
  ): ConsistencyReport => ({
    ok: exitCode === 0,
    exitCode,
    newer: newer.report,
    older: older.report,
    divergesAt,
    problem,
  });
  if (!newer.report.ok)
    return result(newer.report.exitCode, `The newer bundle: ${newer.report.problem}`);
  if (!older.report.ok)
    return result(older.report.exitCode, `The older bundle: ${older.report.problem}`);
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
