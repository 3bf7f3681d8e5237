// The command line: parses arguments, runs one command, prints for a person (or --json), and
// returns the exit code documented in docs/audit-bundle.md. Every line it prints goes through
// terminalSafe: files, vaults and even paths may hold bytes a terminal would obey.
import { backup } from './backup';
import { compact } from './compact';
import { readBundleFile, Unreadable, type BundleText } from './bundle-json';
import { doctor } from './doctor';
import { merge } from './merge';
import { terminalSafe } from './terminal';
import { unreadableReport, verifyBundle, verifyExtends, type VerifyReport } from './verify';

export const EXIT = { ok: 0, problem: 1, usage: 2, unreadable: 3, inconsistent: 4 } as const;

export const USAGE = `Usage:
  session-vault-audit verify BUNDLE.json [--previous OLDER.json] [--json]
  session-vault-audit doctor VAULT_DIR [--json]
  session-vault-audit backup VAULT_DIR OUT_FILE
  session-vault-audit compact VAULT_DIR      (with Session Vault closed: a vault made before
                                              it gave space back returns its freed space once)
  session-vault-audit merge BUNDLE.json... [--previous-of BUNDLE.json=OLDER.json ...] [--fhir]
                            [--out FILE.ndjson]
  session-vault-audit --help

Exit codes: 0 ok, 1 problem found, 2 usage (merge: two bundles of one laptop), 3 input
unreadable or output exists, 4 the newer bundle does not extend the older one (--previous).
merge writes nothing unless every bundle verifies.
docs/audit-bundle.md specifies the bundle and every check.`;

type Print = (line: string) => void;

const HELP = new Set(['--help', '-h', 'help']);

function describe(path: string, report: VerifyReport, print: Print): void {
  print(`Bundle ${path}`);
  if (report.vaultId) {
    print(`  vault          ${report.vaultId}`);
    print(`  exported       ${new Date(report.exportedAt!).toISOString()} by ${report.exportedBy}`);
    print(`  head           entry ${report.head!.seq}, ${report.head!.hash}`);
    print('');
    print(`  SIGNING KEY FINGERPRINT:  ${report.signingKeyFingerprint}`);
    print('  Compare it with the fingerprint the practice gave you or the app shows. A bundle');
    print('  re-signed with another key passes every check below; only this comparison (or');
    print('  --previous with an older bundle) catches it.');
    print('');
  }
  print(`  checked        ${report.entries} entries, ${report.checkpoints} signed checkpoints`);
  const back = report.timeWentBack;
  if (back)
    print(
      `  NOTICE         ${back.count} ${back.count === 1 ? 'entry is' : 'entries are'} dated earlier than the entry before (first: entry ${back.firstSeq}, up to ${Math.ceil(back.largestMs / 60_000)} min back): the clock was set back while the log was written. Not a break in the chain.`,
    );
}

function verdict(report: { ok: boolean; exitCode: number; problem: string | null }): string {
  if (report.ok) return 'INTACT';
  return report.exitCode === EXIT.unreadable
    ? `UNREADABLE: ${report.problem}`
    : `NOT INTACT: ${report.problem}`;
}

/** Reads a bundle; a file that cannot be read is a report with exit code 3, not an exception. */
function read(path: string): BundleText | VerifyReport {
  try {
    return readBundleFile(path);
  } catch (error) {
    if (error instanceof Unreadable) return unreadableReport(error.message);
    throw error;
  }
}

const isReport = (read: BundleText | VerifyReport): read is VerifyReport => 'exitCode' in read;

async function runVerify(
  args: string[],
  json: boolean,
  print: Print,
  printError: Print,
): Promise<number> {
  const previousAt = args.indexOf('--previous');
  const previousPath = previousAt >= 0 ? args[previousAt + 1] : undefined;
  const rest = args.filter((_, i) => previousAt < 0 || (i !== previousAt && i !== previousAt + 1));
  if (rest.length !== 1 || (previousAt >= 0 && !previousPath) || rest[0]!.startsWith('-'))
    return usage(printError);
  const path = rest[0]!;
  const bundle = read(path);
  if (previousPath === undefined) {
    const report = isReport(bundle) ? bundle : await verifyBundle(bundle.value, bundle.entryTexts);
    if (json) print(JSON.stringify(report, null, 2));
    else {
      if (report.exitCode !== EXIT.unreadable) describe(path, report, print);
      (report.exitCode === EXIT.unreadable ? printError : print)(verdict(report));
    }
    return report.exitCode;
  }
  const older = read(previousPath);
  // A file that cannot be read is checked as a value no bundle has, so both reports stay filled.
  const unreadable = Symbol('unreadable');
  const consistency = await verifyExtends(
    isReport(bundle) ? unreadable : bundle.value,
    isReport(older) ? unreadable : older.value,
    {
      newer: isReport(bundle) ? null : bundle.entryTexts,
      older: isReport(older) ? null : older.entryTexts,
    },
  );
  for (const [side, file] of [
    ['newer', bundle],
    ['older', older],
  ] as const)
    if (isReport(file) && consistency.failed === side) {
      consistency[side] = file;
      consistency.problem = `The ${side} bundle: ${file.problem}`;
    }
  if (json) print(JSON.stringify(consistency, null, 2));
  else {
    if (consistency.newer.exitCode !== EXIT.unreadable) describe(path, consistency.newer, print);
    print(`  older bundle   ${previousPath} (head ${consistency.older.head?.seq ?? '-'})`);
    print(
      consistency.ok
        ? `INTACT, and it extends the older bundle: entries 1 to ${consistency.older.head!.seq} are unchanged.`
        : verdict(consistency),
    );
  }
  return consistency.exitCode;
}

/**
 * merge BUNDLE... [--previous-of BUNDLE=OLDER ...] [--fhir] [--out FILE]: the stream goes to
 * --out, or to standard output with every sentence on standard error.
 */
async function runMerge(args: string[], print: Print, printError: Print): Promise<number> {
  const bundles: string[] = [];
  const previousOf = new Map<string, string>();
  let fhir = false;
  let out: string | null = null;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--fhir') fhir = true;
    else if (arg === '--out' && out === null && args[i + 1] !== undefined) out = args[++i]!;
    else if (arg === '--previous-of' && args[i + 1] !== undefined) {
      const pair = args[++i]!;
      const at = pair.indexOf('=');
      if (at <= 0 || at === pair.length - 1 || previousOf.has(pair.slice(0, at)))
        return usage(printError);
      previousOf.set(pair.slice(0, at), pair.slice(at + 1));
    } else if (arg.startsWith('-')) return usage(printError);
    else bundles.push(arg);
  }
  if (bundles.length === 0 || new Set(bundles).size !== bundles.length) return usage(printError);
  for (const newer of previousOf.keys()) if (!bundles.includes(newer)) return usage(printError);
  // Without --out each line is printed as the merge reaches it, after every bundle verified.
  const report = await merge({ bundles, previousOf, fhir, out, emit: print });
  for (const sentence of report.refused) printError(`REFUSED: ${sentence}`);
  for (const line of report.lines ?? []) print(line);
  (report.ok && out !== null ? print : printError)(report.message);
  return report.exitCode;
}

function usage(printError: Print): number {
  printError(USAGE);
  return EXIT.usage;
}

async function dispatch(argv: string[], print: Print, printError: Print): Promise<number> {
  if (argv.length === 1 && HELP.has(argv[0]!)) {
    print(USAGE);
    return EXIT.ok;
  }
  const json = argv.includes('--json');
  const args = argv.filter((arg) => arg !== '--json');
  const [command, ...rest] = args;
  if (command === 'verify') return runVerify(rest, json, print, printError);
  if (command === 'merge' && !json) return runMerge(rest, print, printError);
  if (command === 'doctor' && rest.length === 1) {
    const report = await doctor(rest[0]!);
    if (json) print(JSON.stringify(report, null, 2));
    else {
      for (const note of report.notes) print(`  ${note}`);
      for (const problem of report.problems) print(`PROBLEM: ${problem}`);
      print(report.ok ? 'HEALTHY' : `${report.problems.length} PROBLEM(S) FOUND`);
    }
    return report.exitCode;
  }
  if (command === 'compact' && rest.length === 1 && !json) {
    const report = await compact(rest[0]!);
    (report.ok ? print : printError)(report.message);
    return report.exitCode;
  }
  if (command === 'backup' && rest.length === 2 && !json) {
    const report = await backup(rest[0]!, rest[1]!);
    (report.ok ? print : printError)(report.message);
    return report.exitCode;
  }
  return usage(printError);
}

export async function run(
  argv: string[],
  print: Print,
  printError: Print = print,
): Promise<number> {
  // A --json report is one document of several lines: escaped, never cut short.
  // So is merge's stream: its lines are JSON, where an escape means the same character.
  const limit = argv.includes('--json') || argv[0] === 'merge' ? Infinity : undefined;
  return dispatch(
    argv,
    (line) => print(terminalSafe(line, limit)),
    (line) => printError(terminalSafe(line, limit)),
  );
}
