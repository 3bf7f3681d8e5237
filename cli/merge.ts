// `merge`: the logs of a practice's laptops as one time-ordered NDJSON stream, for the practice's
// log platform or FHIR server. Every bundle is verified first (and against its own older export
// where given), exactly as `verify` does; one that fails refuses the whole merge, so nothing
// unverified ever reaches the stream, and nothing is written at all.
import { closeSync, existsSync, openSync, rmSync, writeSync } from 'node:fs';
import type { AuditBundle } from '../electron/core/audit/audit-bundle';
import type { AuditEntry } from '../electron/core/audit/audit-format';
import { fhirLine } from '../electron/core/audit/audit-fhir';
import { readBundleFile, Unreadable, type BundleText } from './bundle-json';
import { verifyBundle, verifyExtends } from './verify';

export interface MergeRequest {
  bundles: string[];
  /** Newer bundle path to the older export of the same laptop it must extend. */
  previousOf: Map<string, string>;
  fhir: boolean;
  /** Absent: the stream goes to standard output. */
  out: string | null;
}

export interface MergeReport {
  ok: boolean;
  /**
   * 0 written; 1, 3 or 4 as `verify` would say of the first refused bundle; 2 when two bundles
   * come from one laptop; 3 also when --out exists or cannot be written.
   */
  exitCode: 0 | 1 | 2 | 3 | 4;
  /** One sentence per refused bundle, naming its file. */
  refused: string[];
  /** What was merged: each laptop's vault id and its entry count. */
  laptops: { path: string; vaultId: string; entries: number }[];
  entries: number;
  /** The stream, when it goes to standard output. */
  lines: string[] | null;
  message: string;
}

interface Merged {
  vaultId: string;
  entry: AuditEntry;
}

/** One plain line: the entry as logged (without its salt), and which laptop logged it. */
function plainLine({ vaultId, entry }: Merged): string {
  return `${JSON.stringify({
    vaultId,
    seq: entry.seq,
    at: entry.at,
    time: new Date(entry.at).toISOString(),
    actorRole: entry.actorRole,
    actorId: entry.actorId,
    action: entry.action,
    subject: entry.subject,
    outcome: entry.outcome,
    reason: entry.reason,
  })}\n`;
}

function refusal(
  exitCode: 1 | 2 | 3 | 4,
  refused: string[],
  laptops: MergeReport['laptops'] = [],
): MergeReport {
  return {
    ok: false,
    exitCode,
    refused,
    laptops,
    entries: 0,
    lines: null,
    message: `Nothing was merged: ${refused.length === 1 ? 'one bundle was' : `${refused.length} bundles were`} refused.`,
  };
}

/** Reads a file as a bundle, or says in a sentence why it is not one. */
function read(path: string): BundleText | string {
  try {
    return readBundleFile(path);
  } catch (error) {
    if (error instanceof Unreadable) return error.message;
    throw error;
  }
}

export async function merge(request: MergeRequest): Promise<MergeReport> {
  if (request.out !== null && existsSync(request.out))
    return refusal(3, [`${request.out} already exists: choose a new file name.`]);
  const refused: string[] = [];
  let exitCode: 1 | 2 | 3 | 4 | null = null;
  const refuse = (code: 1 | 2 | 3 | 4, sentence: string) => {
    refused.push(sentence);
    exitCode ??= code;
  };
  const laptops: MergeReport['laptops'] = [];
  const merged: Merged[] = [];
  const seenVaults = new Map<string, string>();
  for (const path of request.bundles) {
    const bundle = read(path);
    if (typeof bundle === 'string') {
      refuse(3, `${path} is not a bundle this tool reads: ${bundle}`);
      continue;
    }
    const olderPath = request.previousOf.get(path);
    if (olderPath === undefined) {
      const report = await verifyBundle(bundle.value, bundle.entryTexts);
      if (!report.ok) {
        refuse(report.exitCode as 1 | 3, `${path} does not verify: ${report.problem}`);
        continue;
      }
    } else {
      const older = read(olderPath);
      if (typeof older === 'string') {
        refuse(3, `${olderPath} (the older export of ${path}) is not a bundle: ${older}`);
        continue;
      }
      const consistency = await verifyExtends(bundle.value, older.value, {
        newer: bundle.entryTexts,
        older: older.entryTexts,
      });
      if (!consistency.ok) {
        refuse(
          consistency.exitCode as 1 | 3 | 4,
          `${path} does not verify against ${olderPath}: ${consistency.problem}`,
        );
        continue;
      }
    }
    const value = bundle.value as AuditBundle;
    const earlier = seenVaults.get(value.vaultId);
    if (earlier !== undefined) {
      // Two exports of one laptop would put its entries in the stream twice.
      refuse(
        2,
        `${path} and ${earlier} come from the same laptop (vault ${value.vaultId}): give only the newer one, with --previous-of NEWER=OLDER.`,
      );
      continue;
    }
    seenVaults.set(value.vaultId, path);
    laptops.push({ path, vaultId: value.vaultId, entries: value.entries.length });
    for (const entry of value.entries as AuditEntry[])
      merged.push({ vaultId: value.vaultId, entry });
  }
  if (exitCode !== null) return refusal(exitCode, refused, laptops);

  // Time order across laptops; within one instant, by laptop and then by the log's own order.
  merged.sort(
    (a, b) =>
      a.entry.at - b.entry.at ||
      (a.vaultId < b.vaultId ? -1 : a.vaultId > b.vaultId ? 1 : 0) ||
      a.entry.seq - b.entry.seq,
  );
  const lineOf = request.fhir
    ? ({ vaultId, entry }: Merged) => fhirLine(vaultId, entry)
    : plainLine;
  const summary = `Merged ${merged.length} entries from ${laptops.length} ${laptops.length === 1 ? 'laptop' : 'laptops'}${request.fhir ? ' as FHIR AuditEvents' : ''}.`;
  if (request.out === null)
    return {
      ok: true,
      exitCode: 0,
      refused: [],
      laptops,
      entries: merged.length,
      lines: merged.map((item) => lineOf(item).slice(0, -1)),
      message: summary,
    };
  const out = request.out;
  let fd: number;
  try {
    // Owner-only, and never over an existing file: the stream names who did what, and when.
    fd = openSync(out, 'wx', 0o600);
  } catch (error) {
    return refusal(3, [`${out} could not be created (${(error as Error).message}).`], laptops);
  }
  try {
    const batch: string[] = [];
    const flush = () => {
      const bytes = Buffer.from(batch.join(''), 'utf8');
      for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      batch.length = 0;
    };
    for (const item of merged) {
      batch.push(lineOf(item));
      if (batch.length === 10_000) flush();
    }
    flush();
    closeSync(fd);
  } catch (error) {
    // A half-written stream would load as if it were the whole log.
    try {
      closeSync(fd);
    } catch {
      // Already closed: the file is removed below all the same.
    }
    rmSync(out, { force: true });
    return refusal(3, [`${out} could not be written (${(error as Error).message}).`], laptops);
  }
  return {
    ok: true,
    exitCode: 0,
    refused: [],
    laptops,
    entries: merged.length,
    lines: null,
    message: `${summary} Written to ${out}.`,
  };
}
