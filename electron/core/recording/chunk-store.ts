// Sealed chunk storage: one interface, two places. Recordings made before migration 0070 keep
// their chunks in the `chunks` table (SqliteChunkStore, here); newer ones in a file of their own
// (FileChunkStore). Each chunk is sealed with its recording's key; the associated data binds
// vault id, recording id, sequence number, time index and the final flag, so a chunk that is
// altered, moved, copied, taken from another recording or cut off at the end does not open.
// A recording ends with a sealed, empty end marker (final = 1).
import { VaultError } from '../../../shared/errors';
import { seal } from '../platform/crypto';
import type { ChunkSource } from './chunk-diagnosis';
import { ChunkOpener, missingChunkError, verifyChunks } from './chunk-opening';
import {
  MAX_CHUNK_BYTES,
  SEQ_SPAN,
  chunkAssociatedData,
  chunkId,
  type ChunkRow,
} from './chunk-format';
import type { Database, Statement } from 'better-sqlite3';
import type { RecordingRow, RecordingRowStore, RecordingState } from './recording-row-store';

export interface ChunkIndexEntry {
  seq: number;
  startMs: number;
  durationMs: number;
  bytes: number;
}

export interface NewChunk {
  seq: number;
  startMs: number;
  durationMs: number;
  payload: Uint8Array;
  /**
   * The waveform's bins that came with it. A recording file keeps them beside the frame, synced
   * with it; the `chunks` table does not (its recordings keep them in memory until finalise).
   */
  levels?: { firstBin: number; binMs: number; peaks: Uint8Array } | undefined;
}

/** What the recordings need from wherever a recording's chunks are kept. */
export interface ChunkStore {
  /** Seals one chunk and makes it durable before returning (the one second a crash may lose). */
  append(recordingId: string, recordingKey: Uint8Array, chunk: NewChunk): void;
  /** Seals the end marker: after it, a missing tail is detected as truncation. */
  finalise(
    recordingId: string,
    recordingKey: Uint8Array,
    state: 'finalised' | 'interrupted',
  ): RecordingRow;
  index(recordingId: string): ChunkIndexEntry[];
  seqAt(recordingId: string, positionMs: number): number | null;
  openChunk(
    recordingId: string,
    recordingKey: Uint8Array,
    seq: number,
    otherKeys?: () => Iterable<{ recordingId: string; key: Uint8Array }>,
  ): Uint8Array;
  verify(
    recordingId: string,
    recordingKey: Uint8Array,
    removed: { fromSeq: number; toSeq: number }[],
  ): number;
  /** Forgets one chunk (inside the caller's transaction). */
  deleteOne(recNo: number, seq: number): void;
}

export class SqliteChunkStore implements ChunkStore {
  /** Prepared once: preparing on every chunk read cost more than decrypting it. */
  private readonly statements = new Map<string, Statement>();
  private readonly opener: ChunkOpener;
  private readonly insertChunk: Statement;
  private readonly lastChunk: Statement;

  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly rows: RecordingRowStore,
  ) {
    this.opener = new ChunkOpener(vaultId, rows, () => this.diagnosisSource());
    this.insertChunk = db.prepare(
      'INSERT INTO chunks (chunk_id, rec_no, seq, start_ms, duration_ms, nonce, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.lastChunk = db.prepare(
      'SELECT seq, start_ms, duration_ms FROM chunks WHERE chunk_id >= ? AND chunk_id < ? ORDER BY chunk_id DESC LIMIT 1',
    );
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** The next sequence number the recording expects. */
  nextSeq(recNo: number): number {
    const last = this.lastChunk.get(chunkId(recNo, 0), chunkId(recNo + 1, 0)) as
      ChunkRow | undefined;
    return last ? last.seq + 1 : 0;
  }

  /**
   * Seals and commits one chunk in its own transaction. Refuses a recording that is not being
   * recorded, a sequence number other than the next one, and an oversized chunk.
   */
  append(recordingId: string, recordingKey: Uint8Array, chunk: NewChunk): void {
    if (chunk.payload.byteLength > MAX_CHUNK_BYTES) throw new VaultError('CHUNK_TOO_LARGE');
    this.db.transaction(() => {
      const recording = this.rows.get(recordingId);
      if (recording.state !== 'recording') throw new VaultError('RECORDING_NOT_ARMED');
      if (chunk.seq !== this.nextSeq(recording.recNo))
        throw new VaultError('CHUNK_OUT_OF_SEQUENCE');
      const sealed = seal(
        recordingKey,
        chunk.payload,
        chunkAssociatedData(this.vaultId, recordingId, chunk.seq, chunk.startMs, false),
      );
      this.insertChunk.run(
        chunkId(recording.recNo, chunk.seq),
        recording.recNo,
        chunk.seq,
        chunk.startMs,
        chunk.durationMs,
        sealed.nonce,
        sealed.ciphertext,
      );
    })();
  }

  /** Seals the end marker: after it, a missing tail is detected as truncation. */
  finalise(
    recordingId: string,
    recordingKey: Uint8Array,
    state: 'finalised' | 'interrupted' = 'finalised',
  ): RecordingRow {
    this.db.transaction(() => {
      const recording = this.rows.get(recordingId);
      if (
        recording.state !== 'recording' &&
        !(recording.state === 'interrupted' && recording.finalSeq === null)
      )
        throw new VaultError('RECORDING_NOT_ARMED');
      const seq = this.nextSeq(recording.recNo);
      const last = this.lastChunk.get(
        chunkId(recording.recNo, 0),
        chunkId(recording.recNo + 1, 0),
      ) as ChunkRow | undefined;
      const endMs = last ? last.start_ms + last.duration_ms : 0;
      const sealed = seal(
        recordingKey,
        new Uint8Array(0),
        chunkAssociatedData(this.vaultId, recordingId, seq, endMs, true),
      );
      this.insertChunk.run(
        chunkId(recording.recNo, seq),
        recording.recNo,
        seq,
        endMs,
        0,
        sealed.nonce,
        sealed.ciphertext,
      );
      this.rows.setFinal(recording.recNo, state, seq);
    })();
    return this.rows.get(recordingId);
  }

  /** The time index, audio chunks only (the end marker is not audio). */
  index(recordingId: string): ChunkIndexEntry[] {
    const recording = this.rows.get(recordingId);
    const rows = this.stmt(
      'SELECT seq, start_ms, duration_ms, length(ciphertext) AS bytes FROM chunks WHERE chunk_id >= ? AND chunk_id < ? ORDER BY chunk_id',
    ).all(chunkId(recording.recNo, 0), chunkId(recording.recNo + 1, 0)) as {
      seq: number;
      start_ms: number;
      duration_ms: number;
      bytes: number;
    }[];
    return rows
      .filter((row) => row.seq !== recording.finalSeq)
      .map((row) => ({
        seq: row.seq,
        startMs: row.start_ms,
        durationMs: row.duration_ms,
        bytes: row.bytes - 16,
      }));
  }

  /** The chunk that holds `positionMs`, for seeking. */
  seqAt(recordingId: string, positionMs: number): number | null {
    const recording = this.rows.get(recordingId);
    const row = this.stmt(
      'SELECT seq FROM chunks WHERE chunk_id >= ? AND chunk_id < ? AND start_ms <= ? AND duration_ms > 0 ORDER BY chunk_id DESC LIMIT 1',
    ).get(chunkId(recording.recNo, 0), chunkId(recording.recNo + 1, 0), positionMs) as
      { seq: number } | undefined;
    return row?.seq ?? null;
  }

  private chunkRow(recNo: number, seq: number): ChunkRow | undefined {
    return this.stmt(
      'SELECT seq, start_ms, duration_ms, nonce, ciphertext FROM chunks WHERE chunk_id = ?',
    ).get(chunkId(recNo, seq)) as ChunkRow | undefined;
  }

  /**
   * Opens chunk `seq`. Throws a ChunkIntegrityError naming what was done to it when it does
   * not open; `otherKeys` (other recordings' keys) lets it tell a splice from an alteration.
   */
  openChunk(
    recordingId: string,
    recordingKey: Uint8Array,
    seq: number,
    otherKeys: () => Iterable<{ recordingId: string; key: Uint8Array }> = () => [],
  ): Uint8Array {
    // One read for the recording's state and the chunk: this runs for every second played.
    const found = this.stmt(
      `SELECT r.rec_no, r.state, r.final_seq, c.seq, c.start_ms, c.duration_ms, c.nonce, c.ciphertext
       FROM recordings r LEFT JOIN chunks c ON c.chunk_id = r.rec_no * ${SEQ_SPAN} + ?
       WHERE r.recording_id = ?`,
    ).get(seq, recordingId) as
      | (Partial<ChunkRow> & { rec_no: number; state: RecordingState; final_seq: number | null })
      | undefined;
    if (!found) throw new VaultError('NOT_FOUND');
    if (found.state === 'destroyed') throw new VaultError('RECORDING_DESTROYED');
    if (!found.ciphertext)
      throw missingChunkError(recordingId, seq, found.final_seq, this.nextSeq(found.rec_no) - 1);
    const row = found as ChunkRow;
    return this.opener.open(
      { recordingId, row, final: found.final_seq === seq },
      recordingKey,
      otherKeys,
    );
  }

  /** What the diagnosis of a chunk that did not open needs to read. */
  private diagnosisSource(): ChunkSource {
    return {
      vaultId: this.vaultId,
      seqsOf: (recNo) =>
        this.stmt(
          'SELECT seq, start_ms FROM chunks WHERE chunk_id >= ? AND chunk_id < ? ORDER BY chunk_id',
        ).all(chunkId(recNo, 0), chunkId(recNo + 1, 0)) as { seq: number; start_ms: number }[],
      chunkRow: (recNo, seq) => this.chunkRow(recNo, seq),
      seqsOfRecording: (recordingId) =>
        this.stmt(
          'SELECT c.seq, c.start_ms FROM chunks c JOIN recordings r ON r.rec_no = c.rec_no WHERE r.recording_id = ?',
        ).all(recordingId) as { seq: number; start_ms: number }[],
    };
  }

  verify(
    recordingId: string,
    recordingKey: Uint8Array,
    removed: { fromSeq: number; toSeq: number }[],
  ): number {
    const recording = this.rows.get(recordingId);
    return verifyChunks(recording, this.nextSeq(recording.recNo) - 1, removed, {
      has: (seq) => this.chunkRow(recording.recNo, seq) !== undefined,
      open: (seq) => this.openChunk(recordingId, recordingKey, seq),
    });
  }

  /** Deletes every chunk of a recording: its audio is gone for good. */
  deleteAll(recNo: number): void {
    this.stmt('DELETE FROM chunks WHERE chunk_id >= ? AND chunk_id < ?').run(
      chunkId(recNo, 0),
      chunkId(recNo + 1, 0),
    );
  }

  /** Deletes up to `limit` of a recording's chunks; returns how many went. */
  deleteSome(recNo: number, limit: number): number {
    return this.stmt(
      'DELETE FROM chunks WHERE chunk_id IN (SELECT chunk_id FROM chunks WHERE chunk_id >= ? AND chunk_id < ? LIMIT ?)',
    ).run(chunkId(recNo, 0), chunkId(recNo + 1, 0), limit).changes;
  }

  deleteOne(recNo: number, seq: number): void {
    this.stmt('DELETE FROM chunks WHERE chunk_id = ?').run(chunkId(recNo, seq));
  }
}
