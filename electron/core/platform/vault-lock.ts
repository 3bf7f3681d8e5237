// One process per vault. Two apps on one vault file lose about half their writes to SQLITE_BUSY,
// and a revocation in one does not stop a recording in the other. The holder keeps an exclusive
// SQLite lock on a small side file: the OS drops it when the process ends however it ends, so a
// killed app leaves no stale lock, and the vault file itself stays readable by `backup` and
// `doctor` while the app runs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { errorSentences } from '../../../shared/errors';

export const VAULT_LOCK_FILE_NAME = 'vault.lock';

export const VAULT_IN_USE_SENTENCE = errorSentences.VAULT_IN_USE;

/** Another process holds the vault. */
export class VaultInUseError extends Error {
  readonly sentence = VAULT_IN_USE_SENTENCE;
  constructor(options?: { cause?: unknown }) {
    super(VAULT_IN_USE_SENTENCE, options);
    this.name = 'VaultInUseError';
  }
}

export interface VaultLock {
  readonly path: string;
  /** Lets go; the next process may take the vault. Safe to call twice. */
  release(): void;
}

function isBusy(error: unknown): boolean {
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? String((error as { code: unknown }).code)
      : '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/**
 * Takes the vault folder for this process, before the vault file is opened for writing. Throws
 * VaultInUseError at once (no waiting) when another process, or another open in this one,
 * holds it.
 */
export function acquireVaultLock(dataDir: string): VaultLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, VAULT_LOCK_FILE_NAME);
  let db: Db | null = null;
  try {
    db = new Database(path, { timeout: 0 });
    // Held from the first write until the connection closes, and refused to everyone else,
    // readers included, in this process and in others.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = DELETE');
    db.exec(`CREATE TABLE IF NOT EXISTS holder (
               singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
               pid INTEGER NOT NULL
             ) STRICT`);
    db.prepare('INSERT OR REPLACE INTO holder (singleton, pid) VALUES (1, ?)').run(process.pid);
  } catch (error) {
    db?.close();
    if (isBusy(error)) throw new VaultInUseError({ cause: error });
    throw error;
  }
  const held = db;
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      held.close();
    },
  };
}
