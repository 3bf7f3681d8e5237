// A full disk while recording: telling SQLite's full-disk error apart, and the recordings cut
// short whose row still says 'recording' because even that could not be written.
import type { VaultService } from '../vault/vault-service';

export function isDiskFull(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    ((error as { code: unknown }).code === 'SQLITE_FULL' ||
      (error as { code: unknown }).code === 'ENOSPC')
  );
}

/** Recordings cut short whose row still says 'recording' because the disk was full. */
export class UnmarkedInterruptions {
  private readonly unmarked = new Set<string>();

  constructor(private readonly lifecycle: VaultService) {}

  /** Marks the recording interrupted; if even that cannot be written, `retry` tries again. */
  mark(recordingId: string): void {
    if (!this.markInterrupted(recordingId)) this.unmarked.add(recordingId);
  }

  retry(): void {
    for (const recordingId of this.unmarked)
      if (this.markInterrupted(recordingId)) this.unmarked.delete(recordingId);
  }

  private markInterrupted(recordingId: string): boolean {
    try {
      this.lifecycle.opened().recordings.markOneInterrupted(recordingId);
      return true;
    } catch {
      return false;
    }
  }
}
