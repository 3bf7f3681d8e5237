// The command line: parses arguments, runs one command, prints for a person (or --json), and
// returns the exit code documented in docs/audit-bundle.md.
import { readFileSync } from 'node:fs';
import { backup } from './backup';
import { doctor } from './doctor';
import { verifyBundle, verifyExtends, type VerifyReport } from './verify';

export const EXIT = { ok: 0, problem: 1, usage: 2, unreadable: 3, inconsistent: 4 } as const;

export const USAGE = `Usage:
  session-vault-audit verify BUNDLE.json [--previous OLDER.json] [--json]
  session-vault-audit doctor VAULT_DIR [--json]
  session-vault-audit backup VAULT_DIR OUT_FILE

Exit codes: 0 ok, 1 problem found, 2 usage, 3 input unreadable or output exists,
4 the newer bundle does not extend the older one (--previous).`;

type Print = (line: string) => void;

class Unreadable extends Error {}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Unreadable(`Cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Unreadable(`${path} is not JSON: ${(error as Error).message}`);
  }
}

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
}

async function runVerify(args: string[], json: boolean, print: Print): Promise<number> {
  const previousAt = args.indexOf('--previous');
  const previousPath = previousAt >= 0 ? args[previousAt + 1] : undefined;
  const rest = args.filter((_, i) => previousAt < 0 || (i !== previousAt && i !== previousAt + 1));
  if (rest.length !== 1 || (previousAt >= 0 && !previousPath)) return usage(print);
  const path = rest[0]!;
  const bundle = readJson(path);
  if (previousPath === undefined) {
    const report = await verifyBundle(bundle);
    if (json) print(JSON.stringify(report, null, 2));
    else {
      describe(path, report, print);
      print(report.ok ? 'INTACT' : `NOT INTACT: ${report.problem}`);
    }
    return report.exitCode;
  }
  const consistency = await verifyExtends(bundle, readJson(previousPath));
  if (json) print(JSON.stringify(consistency, null, 2));
  else {
    describe(path, consistency.newer, print);
    print(`  older bundle   ${previousPath} (head ${consistency.older.head?.seq ?? '-'})`);
    print(
      consistency.ok
        ? `INTACT, and it extends the older bundle: entries 1 to ${consistency.older.head!.seq} are unchanged.`
        : `NOT INTACT: ${consistency.problem}`,
    );
  }
  return consistency.exitCode;
}

function usage(print: Print): number {
  print(USAGE);
  return EXIT.usage;
}

export async function run(
  argv: string[],
  print: Print,
  printError: Print = print,
): Promise<number> {
  const json = argv.includes('--json');
  const args = argv.filter((arg) => arg !== '--json');
  const [command, ...rest] = args;
  try {
    if (command === 'verify') return await runVerify(rest, json, print);
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
    if (command === 'backup' && rest.length === 2) {
      const report = await backup(rest[0]!, rest[1]!);
      (report.ok ? print : printError)(report.message);
      return report.exitCode;
    }
    return usage(print);
  } catch (error) {
    if (error instanceof Unreadable) {
      printError(error.message);
      return EXIT.unreadable;
    }
    throw error;
  }
}
