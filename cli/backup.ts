// `backup`: a consistent copy of the vault file, safe while the app runs: a read transaction pins
// a snapshot, the file and then its WAL are copied, and the copy recovers to a whole commit at or
// after that snapshot. SQLite's online backup restarted on every write and never finished while
// a session recorded (issue 16); a held snapshot is never restarted by a writer. The copy is the same ciphertext: it stays encrypted and needs the same
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
import { closeSync, existsSync, linkSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VAULT_FILE_NAME } from '../electron/core/platform/db';
import { RECORDINGS_FOLDER, audioFilePath } from '../electron/core/recording/audio-file';

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
const PIECE_BYTES = 8 * 1024 * 1024;
/** Dirty data is flushed this often: a writer's fsync then never waits for a whole file's worth. */
const SYNC_EVERY_BYTES = 64 * 1024 * 1024;

/**
 * Copies what `from` holds now into `to` (created or appended to). Stops at the size it had when
 * the copy began: what a writer appends later belongs to a commit after the snapshot.
 */
async function copyInPieces(
  from: string,
  to: string,
  flags: 'r+' | 'w',
  piece: Buffer,
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
    for (let offset = 0; offset < size;) {
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
      if (sinceSync >= SYNC_EVERY_BYTES) {
        await target.datasync();
        sinceSync = 0;
      }
    }
    await target.datasync();
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
 * Copies the files of the recordings the snapshot holds, up to their size now. A finished file
 * never changes; a running one is cut to its last whole frame when the copy is first opened.
 * A file removed meanwhile (destroyed since) is left out.
 */
async function copyRecordingFiles(
  vaultDir: string,
  recordingIds: string[],
  to: string,
  piece: Buffer,
) {
  if (recordingIds.length === 0) return;
  mkdirSync(to, { mode: 0o700 });
  for (const recordingId of recordingIds)
    await copyInPieces(
      audioFilePath(join(vaultDir, RECORDINGS_FOLDER), recordingId),
      audioFilePath(to, recordingId),
      'w',
      piece,
    );
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
    // One buffer for every file: a fresh zero-filled 8 MiB per file took 181 ms of a backup of 12
    // recordings (load 20), growing with every recording. No zeros needed: only bytes just read
    // into it are written out.
    const piece = Buffer.allocUnsafe(PIECE_BYTES);
    await copyInPieces(source, partial, 'r+', piece);
    await copyInPieces(`${source}-wal`, `${partial}-wal`, 'w', piece);
    const fileRecordings = hasStorageColumn(db)
      ? (
          db
            .prepare(
              "SELECT recording_id AS id FROM recordings WHERE storage = 'file' AND ciphertext_removed_at IS NULL",
            )
            .all() as { id: string }[]
        ).map((row) => row.id)
      : [];
    await copyRecordingFiles(vaultDir, fileRecordings, `${partial}.recordings`, piece);
  } catch (error) {
    removeAll(partial);
    return fail(1, `The backup could not be written: ${(error as Error).message}`);
  } finally {
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
  return {
    ok: true,
    exitCode: 0,
    message: `Backed up ${source} to ${outFile}${existsSync(`${outFile}.recordings`) ? ` and its recording files to ${outFile}.recordings` : ''} (schema ${version}, vault ${vaultId.toLowerCase()}). It is encrypted as the vault is: keep the passphrase or recovery key to open it.`,
  };
}

/** Vaults from before 0070 keep every recording in the file itself. */
function hasStorageColumn(db: { prepare: (sql: string) => { all: () => unknown[] } }): boolean {
  return (
    db.prepare("SELECT name FROM pragma_table_info('recordings')").all() as { name: string }[]
  ).some((column) => column.name === 'storage');
}
