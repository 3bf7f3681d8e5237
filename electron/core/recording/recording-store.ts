// The vault's recordings: rows and sealed chunks (sealed-chunks.ts), and what is done to a
// recording's timeline after that: markers with sealed labels, parts removed (partial deletion,
// recorded as gaps the player shows) and destruction of all its audio.
import { open, randomBytes, seal, toHex, utf8 } from '../platform/crypto';
import { checkpointAndTruncateWal } from '../platform/db';
import { ChunkIntegrityError } from './chunk-integrity-error';
import { chunkId } from './chunk-format';
import { SealedChunkStore } from './chunk-store';

export class RecordingStore extends SealedChunkStore {
  private markerAssociatedData(recordingId: string, markerId: string, atMs: number): Uint8Array {
    return utf8.encode(
      `session-vault/marker/v1|${toHex(this.vaultId)}|${recordingId}|${markerId}|${atMs}`,
    );
  }

  addMarker(recordingId: string, recordingKey: Uint8Array, atMs: number, label: string): string {
    const recording = this.get(recordingId);
    const markerId = toHex(randomBytes(16));
    const sealed = seal(
      recordingKey,
      utf8.encode(label),
      this.markerAssociatedData(recordingId, markerId, atMs),
    );
    this.stmt(
      'INSERT INTO markers (marker_id, rec_no, at_ms, nonce, sealed_label) VALUES (?, ?, ?, ?, ?)',
    ).run(markerId, recording.recNo, atMs, sealed.nonce, sealed.ciphertext);
    return markerId;
  }

  markers(
    recordingId: string,
    recordingKey: Uint8Array,
  ): { markerId: string; atMs: number; label: string }[] {
    const recording = this.get(recordingId);
    const rows = this.stmt(
      'SELECT marker_id, at_ms, nonce, sealed_label FROM markers WHERE rec_no = ? ORDER BY at_ms',
    ).all(recording.recNo) as {
      marker_id: string;
      at_ms: number;
      nonce: Buffer;
      sealed_label: Buffer;
    }[];
    return rows.map((row) => {
      const label = open(
        recordingKey,
        { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.sealed_label) },
        this.markerAssociatedData(recordingId, row.marker_id, row.at_ms),
      );
      if (!label)
        throw new ChunkIntegrityError('CHUNK_ALTERED', recordingId, -1, `marker ${row.marker_id}`);
      return { markerId: row.marker_id, atMs: row.at_ms, label: utf8.decode(label) };
    });
  }

  removedRanges(recordingId: string): { fromMs: number; toMs: number }[] {
    const recording = this.get(recordingId);
    return (
      this.stmt('SELECT from_ms, to_ms FROM removed_ranges WHERE rec_no = ? ORDER BY from_ms').all(
        recording.recNo,
      ) as {
        from_ms: number;
        to_ms: number;
      }[]
    ).map((row) => ({ fromMs: row.from_ms, toMs: row.to_ms }));
  }

  /**
   * Destroys the audio for good: the caller has deleted the recording key already; here the
   * ciphertext goes, and the WAL is checkpointed and emptied so no copy stays in either file.
   */
  destroyChunks(recordingId: string, reason: string): void {
    const recording = this.get(recordingId);
    this.db.transaction(() => {
      this.stmt('DELETE FROM markers WHERE rec_no = ?').run(recording.recNo);
      this.stmt('DELETE FROM chunks WHERE chunk_id >= ? AND chunk_id < ?').run(
        chunkId(recording.recNo, 0),
        chunkId(recording.recNo + 1, 0),
      );
      this.stmt(
        "UPDATE recordings SET state = 'destroyed', destroyed_at = ?, destroy_reason = ? WHERE rec_no = ?",
      ).run(this.now(), reason, recording.recNo);
    })();
    checkpointAndTruncateWal(this.db);
  }

  /**
   * Partial deletion: destroys every audio chunk that overlaps [fromMs, toMs) (never chunk 0, the
   * container header, nor the end marker) and records the gap so the player can show it.
   */
  destroyRange(
    recordingId: string,
    fromMs: number,
    toMs: number,
  ): { removedChunks: number; fromMs: number; toMs: number } {
    const recording = this.get(recordingId);
    const chunks = this.index(recordingId).filter(
      (c) => c.seq > 0 && c.startMs < toMs && c.startMs + c.durationMs > fromMs,
    );
    if (chunks.length === 0) return { removedChunks: 0, fromMs, toMs };
    const first = chunks[0]!;
    const last = chunks.at(-1)!;
    const gapFrom = first.startMs;
    const gapTo = last.startMs + last.durationMs;
    this.db.transaction(() => {
      const remove = this.stmt('DELETE FROM chunks WHERE chunk_id = ?');
      for (const c of chunks) remove.run(chunkId(recording.recNo, c.seq));
      this.stmt('DELETE FROM markers WHERE rec_no = ? AND at_ms >= ? AND at_ms < ?').run(
        recording.recNo,
        gapFrom,
        gapTo,
      );
      this.stmt(
        'INSERT INTO removed_ranges (rec_no, from_seq, to_seq, from_ms, to_ms, removed_at) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(recording.recNo, first.seq, last.seq, gapFrom, gapTo, this.now());
    })();
    checkpointAndTruncateWal(this.db);
    return { removedChunks: chunks.length, fromMs: gapFrom, toMs: gapTo };
  }
}
