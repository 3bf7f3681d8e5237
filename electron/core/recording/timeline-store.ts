// What is done to a recording's timeline after it was recorded: markers with labels sealed with
// the recording key, and the parts removed (recorded as gaps the player shows).
import type { Database } from 'better-sqlite3';
import { open, randomBytes, seal, toHex, utf8 } from '../platform/crypto';
import { ChunkIntegrityError } from './chunk-integrity-error';

export class TimelineStore {
  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly now: () => number,
  ) {}

  private markerAssociatedData(recordingId: string, markerId: string, atMs: number): Uint8Array {
    return utf8.encode(
      `session-vault/marker/v1|${toHex(this.vaultId)}|${recordingId}|${markerId}|${atMs}`,
    );
  }

  addMarker(
    recording: { recordingId: string; recNo: number },
    recordingKey: Uint8Array,
    atMs: number,
    label: string,
  ): string {
    const markerId = toHex(randomBytes(16));
    const sealed = seal(
      recordingKey,
      utf8.encode(label),
      this.markerAssociatedData(recording.recordingId, markerId, atMs),
    );
    this.db
      .prepare(
        'INSERT INTO markers (marker_id, rec_no, at_ms, nonce, sealed_label) VALUES (?, ?, ?, ?, ?)',
      )
      .run(markerId, recording.recNo, atMs, sealed.nonce, sealed.ciphertext);
    return markerId;
  }

  /** Seals a new label for a marker already made (a moment marked with one key, labelled later). */
  relabelMarker(
    recording: { recordingId: string; recNo: number },
    recordingKey: Uint8Array,
    markerId: string,
    label: string,
  ): boolean {
    const row = this.db
      .prepare('SELECT at_ms FROM markers WHERE rec_no = ? AND marker_id = ?')
      .get(recording.recNo, markerId) as { at_ms: number } | undefined;
    if (!row) return false;
    const sealed = seal(
      recordingKey,
      utf8.encode(label),
      this.markerAssociatedData(recording.recordingId, markerId, row.at_ms),
    );
    this.db
      .prepare('UPDATE markers SET nonce = ?, sealed_label = ? WHERE rec_no = ? AND marker_id = ?')
      .run(sealed.nonce, sealed.ciphertext, recording.recNo, markerId);
    return true;
  }

  markers(
    recording: { recordingId: string; recNo: number },
    recordingKey: Uint8Array,
  ): { markerId: string; atMs: number; label: string }[] {
    const rows = this.db
      .prepare(
        'SELECT marker_id, at_ms, nonce, sealed_label FROM markers WHERE rec_no = ? ORDER BY at_ms',
      )
      .all(recording.recNo) as {
      marker_id: string;
      at_ms: number;
      nonce: Buffer;
      sealed_label: Buffer;
    }[];
    return rows.map((row) => {
      const label = open(
        recordingKey,
        { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.sealed_label) },
        this.markerAssociatedData(recording.recordingId, row.marker_id, row.at_ms),
      );
      if (!label)
        throw new ChunkIntegrityError(
          'CHUNK_ALTERED',
          recording.recordingId,
          -1,
          `marker ${row.marker_id}`,
        );
      return { markerId: row.marker_id, atMs: row.at_ms, label: utf8.decode(label) };
    });
  }

  deleteMarkers(recNo: number, range?: { fromMs: number; toMs: number }): void {
    if (range)
      this.db
        .prepare('DELETE FROM markers WHERE rec_no = ? AND at_ms >= ? AND at_ms < ?')
        .run(recNo, range.fromMs, range.toMs);
    else this.db.prepare('DELETE FROM markers WHERE rec_no = ?').run(recNo);
  }

  removedRanges(recNo: number): { fromSeq: number; toSeq: number; fromMs: number; toMs: number }[] {
    return (
      this.db
        .prepare(
          'SELECT from_seq, to_seq, from_ms, to_ms FROM removed_ranges WHERE rec_no = ? ORDER BY from_ms',
        )
        .all(recNo) as { from_seq: number; to_seq: number; from_ms: number; to_ms: number }[]
    ).map((row) => ({
      fromSeq: row.from_seq,
      toSeq: row.to_seq,
      fromMs: row.from_ms,
      toMs: row.to_ms,
    }));
  }

  addRemovedRange(
    recNo: number,
    range: { fromSeq: number; toSeq: number; fromMs: number; toMs: number },
  ): void {
    this.db
      .prepare(
        'INSERT INTO removed_ranges (rec_no, from_seq, to_seq, from_ms, to_ms, removed_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(recNo, range.fromSeq, range.toSeq, range.fromMs, range.toMs, this.now());
  }
}
