// The whole-file integrity check, run after the first screen in a low-priority child process with
// its own read-only connection: on a year of recordings it reads gigabytes (15–18 s/GB cold,
// docs/scale-study.md), which must never stand between a launch and the lock screen.
//
// Why not `spawn(process.execPath, …)` with ELECTRON_RUN_AS_NODE: the packaged app flips the
// runAsNode fuse off (electron-builder.yml), so Electron ignores that variable and the spawn starts
// a second copy of the GUI app, which the single-instance lock quits: the check would never
// report. In the app the child is Electron's utilityProcess (electron/file-check-process.ts), which
// the fuses allow; plain Node (tests, the bench, the CLI) spawns itself. Why a process and not a
// worker thread: quick_check is one native call a worker cannot be stopped inside, so quitting
// mid-check would wait for the rest of a multi-gigabyte read, while a process is killed at once.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { IntegrityStatus } from '../../../shared/api';

/** The child's inputs, as environment variables (a utilityProcess takes a file, not `-e`). */
export const FILE_CHECK_VARIABLES = {
  sqliteModule: 'SESSION_VAULT_FILE_CHECK_SQLITE',
  vaultPath: 'SESSION_VAULT_FILE_CHECK_VAULT',
} as const;

/**
 * Runs in the child with a CommonJS `require` and writes its verdict as JSON on standard output.
 * Lowest priority for the whole child: on two cores a check at normal priority still slows main
 * even off its thread. A page SQLite cannot read is damage too.
 */
export const FILE_CHECK_SCRIPT = `
const sqliteModule = process.env.${FILE_CHECK_VARIABLES.sqliteModule};
const vaultPath = process.env.${FILE_CHECK_VARIABLES.vaultPath};
try { require('node:os').setPriority(19); } catch {}
let reply;
try {
  const Database = require(sqliteModule);
  const db = new Database(vaultPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('quick_check').map((row) => String(row.quick_check));
    reply = rows.length === 1 && rows[0] === 'ok' ? { result: 'ok' } : { result: 'damaged', detail: rows.slice(0, 20) };
  } finally { db.close(); }
} catch (error) {
  const code = String(error && error.code);
  reply = code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'SQLITE_IOERR_SHORT_READ'
    ? { result: 'damaged', detail: [code] }
    : { result: 'failed', detail: [String(error && error.message)] };
}
process.stdout.write(JSON.stringify(reply));
`;

/**
 * Starts the check program with these environment variables added; `exited` is called once with
 * everything it wrote on standard output, or null when it could not start.
 */
export type FileCheckSpawner = (
  variables: Record<string, string>,
  exited: (output: string | null) => void,
) => { kill(): void };

/**
 * Plain Node running `FILE_CHECK_SCRIPT` as itself. Under Electron it refuses (the check reports
 * "could not run") rather than start the app's own binary: see the top of this file.
 */
export function nodeFileCheckSpawner(
  versions: NodeJS.ProcessVersions = process.versions,
): FileCheckSpawner {
  return (variables, exited) => {
    if (versions['electron'] !== undefined) {
      queueMicrotask(() => exited(null));
      return { kill: () => undefined };
    }
    const child = spawn(process.execPath, ['-e', FILE_CHECK_SCRIPT], {
      env: { ...process.env, ...variables },
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    });
    let output = '';
    let reported = false;
    const report = (text: string | null): void => {
      if (reported) return;
      reported = true;
      exited(text);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => (output += text));
    child.on('error', () => report(null));
    child.on('close', () => report(output));
    return { kill: () => child.kill() };
  };
}

export const integritySentences = {
  'not-started': 'The full check of the vault file has not started yet.',
  checking: 'Session Vault is checking the whole vault file in the background.',
  ok: 'The whole vault file was checked and no damage was found.',
  damaged:
    'The background check found damage in the vault file. Recordings stored in the damaged part may not open. Make a backup now and contact support.',
  failed:
    'The background check of the vault file could not run. It will run again the next time Session Vault starts.',
} as const satisfies Record<IntegrityStatus['state'], string>;

function status(state: IntegrityStatus['state'], checkedAt: number | null): IntegrityStatus {
  return { state, message: integritySentences[state], checkedAt };
}

export interface BackgroundIntegrityCheck {
  status(): IntegrityStatus;
  /** Resolves once the check has answered (or could not run). */
  finished(): Promise<IntegrityStatus>;
  stop(): void;
}

/** Starts the check on the next turn, so whatever started it (the core) answers first. */
export function startIntegrityCheck(
  vaultPath: string,
  now: () => number,
  onDamage?: (detail: string[]) => void,
  spawner: FileCheckSpawner = nodeFileCheckSpawner(),
): BackgroundIntegrityCheck {
  let current = status('not-started', null);
  let child: { kill(): void } | null = null;
  let stopped = false;
  let settle: (result: IntegrityStatus) => void = () => undefined;
  const done = new Promise<IntegrityStatus>((resolve) => (settle = resolve));
  const finish = (state: IntegrityStatus['state']): void => {
    current = status(state, state === 'ok' || state === 'damaged' ? now() : null);
    child = null;
    settle(current);
  };

  const begin = (): void => {
    if (stopped) return;
    let sqliteModule: string;
    try {
      sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3');
    } catch {
      finish('failed');
      return;
    }
    current = status('checking', null);
    const variables = {
      [FILE_CHECK_VARIABLES.sqliteModule]: sqliteModule,
      [FILE_CHECK_VARIABLES.vaultPath]: vaultPath,
    };
    let started: { kill(): void } | null = null;
    let exitedEarly: string | null | undefined;
    const exited = (output: string | null): void => {
      if (started === null) {
        exitedEarly = output;
        return;
      }
      if (stopped || child !== started) return;
      try {
        if (output === null) throw new Error('the check could not start');
        const reply = JSON.parse(output) as {
          result: 'ok' | 'damaged' | 'failed';
          detail?: string[];
        };
        if (reply.result === 'damaged') onDamage?.(reply.detail ?? []);
        finish(reply.result);
      } catch {
        finish('failed');
      }
    };
    try {
      started = spawner(variables, exited);
    } catch {
      finish('failed');
      return;
    }
    child = started;
    if (exitedEarly !== undefined) exited(exitedEarly);
  };
  const timer = setImmediate(begin);

  return {
    status: () => current,
    finished: () => done,
    stop: () => {
      stopped = true;
      clearImmediate(timer);
      child?.kill();
      if (current.state === 'checking' || current.state === 'not-started') {
        current = status('not-started', null);
        settle(current);
      }
    },
  };
}
