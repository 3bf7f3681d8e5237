// The whole-file integrity check, run after the first screen in a low-priority child process with
// its own read-only connection: on a year of recordings it reads gigabytes (15–18 s/GB cold,
// docs/scale-study.md), which must never stand between a launch and the lock screen.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { IntegrityStatus } from '../../../shared/api';

/**
 * Runs in the child (plain Node, or Electron as Node). Lowest priority: on two cores a check at
 * normal priority still slows main even off its thread. A page SQLite cannot read is damage too.
 */
const CHILD_SCRIPT = `
const [sqliteModule, vaultPath] = process.argv.slice(1);
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
): BackgroundIntegrityCheck {
  let current = status('not-started', null);
  let child: ChildProcess | null = null;
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
    const started = spawn(process.execPath, ['-e', CHILD_SCRIPT, sqliteModule, vaultPath], {
      // Electron's binary runs the script as plain Node with this; plain Node ignores it.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      windowsHide: true,
    });
    child = started;
    let output = '';
    started.stdout?.setEncoding('utf8');
    started.stdout?.on('data', (text: string) => (output += text));
    started.on('error', () => finish('failed'));
    started.on('close', () => {
      if (stopped || child !== started) return;
      try {
        const reply = JSON.parse(output) as {
          result: 'ok' | 'damaged' | 'failed';
          detail?: string[];
        };
        if (reply.result === 'damaged') onDamage?.(reply.detail ?? []);
        finish(reply.result);
      } catch {
        finish('failed');
      }
    });
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
