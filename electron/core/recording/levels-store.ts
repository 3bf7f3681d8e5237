// The loudness of a recording over time (one byte per bin, 0 silent to 255 full scale), sealed
// with the recording key: the player draws its waveform from this, never from decoded audio.
import type { Database } from 'better-sqlite3';
import { open, seal, toHex, utf8 } from '../platform/crypto';
import { ChunkIntegrityError } from './chunk-integrity-error';

export interface RecordingLevels {
  /** Milliseconds of recorded time each byte covers. */
  binMs: number;
  peaks: Uint8Array;
}

export class LevelsStore {
  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
  ) {}

  private associatedData(recordingId: string, binMs: number): Uint8Array {
    return utf8.encode(`session-vault/levels/v1|${toHex(this.vaultId)}|${recordingId}|${binMs}`);
  }

  save(
    recording: { recordingId: string; recNo: number },
    recordingKey: Uint8Array,
    levels: RecordingLevels,
  ): void {
    const sealed = seal(
      recordingKey,
      levels.peaks,
      this.associatedData(recording.recordingId, levels.binMs),
    );
    this.db
      .prepare(
        'INSERT OR REPLACE INTO recording_levels (rec_no, bin_ms, nonce, sealed_levels) VALUES (?, ?, ?, ?)',
      )
      .run(recording.recNo, levels.binMs, sealed.nonce, sealed.ciphertext);
  }

  /** Null for a recording with none kept (made before levels were, or cut short by a crash). */
  read(
    recording: { recordingId: string; recNo: number },
    recordingKey: Uint8Array,
  ): RecordingLevels | null {
    const row = this.db
      .prepare('SELECT bin_ms, nonce, sealed_levels FROM recording_levels WHERE rec_no = ?')
      .get(recording.recNo) as { bin_ms: number; nonce: Buffer; sealed_levels: Buffer } | undefined;
    if (!row) return null;
    const peaks = open(
      recordingKey,
      { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.sealed_levels) },
      this.associatedData(recording.recordingId, row.bin_ms),
    );
    if (!peaks) throw new ChunkIntegrityError('CHUNK_ALTERED', recording.recordingId, -1, 'levels');
    return { binMs: row.bin_ms, peaks };
  }

  delete(recNo: number): void {
    this.db.prepare('DELETE FROM recording_levels WHERE rec_no = ?').run(recNo);
  }
}
