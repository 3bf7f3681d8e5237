// One process per vault, with real processes: a second one is refused at once with a sentence,
// a killed holder leaves no stale lock, and readers of the vault file are never blocked.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  VAULT_IN_USE_SENTENCE,
  VaultInUseError,
  acquireVaultLock,
} from '../../../electron/core/platform/vault-lock';

const root = resolve(__dirname, '../../..');
let work: string;
let holderScript: string;
let dataDir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'vault-lock-'));
  holderScript = join(work, 'holder.cjs');
  await build({
    entryPoints: [join(__dirname, 'vault-lock-holder.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: holderScript,
    external: ['better-sqlite3'],
    logLevel: 'silent',
  });
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeEach(() => {
  dataDir = mkdtempSync(join(work, 'vault-'));
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const nodeEnv = { ...process.env, NODE_PATH: join(root, 'node_modules') };

type HolderLine = {
  pid: number;
  held: boolean;
  sentence?: string;
  refusedAfterMs?: number;
  error?: string;
};

/** Starts a holder and waits until it says whether it holds the vault. */
async function startHolder(): Promise<{ child: ChildProcess; line: HolderLine }> {
  const child = spawn(process.execPath, [holderScript, 'hold', dataDir], {
    env: nodeEnv,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await once(lines, 'line')) as [string];
  return { child, line: JSON.parse(first) as HolderLine };
}

function tryInAnotherProcess(): HolderLine {
  const run = spawnSync(process.execPath, [holderScript, 'try', dataDir], {
    env: nodeEnv,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return JSON.parse(run.stdout.trim()) as HolderLine;
}

describe('acquireVaultLock', () => {
  it('refuses a second open in the same process, and lets go on release', () => {
    const lock = acquireVaultLock(dataDir);
    expect(() => acquireVaultLock(dataDir)).toThrow(VaultInUseError);
    lock.release();
    lock.release();
    const again = acquireVaultLock(dataDir);
    again.release();
  });

  it('refuses another process at once, with a sentence, while this one holds the vault', () => {
    const lock = acquireVaultLock(dataDir);
    try {
      const other = tryInAnotherProcess();
      expect(other).toMatchObject({ held: false, sentence: VAULT_IN_USE_SENTENCE });
      // Refused, not queued behind a busy timeout (SQLite's would wait seconds).
      expect(other.refusedAfterMs).toBeLessThan(1_000);
    } finally {
      lock.release();
    }
    expect(tryInAnotherProcess()).toMatchObject({ held: true });
  });

  it('refuses this process while another holds it, and is free once that one quits', async () => {
    const { child, line } = await startHolder();
    expect(line).toMatchObject({ held: true, pid: child.pid });
    expect(() => acquireVaultLock(dataDir)).toThrow(VAULT_IN_USE_SENTENCE);
    child.stdin!.end();
    await once(child, 'exit');
    acquireVaultLock(dataDir).release();
  });

  it('leaves no stale lock when the holder is killed', async () => {
    const { child, line } = await startHolder();
    expect(line.held).toBe(true);
    expect(tryInAnotherProcess()).toMatchObject({ held: false });
    child.kill('SIGKILL');
    const [, signal] = (await once(child, 'exit')) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    const lock = acquireVaultLock(dataDir);
    lock.release();
  });

  it('never blocks a reader of the vault file itself (backup, doctor)', () => {
    const vaultFile = join(dataDir, 'vault.sqlite');
    const writer = new Database(vaultFile);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)');
    const lock = acquireVaultLock(dataDir);
    try {
      const reader = new Database(vaultFile, { readonly: true, fileMustExist: true });
      expect(reader.prepare('SELECT x FROM t').get()).toEqual({ x: 1 });
      reader.close();
    } finally {
      lock.release();
      writer.close();
    }
  });
});
