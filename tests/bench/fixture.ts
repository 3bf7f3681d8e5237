// A real vault in a temp folder, created through VaultService exactly as the app does. For the
// page-size study, `pageSize` sets `PRAGMA page_size` on the new, empty file right before the
// kernel switches it to WAL (and so before the first table): the same effect as the one-line
// change to electron/core/platform/db.ts that docs/benchmarks.md proposes, without editing the core.
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { initCrypto, randomBytes } from '../../electron/core/platform/crypto';
import { checkpointAndTruncateWal } from '../../electron/core/platform/db';
import type { KdfCost } from '../../electron/core/vault/key-store';
import type { DeriveKek } from '../../electron/core/platform/kdf';
import { VaultService } from '../../electron/core/vault/vault-service';
import { tempFolder } from './harness';

export const PASSPHRASE = 'maple harbour quietly ninety lanterns';
/** Cheap Argon2id for vaults whose unlock cost is not what is measured (as the unit tests). */
export const LIGHT_KDF: KdfCost = { opsLimit: 2, memLimitBytes: 8 * 1024 * 1024 };

type PragmaFn = (this: Db, source: string, options?: { simple?: boolean }) => unknown;

/** Runs `create` with `PRAGMA page_size = pageSize` applied to any brand-new database file. */
function withNewFilePageSize<T>(pageSize: number | null, create: () => T): T {
  if (pageSize === null) return create();
  const proto = Database.prototype as unknown as { pragma: PragmaFn };
  const original = proto.pragma;
  proto.pragma = function (this: Db, source, options) {
    if (/^\s*journal_mode\s*=\s*wal\s*$/i.test(source)) {
      const pages = original.call(this, 'page_count', { simple: true }) as number;
      if (pages === 0) original.call(this, `page_size = ${pageSize}`);
    }
    return original.call(this, source, options);
  };
  try {
    return create();
  } finally {
    proto.pragma = original;
  }
}

export interface BenchVault {
  lifecycle: VaultService;
  path: string;
  pageSize: number;
  /** Folds the WAL into the file (TRUNCATE) and returns the vault file's size in bytes. */
  settledBytes(): number;
  cleanup(): void;
}

export async function createVault(options: {
  kdf: KdfCost;
  /** null: SQLite's default, i.e. the kernel unchanged. */
  pageSize?: number | null;
  name: string;
  /** Where recordings keep their chunks; the page-size study measures the `chunks` table. */
  newRecordingStorage?: 'file' | 'sqlite';
  /** Where the unlock's Argon2id runs (on main unless given). */
  derive?: DeriveKek;
}): Promise<BenchVault> {
  await initCrypto();
  const folder = tempFolder(options.name);
  let clock = Date.UTC(2026, 10, 26, 9, 0, 0);
  const lifecycle = new VaultService(
    folder.path,
    () => (clock += 7),
    options.kdf,
    randomBytes(32),
    undefined,
    options.newRecordingStorage,
    undefined,
    options.derive,
  );
  try {
    withNewFilePageSize(options.pageSize ?? null, () =>
      lifecycle.create({
        practiceName: 'Riverside Counselling',
        therapistName: 'Dr. Jane Example',
        passphrase: PASSPHRASE,
      }),
    );
  } catch (error) {
    folder.cleanup();
    throw error;
  }
  const db = lifecycle.opened().db;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  if (options.pageSize && pageSize !== options.pageSize)
    throw new Error(`page_size is ${pageSize}, wanted ${options.pageSize}`);
  const synchronous = db.pragma('synchronous', { simple: true }) as number;
  const journal = db.pragma('journal_mode', { simple: true }) as string;
  if (synchronous !== 2 || journal !== 'wal')
    throw new Error(`expected WAL with synchronous=FULL, got ${journal} / ${synchronous}`);
  return {
    lifecycle,
    path: lifecycle.path,
    pageSize,
    settledBytes() {
      checkpointAndTruncateWal(lifecycle.opened().db);
      return statSync(lifecycle.path).size;
    },
    cleanup() {
      try {
        lifecycle.close();
      } finally {
        folder.cleanup();
      }
    },
  };
}
