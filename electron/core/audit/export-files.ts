// The files access-log exports are written to. Main writes every page itself, to the place the
// person chose in main's own save dialog: the page never holds a file, so it cannot save audio
// (or anything else) by calling it an export. An export that does not finish leaves no file:
// a failed write or page, an abandoned export or a lock mid-export close and delete what was
// written.
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { VaultError } from '../../../shared/errors';
import type { VaultService } from '../vault/vault-service';

/** Where an export goes: in the app, main's save dialog. */
export interface ExportFileChooser {
  /** An absolute path the person chose, or null when they cancelled. */
  choose(suggestedName: string): Promise<string | null>;
  /** Shows a finished export in its folder (in the app, the OS file manager). */
  reveal?(path: string): void;
}

interface OpenExportFile {
  fd: number;
  path: string;
}

export class ExportFiles {
  private readonly files = new Map<string, OpenExportFile>();
  /** Where this session's finished exports went, for "Show in folder". */
  private readonly finished = new Map<string, string>();
  private readonly vaultFolder: string;

  constructor(lifecycle: VaultService) {
    this.vaultFolder = dirname(resolve(lifecycle.path));
    // A lock ends every export; a half-written file is not an export.
    lifecycle.onLock(() => {
      for (const exportId of [...this.files.keys()]) this.discard(exportId);
      this.finished.clear();
    });
  }

  /** Creates (or empties) the chosen file for this export; returns the name to show. */
  open(exportId: string, path: string): string {
    const target = resolve(path);
    // Writing over the vault or its WAL would destroy what the export describes.
    const inVault = relative(this.vaultFolder, target);
    const outside = inVault === '..' || inVault.startsWith(`..${sep}`) || isAbsolute(inVault);
    if (!outside)
      throw new VaultError(
        'EXPORT_NOT_SAVED',
        'An export cannot be saved in the vault’s own folder. Choose another place and export again.',
      );
    let fd: number;
    try {
      // Owner-only: the log names who did what, and when.
      fd = openSync(target, 'w', 0o600);
    } catch (error) {
      throw new VaultError('EXPORT_NOT_SAVED', undefined, { cause: error });
    }
    this.files.set(exportId, { fd, path: target });
    return basename(target);
  }

  /** Appends one page; on failure the file is deleted and the error says so. */
  append(exportId: string, text: string): void {
    const file = this.files.get(exportId);
    if (!file) throw new VaultError('NOT_FOUND', 'That export has ended. Start it again.');
    try {
      const bytes = Buffer.from(text, 'utf8');
      for (let at = 0; at < bytes.length;) at += writeSync(file.fd, bytes, at, bytes.length - at);
    } catch (error) {
      this.discard(exportId);
      throw new VaultError('EXPORT_NOT_SAVED', undefined, { cause: error });
    }
  }

  /** The last page is written: the file is complete. */
  finish(exportId: string): void {
    const file = this.files.get(exportId);
    if (!file) return;
    try {
      fsyncSync(file.fd);
      this.files.delete(exportId);
      closeSync(file.fd);
      this.finished.set(exportId, file.path);
    } catch (error) {
      this.discard(exportId);
      throw new VaultError('EXPORT_NOT_SAVED', undefined, { cause: error });
    }
  }

  /** The path main wrote a finished export of this session to; null for any other id. */
  finishedPath(exportId: string): string | null {
    return this.finished.get(exportId) ?? null;
  }

  /** Closes and deletes an unfinished export's file. Safe for an export that has none. */
  discard(exportId: string): void {
    const file = this.files.get(exportId);
    if (!file) return;
    this.files.delete(exportId);
    try {
      closeSync(file.fd);
    } catch {
      // Already closed by a failed write: the file is still removed below.
    }
    rmSync(file.path, { force: true });
  }

  /** Drops the files of exports that main no longer holds a cursor for. */
  discardAllBut(isOpen: (exportId: string) => boolean): void {
    for (const exportId of [...this.files.keys()]) if (!isOpen(exportId)) this.discard(exportId);
  }
}
