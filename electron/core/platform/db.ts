// Opens the vault file: checks it is ours and not from the future before writing a byte,
// sets the pragmas the design needs, and runs pending migrations in one transaction.
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { VaultError } from '../../../shared/errors';
import { LATEST_SCHEMA_VERSION, migrations, type Migration } from '../../../migrations/index';

export const VAULT_FORMAT = 'session-vault/1';
export const VAULT_FILE_NAME = 'vault.sqlite';
export const VAULT_PAGE_SIZE = 65536;

function sqliteCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** Turns SQLite's own failures on a bad file into sentences; never resets the file. */
export function classifyOpenError(error: unknown): VaultError {
  if (error instanceof VaultError) return error;
  const code = sqliteCode(error);
  if (code === 'SQLITE_NOTADB') return new VaultError('NOT_A_VAULT', undefined, { cause: error });
  if (
    code === 'SQLITE_CORRUPT' ||
    code === 'SQLITE_IOERR_SHORT_READ' ||
    code?.startsWith('SQLITE_CORRUPT')
  )
    return new VaultError('VAULT_DAMAGED', undefined, { cause: error });
  return new VaultError('VAULT_DAMAGED', undefined, { cause: error });
}

function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  // Each committed chunk and audit entry survives a power cut.
  db.pragma('synchronous = FULL');
  // Deleted keys and ciphertext are overwritten, not left in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.pragma('trusted_schema = OFF');
}

export function migrate(db: Db, list: readonly Migration[] = migrations): void {
  const latest = list.at(-1)?.version ?? 0;
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) throw new VaultError('VAULT_TOO_NEW');
  const pending = list.filter((m) => m.version > current);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) migration.up(db);
    db.pragma(`user_version = ${latest}`);
  })();
}

/**
 * True when the header's page count (valid while its change counter matches) says the file is
 * longer than it is: a truncated copy. Reads the first 100 bytes only.
 */
function isShorterThanItsHeader(path: string): boolean {
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, header, 0, 100, 0) < 100) return true;
    const size = fstatSync(fd).size;
    const rawPageSize = header.readUInt16BE(16);
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
    const pageCount = header.readUInt32BE(28);
    const countIsValid = header.readUInt32BE(24) === header.readUInt32BE(92);
    return countIsValid && pageCount > 0 && size < pageCount * pageSize;
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks an existing file read-only: SQLite, one of ours, not newer than this app.
 * Throws a VaultError with a sentence for each case.
 */
function inspectExisting(path: string): void {
  let probe: Db | undefined;
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true });
    const version = probe.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) throw new VaultError('VAULT_TOO_NEW');
    const hasMeta = probe
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vault_meta'")
      .get();
    if (!hasMeta || version === 0) throw new VaultError('NOT_A_VAULT');
    const meta = probe.prepare('SELECT format FROM vault_meta WHERE singleton = 1').get() as
      { format: string } | undefined;
    if (meta?.format !== VAULT_FORMAT) throw new VaultError('NOT_A_VAULT');
    // The whole-file check reads every page (seconds per GB): it runs after the first screen
    // (integrity-check.ts). What stays here is O(1): a file cut short below its own header's size.
    if (isShorterThanItsHeader(path)) throw new VaultError('VAULT_DAMAGED');
  } catch (error) {
    throw classifyOpenError(error);
  } finally {
    probe?.close();
  }
}

/** Connections whose WAL still has to be emptied: a reader's snapshot kept the last attempt from it. */
const truncatePending = new WeakSet<Db>();

/** Opens an existing vault file, or creates a new one when `create` is set. */
export function openVaultDb(path: string, options: { create: boolean }): Db {
  const exists = existsSync(path);
  if (!exists && !options.create) throw new VaultError('NO_VAULT');
  if (exists) inspectExisting(path);
  try {
    const db = new Database(path, { fileMustExist: !options.create });
    // Large pages pack variable-size 4 KiB audio chunks with little waste (docs/benchmarks.md).
    // Only a new, empty file can take it; existing vaults keep their page size.
    if (!exists) db.pragma(`page_size = ${VAULT_PAGE_SIZE}`);
    // Destroyed recordings give their pages back to the disk, a few at a time in the background
    // (vacuumSome). Only an empty file can take it; an older vault needs one full VACUUM.
    if (!exists) db.pragma('auto_vacuum = INCREMENTAL');
    applyPragmas(db);
    migrate(db);
    // A WAL the last run could not empty (a reader held it at quit) may hold destroyed rows.
    // A brand-new file's WAL holds only what was just written: nothing was ever destroyed there.
    if (exists && (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0)
      truncatePending.add(db);
    return db;
  } catch (error) {
    throw classifyOpenError(error);
  }
}

/** A second, read-only connection to an open vault (a worker reading the log beside main). */
export function openVaultDbReadOnly(path: string): Db {
  try {
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw classifyOpenError(error);
  }
}

/**
 * How long one attempt waits for readers: not at all. `npx session-vault-audit backup` and
 * `doctor` may hold a snapshot for minutes while the app runs, and the background whole-file
 * check holds one for the first seconds after a start; the default 5 s would freeze main on every
 * attempt, and even 100 ms was the longest turn of a sweep after time away (107 ms of a 128 ms
 * turn, issue 16). A truncation a reader blocks stays pending, and each tick tries again.
 */
const WAL_TRUNCATE_WAIT_MS = 0;

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Folds the WAL back into the file and empties it, so deleted rows leave no copy behind. True once
 * the WAL is empty; otherwise the truncation stays pending for `retryPendingWalTruncate`.
 */
export function checkpointAndTruncateWal(db: Db): boolean {
  truncatePending.add(db);
  const previousWaitMs = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${WAL_TRUNCATE_WAIT_MS}`);
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as CheckpointResult[];
    // busy=1: a reader still uses the WAL, so its frames (destroyed keys, ciphertext) are still there.
    // log=-1 without busy: not in WAL mode, so there is no WAL to hold a copy.
    const emptied = result !== undefined && result.busy === 0 && result.log <= 0;
    if (emptied) truncatePending.delete(db);
    return emptied;
  } finally {
    db.pragma(`busy_timeout = ${previousWaitMs}`);
  }
}

/**
 * Folds what the WAL holds now back into the file without waiting for anyone (PASSIVE), so the
 * WAL never grows across a destruction: the truncation at its end then copies little. Each call
 * costs main about the pages written since the last one (a destruction's batch, a few ms); one
 * truncation after a sweep of 60 had 88 ms of them to copy at once (issue 16).
 */
export function checkpointPassive(db: Db): void {
  if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
}

/**
 * Retries a truncation a reader blocked, for the core's periodic tick: costs nothing when none is
 * pending, waits at most WAL_TRUNCATE_WAIT_MS, and never throws (the next tick tries again).
 */
export function retryPendingWalTruncate(db: Db): boolean {
  if (!truncatePending.has(db)) return true;
  if (!db.open) {
    truncatePending.delete(db);
    return false;
  }
  try {
    return checkpointAndTruncateWal(db);
  } catch {
    return false;
  }
}

/** Pages returned to the disk per call: 1 MiB at 64 KiB pages, about 9 ms in the scale study. */
const VACUUM_PAGES_PER_STEP = 16;

/**
 * Returns a few free pages to the disk when the file allows it (auto_vacuum = INCREMENTAL); true
 * once none is left to return (or the file cannot, being from before that setting).
 */
export function vacuumSome(db: Db): boolean {
  if ((db.pragma('auto_vacuum', { simple: true }) as number) !== 2) return true;
  if ((db.pragma('freelist_count', { simple: true }) as number) === 0) return true;
  db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`);
  return (db.pragma('freelist_count', { simple: true }) as number) === 0;
}
