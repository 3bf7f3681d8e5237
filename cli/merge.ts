// `merge`: the logs of a practice's laptops as one time-ordered NDJSON stream, for the practice's
// log platform or FHIR server. Every bundle is verified first (and against its own older export
// where given), exactly as `verify` does; one that fails refuses the whole merge, so nothing
// unverified ever reaches the stream, and nothing is written at all.
//
// A practice's bundles together can be far larger than memory, so only one bundle is held at a
// time: each, once verified, is sorted by time and written as a run of finished lines to an
// owner-only temporary folder; when every bundle has verified, the runs are merged line by line
// (a k-way merge holding one line per laptop) into the output. The runs are removed in every case.
import { createReadStream } from 'node:fs';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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
  /** Absent: the stream goes to `emit` (standard output), or into the report's `lines`. */
  out: string | null;
  /** Where each line goes when there is no --out: printed as it comes, never all held at once. */
  emit?: (line: string) => void;
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
  /** The stream, when there is neither an --out nor an `emit`. */
  lines: string[] | null;
  message: string;
}

interface Merged {
  vaultId: string;
  entry: AuditEntry;
}

/** What the merge orders by: time; within one instant, laptop, then the log's own order. */
interface SortKey {
  at: number;
  vaultId: string;
  seq: number;
}

function before(a: SortKey, b: SortKey): number {
  return (
    a.at - b.at || (a.vaultId < b.vaultId ? -1 : a.vaultId > b.vaultId ? 1 : 0) || a.seq - b.seq
  );
}

/** One run line: the sort key the merge needs, then the finished output line. */
interface RunLine extends SortKey {
  line: string;
}

/** Reads one run file line by line, the next line always at hand. */
class Run {
  private readonly lines: AsyncIterator<string>;
  current: RunLine | null = null;

  constructor(path: string) {
    this.lines = createInterface({
      input: createReadStream(path, { encoding: 'utf8' }),
      crlfDelay: Infinity,
    })[Symbol.asyncIterator]();
  }

  async advance(): Promise<void> {
    const next = await this.lines.next();
    this.current = next.done ? null : (JSON.parse(next.value) as RunLine);
  }
}

/** The run with the smallest current line (one run per laptop: a scan is enough). */
function smallest(runs: Run[]): Run | null {
  let best: Run | null = null;
  for (const run of runs) {
    if (run.current !== null && (best === null || before(run.current, best.current!) < 0))
      best = run;
  }
  return best;
}

/** Writes all of `text` to `fd`, however many calls that takes. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
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
  const seenVaults = new Map<string, string>();
  const lineOf = request.fhir
    ? ({ vaultId, entry }: Merged) => fhirLine(vaultId, entry)
    : plainLine;
  // Owner-only: the runs hold who did what, and when, as the output does.
  const runsFolder = mkdtempSync(join(tmpdir(), 'session-vault-merge-'));
  const runPaths: string[] = [];
  let total = 0;
  try {
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
      if (exitCode !== null) continue;
      // A laptop's log is in its own order, which is time order unless its clock was set back.
      const items = (value.entries as AuditEntry[]).map((entry) => ({
        at: entry.at,
        vaultId: value.vaultId,
        seq: entry.seq,
        line: lineOf({ vaultId: value.vaultId, entry }),
      }));
      items.sort(before);
      const runPath = join(runsFolder, `${runPaths.length}.ndjson`);
      const fd = openSync(runPath, 'wx', 0o600);
      try {
        const batch: string[] = [];
        for (const item of items) {
          batch.push(`${JSON.stringify(item)}\n`);
          if (batch.length === 10_000) writeAll(fd, batch.splice(0).join(''));
        }
        writeAll(fd, batch.join(''));
      } finally {
        closeSync(fd);
      }
      runPaths.push(runPath);
      total += items.length;
    }
    if (exitCode !== null) return refusal(exitCode, refused, laptops);
    return await writeMerged(request, runPaths, laptops, total);
  } finally {
    rmSync(runsFolder, { recursive: true, force: true });
  }
}

/** Merges the sorted runs into the output: --out, `emit`, or the report's lines. */
async function writeMerged(
  request: MergeRequest,
  runPaths: string[],
  laptops: MergeReport['laptops'],
  total: number,
): Promise<MergeReport> {
  const summary = `Merged ${total} entries from ${laptops.length} ${laptops.length === 1 ? 'laptop' : 'laptops'}${request.fhir ? ' as FHIR AuditEvents' : ''}.`;
  const runs = runPaths.map((path) => new Run(path));
  for (const run of runs) await run.advance();
  const each = async (take: (line: string) => void) => {
    for (let run = smallest(runs); run !== null; run = smallest(runs)) {
      take(run.current!.line);
      await run.advance();
    }
  };
  if (request.out === null) {
    const lines: string[] = [];
    const emit = request.emit;
    await each((line) => (emit ? emit(line.slice(0, -1)) : lines.push(line.slice(0, -1))));
    return {
      ok: true,
      exitCode: 0,
      refused: [],
      laptops,
      entries: total,
      lines: emit ? null : lines,
      message: summary,
    };
  }
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
    await each((line) => {
      batch.push(line);
      if (batch.length === 10_000) writeAll(fd, batch.splice(0).join(''));
    });
    writeAll(fd, batch.join(''));
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
    entries: total,
    lines: null,
    message: `${summary} Written to ${out}.`,
  };
}
