// `backup`: a consistent copy of the vault file, safe while the app runs: a read transaction pins
// a snapshot, the file and then its WAL are copied, and the copy recovers to a whole commit at or
// after that snapshot. SQLite's online backup restarted on every write and never finished while
// a session recorded (issue 16); a held snapshot is never restarted by a writer. While a session
// records, the copy uses the disk only in the gaps between its appends (`writer-gaps.ts`).
// The copy is the same ciphertext: it stays encrypted and needs the same
// passphrase. It never overwrites a file, and it is checked before it takes its final name.
// It is one owner-only file: no journal beside it, nothing readable by other accounts. Recordings
// made since migration 0070 keep their audio in files of their own: those of every recording the
// snapshot holds are copied into the owner-only folder `OUT.recordings` (restore: OUT becomes
// `vault.sqlite` and that folder `recordings`, side by side).
//
// What a backup holds: everything the vault held when it was made, including recordings destroyed
// and consents revoked afterwards. Restored on this laptop it is an older copy: the app's rollback
// anchor (in the OS keychain, out of the backup's reach) names it a rollback at the next start and
// destroys and revokes again what was destroyed and revoked since. Opened on another computer with
// the passphrase, it keeps those recordings; only the auditor's `verify --previous` check of an
// export made from it catches that (docs/threat-model.md, "What remains out of reach").
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VAULT_FILE_NAME } from '../electron/core/platform/db';
import { RECORDINGS_FOLDER, audioFilePath } from '../electron/core/recording/audio-file';
import { WriterGaps, type RecordingNow } from './writer-gaps';

export interface BackupReport {
  ok: boolean;
  /** 0 done, 1 the copy failed its check, 3 no vault there or the output exists. */
  exitCode: 0 | 1 | 3;
  message: string;
}

function fail(exitCode: 1 | 3, message: string): BackupReport {
  return { ok: false, exitCode, message };
}

/** Read and written a piece at a time, so the app's writes keep their turn on the disk. */
const PIECE_BYTES = 1024 * 1024;
/**
 * Dirty data is flushed this often, so the flush that ends the backup's share of a recording's
 * gap (`WriterGaps`) is short, and with nobody recording the page cache never holds much of the
 * copy. Flushing more often did not keep the backup out of a recording's way by itself: every
 * 0.5 MiB, an append's p99 was still 2–4 × its value without a backup, at 0.7 × the speed
 * (docs/benchmarks.md, issue 16).
 */
const SYNC_EVERY_BYTES = 4 * 1024 * 1024;

/**
 * Copies what `from` holds now into `to` (created or appended to). Stops at the size it had when
 * the copy began: what a writer appends later belongs to a commit after the snapshot.
 */
async function copyInPieces(
  from: string,
  to: string,
  flags: 'r+' | 'w' | 'wx',
  piece: Buffer,
  gaps: WriterGaps,
): Promise<void> {
  const source = await openFile(from, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (!source) return;
  const target = await openFile(to, flags, 0o600);
  try {
    const size = (await source.stat()).size;
    let sinceSync = 0;
    const flush = async () => {
      if (sinceSync === 0) return;
      await target.datasync();
      sinceSync = 0;
    };
    for (let offset = 0; offset < size;) {
      await gaps.nextTurn(flush);
      const { bytesRead } = await source.read(
        piece,
        0,
        Math.min(piece.length, size - offset),
        offset,
      );
      if (bytesRead === 0) break;
      await target.write(piece, 0, bytesRead, offset);
      offset += bytesRead;
      sinceSync += bytesRead;
      if (sinceSync >= SYNC_EVERY_BYTES) await flush();
    }
    await gaps.nextTurn(flush);
    await flush();
  } finally {
    await target.close();
    await source.close();
  }
}

/** The copy and any journal SQLite kept beside it, and its recording files. */
function removeAll(partial: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal'])
    rmSync(`${partial}${suffix}`, { force: true });
  rmSync(`${partial}.recordings`, { recursive: true, force: true });
}

/**
 * Recording files copied at once: cold reads overlap. 2, not 4: as fast within the bench's noise,
 * and half the dirty data a recording's `fdatasync` may queue behind (docs/benchmarks.md).
 */
const FILES_AT_ONCE = 2;

interface SnapshotFile {
  id: string;
  /** Finalised: the file never changes again, and a copy of it is created only once. */
  finished: boolean;
}

/**
 * Copies the files of the recordings the snapshot holds, up to their size now, a few at a time.
 * A finished file never changes; a running one is read in pieces to its size when the copy
 * began, and its torn tail is cut when the restore first opens it. A file removed meanwhile
 * (destroyed since) is left out. The folder itself is synced last, so every name is on disk too.
 */
async function copyRecordingFiles(
  vaultDir: string,
  files: SnapshotFile[],
  to: string,
  gaps: WriterGaps,
) {
  if (files.length === 0) return;
  mkdirSync(to, { mode: 0o700 });
  const from = join(vaultDir, RECORDINGS_FOLDER);
  const queue = [...files];
  const worker = async () => {
    // Each worker its own buffer: pieces of two files are never in one at the same time.
    let piece: Buffer | null = null;
    for (let file = queue.shift(); file; file = queue.shift()) {
      const source = audioFilePath(from, file.id);
      const target = audioFilePath(to, file.id);
      try {
        piece ??= Buffer.allocUnsafe(PIECE_BYTES);
        await copyInPieces(source, target, file.finished ? 'wx' : 'w', piece, gaps);
      } catch (error) {
        // The others stop at their next file: the partial copy is removed once all have.
        queue.length = 0;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(
    Array.from({ length: Math.min(FILES_AT_ONCE, files.length) }, worker),
  );
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  const folder = openSync(to, 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
}

export async function backup(vaultDir: string, outFile: string): Promise<BackupReport> {
  const source = join(vaultDir, VAULT_FILE_NAME);
  if (!existsSync(source)) return fail(3, `There is no ${VAULT_FILE_NAME} in ${vaultDir}.`);
  if (existsSync(outFile)) return fail(3, `${outFile} already exists: choose a new file name.`);
  const partial = `${outFile}.partial`;
  if (existsSync(partial) || existsSync(`${partial}.recordings`))
    return fail(3, `${partial} exists (an earlier backup stopped): remove it first.`);
  if (existsSync(`${outFile}.recordings`))
    return fail(3, `${outFile}.recordings already exists: choose a new file name.`);
  const { default: Database } = await import('better-sqlite3');
  // Created owner-only before SQLite writes a byte; SQLite gives its journals the same mode.
  try {
    closeSync(openSync(partial, 'wx', 0o600));
  } catch (error) {
    return fail(
      3,
      `${partial} cannot be created: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
  const db = new Database(source, { readonly: true, fileMustExist: true });
  let gaps: WriterGaps | undefined;
  let version: number;
  let vaultId: string;
  try {
    // The first read inside BEGIN pins the snapshot: from here no checkpoint passes it and the WAL
    // is not restarted under frames it uses, so the file then the WAL copy recover to it or later.
    db.exec('BEGIN');
    version = db.pragma('user_version', { simple: true }) as number;
    vaultId = (
      db.prepare('SELECT hex(vault_id) AS id FROM vault_meta WHERE singleton = 1').get() as {
        id: string;
      }
    ).id;
    const fileRecordings = hasStorageColumn(db)
      ? (
          db
            .prepare(
              "SELECT recording_id AS id, state = 'finalised' AS finished FROM recordings WHERE storage = 'file' AND ciphertext_removed_at IS NULL",
            )
            .all() as { id: string; finished: number }[]
        ).map((row) => ({ id: row.id, finished: row.finished === 1 }))
      : [];
    // A session recording now keeps its appends' turn on the disk: the copy goes in its gaps.
    gaps = new WriterGaps(vaultDir, recordingNow(db));
    // One buffer for every file: a fresh zero-filled 8 MiB per file took 181 ms of a backup of 12
    // recordings (load 20), growing with every recording. No zeros needed: only bytes just read
    // into it are written out.
    const piece = Buffer.allocUnsafe(PIECE_BYTES);
    await copyInPieces(source, partial, 'r+', piece, gaps);
    await copyInPieces(`${source}-wal`, `${partial}-wal`, 'w', piece, gaps);
    await copyRecordingFiles(vaultDir, fileRecordings, `${partial}.recordings`, gaps);
  } catch (error) {
    removeAll(partial);
    return fail(1, `The backup could not be written: ${(error as Error).message}`);
  } finally {
    gaps?.close();
    if (db.inTransaction) db.exec('COMMIT');
    db.close();
  }
  try {
    // Opening the copy replays its WAL up to the last whole commit; the vault's WAL mode came with
    // it, and a read-only open would leave -wal and -shm files behind, so the copy becomes a
    // single rollback-journal file first.
    const writable = new Database(partial, { fileMustExist: true });
    try {
      writable.pragma('journal_mode = DELETE');
    } finally {
      writable.close();
    }
    const copy = new Database(partial, { readonly: true, fileMustExist: true });
    try {
      const copyVersion = copy.pragma('user_version', { simple: true }) as number;
      const check = copy.pragma('quick_check', { simple: true });
      const copyId = (
        copy.prepare('SELECT hex(vault_id) AS id FROM vault_meta WHERE singleton = 1').get() as
          { id: string } | undefined
      )?.id;
      if (copyVersion !== version || check !== 'ok' || copyId !== vaultId)
        throw new Error(
          `the copy reads back differently (schema ${copyVersion}, check ${String(check)})`,
        );
    } finally {
      copy.close();
    }
    // A hard link takes the name only if it is still free; file systems without links rename.
    try {
      linkSync(partial, outFile);
      rmSync(partial);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new Error(`${outFile} appeared while the backup ran`);
      if (existsSync(outFile)) throw error;
      renameSync(partial, outFile);
    }
    if (existsSync(`${partial}.recordings`))
      renameSync(`${partial}.recordings`, `${outFile}.recordings`);
  } catch (error) {
    removeAll(partial);
    return fail(1, `The backup was not kept: ${(error as Error).message}.`);
  }
  removeAll(partial);
  const heard =
    gaps && gaps.writesHeard > 0
      ? ` A session was recording: the copy went between its writes (${(gaps.waitedMs / 1000).toFixed(1)} s spent waiting).`
      : '';
  return {
    ok: true,
    exitCode: 0,
    message: `Backed up ${source} to ${outFile}${existsSync(`${outFile}.recordings`) ? ` and its recording files to ${outFile}.recordings` : ''} (schema ${version}, vault ${vaultId.toLowerCase()}).${heard} It is encrypted as the vault is: keep the passphrase or recovery key to open it.`,
  };
}

/** The recordings being made as the snapshot was taken, and where their chunks go. */
function recordingNow(db: DatabaseHandle): RecordingNow[] {
  const storage = hasStorageColumn(db) ? 'storage' : "'sqlite'";
  return (
    db
      .prepare(
        `SELECT recording_id AS id, ${storage} = 'file' AS inFile FROM recordings WHERE state = 'recording'`,
      )
      .all() as { id: string; inFile: number }[]
  ).map((row) => ({ id: row.id, inFile: row.inFile === 1 }));
}

/** Vaults from before 0070 keep every recording in the file itself. */
type DatabaseHandle = { prepare: (sql: string) => { all: () => unknown[] } };

function hasStorageColumn(db: DatabaseHandle): boolean {
  return (
    db.prepare("SELECT name FROM pragma_table_info('recordings')").all() as { name: string }[]
  ).some((column) => column.name === 'storage');
}
