// `compact`: gives an older vault's freed pages back to the disk, once. A vault created before
// `auto_vacuum = INCREMENTAL` keeps every page a destroyed recording freed for reuse and never
// shrinks (docs/scale-study.md, "Older vaults and incremental vacuum"). One VACUUM switches it: it
// rewrites the whole file and holds the write lock throughout, so it runs only with the app
// closed. It takes the vault's lock first (a running app refuses it, and it refuses a running
// app), checks there is room for the rewrite, and ends with `quick_check`. From then on the app
// returns freed pages itself, a few per turn. A command of its own, not a flag of `doctor`, which
// promises never to write a byte.
import { existsSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VAULT_FILE_NAME } from '../electron/core/platform/db';
import {
  acquireVaultLock,
  VaultInUseError,
  type VaultLock,
} from '../electron/core/platform/vault-lock';

export interface CompactReport {
  ok: boolean;
  /** 0 done (or nothing to do), 1 refused or failed (nothing changed), 3 no vault there. */
  exitCode: 0 | 1 | 3;
  message: string;
  bytesBefore: number | null;
  bytesAfter: number | null;
}

function fail(exitCode: 1 | 3, message: string): CompactReport {
  return { ok: false, exitCode, message, bytesBefore: null, bytesAfter: null };
}

/** The vault file and its WAL, as the disk holds them. */
function vaultBytes(path: string): number {
  return [path, `${path}-wal`].reduce(
    (sum, file) => sum + (statSync(file, { throwIfNoEntry: false })?.size ?? 0),
    0,
  );
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Room the rewrite needs beside the file: VACUUM builds the new file in a temporary one, and in
 * WAL mode writes it once more through the WAL before the checkpoint folds it back.
 */
const ROOM_FACTOR = 2;

export async function compact(
  vaultDir: string,
  freeBytes: (dir: string) => number = (dir) => {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  },
): Promise<CompactReport> {
  const path = join(vaultDir, VAULT_FILE_NAME);
  if (!existsSync(path)) return fail(3, `There is no ${VAULT_FILE_NAME} in ${vaultDir}.`);
  let lock: VaultLock;
  try {
    lock = acquireVaultLock(vaultDir);
  } catch (error) {
    if (error instanceof VaultInUseError)
      return fail(1, `${error.sentence} (Compacting needs Session Vault closed.)`);
    return fail(1, `The vault's lock could not be taken: ${(error as Error).message}.`);
  }
  const { default: Database } = await import('better-sqlite3');
  try {
    const db = new Database(path, { fileMustExist: true, timeout: 0 });
    try {
      const before = vaultBytes(path);
      if ((db.pragma('auto_vacuum', { simple: true }) as number) === 2) {
        // Already switched: the app returns freed pages itself; whatever a quit left goes now.
        db.pragma('incremental_vacuum');
        db.pragma('wal_checkpoint(TRUNCATE)');
        const after = vaultBytes(path);
        return {
          ok: true,
          exitCode: 0,
          message: `${path} already gives freed space back by itself; ${megabytes(before - after)} more returned now (${megabytes(before)} → ${megabytes(after)}).`,
          bytesBefore: before,
          bytesAfter: after,
        };
      }
      const room = freeBytes(vaultDir);
      if (room < before * ROOM_FACTOR)
        return fail(
          1,
          `Compacting ${path} needs ${megabytes(before * ROOM_FACTOR)} free on its disk, and ${megabytes(room)} is free. Nothing was changed.`,
        );
      db.pragma('auto_vacuum = INCREMENTAL');
      db.exec('VACUUM');
      db.pragma('wal_checkpoint(TRUNCATE)');
      const check = db.pragma('quick_check', { simple: true });
      const mode = db.pragma('auto_vacuum', { simple: true }) as number;
      if (check !== 'ok' || mode !== 2)
        return fail(
          1,
          `${path} reads back wrongly after compacting (check ${String(check)}, mode ${mode}): make a backup now and contact support.`,
        );
      const after = vaultBytes(path);
      return {
        ok: true,
        exitCode: 0,
        message: `Compacted ${path}: ${megabytes(before)} → ${megabytes(after)}. From now on Session Vault gives the space of destroyed recordings back by itself.`,
        bytesBefore: before,
        bytesAfter: after,
      };
    } finally {
      db.close();
    }
  } catch (error) {
    // VACUUM is one transaction: a failure (a full disk, a damaged page) leaves the file as it was.
    return fail(
      1,
      `${path} could not be compacted: ${(error as Error).message}. Nothing was changed.`,
    );
  } finally {
    lock.release();
  }
}
