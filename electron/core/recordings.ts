// Sealed chunk storage. Each chunk is sealed with its recording's key; the associated data binds
// vault id, recording id, sequence number, time index and the final flag, so a chunk that is
// altered, moved, copied, taken from another recording or cut off at the end does not open.
// A recording ends with a sealed, empty end marker (final = 1).
import type { Database, Statement } from 'better-sqlite3';
import { VaultError } from '../../shared/errors';
import { AEAD_NONCE_BYTES, open, randomBytes, seal, toHex, utf8 } from './crypto';
import { checkpointAndTruncateWal } from './db';
import { ChunkIntegrityError, diagnoseChunk, type ChunkSource } from './chunk-diagnosis';

export { ChunkIntegrityError };

/** A second of Opus at 32 kb/s is about 4 KiB; anything near this cap is not audio we made. */
export const MAX_CHUNK_BYTES = 256 * 1024;
const SEQ_SPAN = 4294967296;

export type RecordingState = 'recording' | 'finalised' | 'interrupted' | 'destroyed';

export interface RecordingRow {
  recNo: number;
  recordingId: string;
  clientId: string;
  startedAt: number;
  state: RecordingState;
  finalSeq: number | null;
  destroyAfter: number | null;
  destroyedAt: number | null;
  destroyReason: string | null;
}

export interface RecordingMeta {
  mimeType: string;
  consentId: string | null;
  consentVersion: number | null;
}

export interface ChunkIndexEntry {
  seq: number;
  startMs: number;
  durationMs: number;
  bytes: number;
}

export interface ChunkRow {
  seq: number;
  start_ms: number;
  duration_ms: number;
  nonce: Buffer;
  ciphertext: Buffer;
}

function chunkId(recNo: number, seq: number): number {
  return recNo * SEQ_SPAN + seq;
}

export function chunkAssociatedData(
  vaultId: Uint8Array | string,
  recordingId: string,
  seq: number,
  startMs: number,
  final: boolean,
): Uint8Array {
  const vaultHex = typeof vaultId === 'string' ? vaultId : toHex(vaultId);
  return utf8.encode(
    `session-vault/chunk/v1|${vaultHex}|${recordingId}|${seq}|${startMs}|${final ? 1 : 0}`,
  );
}

function toRecording(row: Record<string, unknown>): RecordingRow {
  return {
    recNo: row.rec_no as number,
    recordingId: row.recording_id as string,
    clientId: row.client_id as string,
    startedAt: row.started_at as number,
    state: row.state as RecordingState,
    finalSeq: (row.final_seq as number | null) ?? null,
    destroyAfter: (row.destroy_after as number | null) ?? null,
    destroyedAt: (row.destroyed_at as number | null) ?? null,
    destroyReason: (row.destroy_reason as string | null) ?? null,
  };
}

export class RecordingStore {
  private readonly vaultHex: string;
  /** Prepared once: preparing on every chunk read cost more than decrypting it. */
  private readonly statements = new Map<string, Statement>();
  private readonly insertChunk;
  private readonly lastChunk;

  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly now: () => number,
  ) {
    this.vaultHex = toHex(vaultId);
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

  create(
    recording: { recordingId: string; clientId: string; destroyAfter: number | null },
    recordingKey: Uint8Array,
    meta: RecordingMeta,
  ): RecordingRow {
    const sealed = seal(
      recordingKey,
      utf8.encode(JSON.stringify(meta)),
      this.metaAssociatedData(recording.recordingId),
    );
    this.stmt(
      `INSERT INTO recordings (recording_id, client_id, started_at, state, sealed_meta, destroy_after)
         VALUES (?, ?, ?, 'recording', ?, ?)`,
    ).run(
      recording.recordingId,
      recording.clientId,
      this.now(),
      Buffer.concat([sealed.nonce, sealed.ciphertext]),
      recording.destroyAfter,
    );
    return this.get(recording.recordingId);
  }

  private metaAssociatedData(recordingId: string): Uint8Array {
    return utf8.encode(`session-vault/recording-meta/v1|${toHex(this.vaultId)}|${recordingId}`);
  }

  updateMeta(recordingId: string, recordingKey: Uint8Array, meta: RecordingMeta): void {
    const sealed = seal(
      recordingKey,
      utf8.encode(JSON.stringify(meta)),
      this.metaAssociatedData(recordingId),
    );
    this.stmt('UPDATE recordings SET sealed_meta = ? WHERE recording_id = ?').run(
      Buffer.concat([sealed.nonce, sealed.ciphertext]),
      recordingId,
    );
  }

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

  /** The container type and details, which only a key holder may read. */
  meta(recordingId: string, recordingKey: Uint8Array): RecordingMeta {
    const row = this.stmt('SELECT sealed_meta FROM recordings WHERE recording_id = ?').get(
      recordingId,
    ) as { sealed_meta: Buffer } | undefined;
    if (!row) throw new VaultError('NOT_FOUND');
    const bytes = new Uint8Array(row.sealed_meta);
    const text = open(
      recordingKey,
      { nonce: bytes.subarray(0, AEAD_NONCE_BYTES), ciphertext: bytes.subarray(AEAD_NONCE_BYTES) },
      this.metaAssociatedData(recordingId),
    );
    if (!text) throw new ChunkIntegrityError('CHUNK_ALTERED', recordingId, -1, 'recording details');
    return JSON.parse(utf8.decode(text)) as RecordingMeta;
  }

  get(recordingId: string): RecordingRow {
    const row = this.stmt('SELECT * FROM recordings WHERE recording_id = ?').get(recordingId) as
      Record<string, unknown> | undefined;
    if (!row) throw new VaultError('NOT_FOUND');
    return toRecording(row);
  }

  list(clientId?: string): RecordingRow[] {
    const rows = (
      clientId === undefined
        ? this.stmt('SELECT * FROM recordings ORDER BY started_at').all()
        : this.db
            .prepare('SELECT * FROM recordings WHERE client_id = ? ORDER BY started_at')
            .all(clientId)
    ) as Record<string, unknown>[];
    return rows.map(toRecording);
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
  append(
    recordingId: string,
    recordingKey: Uint8Array,
    chunk: { seq: number; startMs: number; durationMs: number; payload: Uint8Array },
  ): void {
    if (chunk.payload.byteLength > MAX_CHUNK_BYTES) throw new VaultError('CHUNK_TOO_LARGE');
    this.db.transaction(() => {
      const recording = this.get(recordingId);
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
      const recording = this.get(recordingId);
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
      this.stmt('UPDATE recordings SET state = ?, final_seq = ? WHERE rec_no = ?').run(
        state,
        seq,
        recording.recNo,
      );
    })();
    return this.get(recordingId);
  }

  /** At start-up no recording can be running: any left 'recording' was cut off by a crash. */
  markInterrupted(): string[] {
    const ids = (
      this.stmt("SELECT recording_id FROM recordings WHERE state = 'recording'").all() as {
        recording_id: string;
      }[]
    ).map((row) => row.recording_id);
    this.stmt("UPDATE recordings SET state = 'interrupted' WHERE state = 'recording'").run();
    return ids;
  }

  /** Recordings cut off by a crash whose end marker still needs sealing (needs the key). */
  unsealedInterruptions(): RecordingRow[] {
    return (
      this.stmt(
        "SELECT * FROM recordings WHERE state = 'interrupted' AND final_seq IS NULL",
      ).all() as Record<string, unknown>[]
    ).map(toRecording);
  }

  /** The time index, audio chunks only (the end marker is not audio). */
  index(recordingId: string): ChunkIndexEntry[] {
    const recording = this.get(recordingId);
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
    const recording = this.get(recordingId);
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
    const row = found.ciphertext ? (found as ChunkRow) : undefined;
    if (!row) {
      const recording = this.get(recordingId);
      const last = this.nextSeq(recording.recNo) - 1;
      if (recording.finalSeq !== null && seq < recording.finalSeq && last < recording.finalSeq)
        throw new ChunkIntegrityError(
          'RECORDING_TRUNCATED',
          recordingId,
          seq,
          `chunks from ${last + 1} on are missing`,
        );
      throw new VaultError('NOT_FOUND');
    }
    const final = found.final_seq === seq;
    // Buffers are Uint8Arrays already: no copies on this path.
    const sealed = { nonce: row.nonce, ciphertext: row.ciphertext };
    if (sealed.nonce.length === AEAD_NONCE_BYTES) {
      const payload = open(
        recordingKey,
        sealed,
        chunkAssociatedData(this.vaultHex, recordingId, seq, row.start_ms, final),
      );
      if (payload) {
        if (final && payload.length > 0)
          throw new ChunkIntegrityError('CHUNK_ALTERED', recordingId, seq, 'end marker');
        return payload;
      }
    }
    throw diagnoseChunk(
      this.diagnosisSource(),
      this.get(recordingId),
      recordingKey,
      row,
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

  /** Opens every chunk in order: the first problem is thrown. Returns the audio chunk count. */
  verify(recordingId: string, recordingKey: Uint8Array): number {
    const recording = this.get(recordingId);
    const last = this.nextSeq(recording.recNo) - 1;
    if (recording.finalSeq !== null && last < recording.finalSeq)
      throw new ChunkIntegrityError(
        'RECORDING_TRUNCATED',
        recordingId,
        last + 1,
        'end marker missing',
      );
    const removed = this.stmt('SELECT from_seq, to_seq FROM removed_ranges WHERE rec_no = ?').all(
      recording.recNo,
    ) as { from_seq: number; to_seq: number }[];
    const wasRemoved = (seq: number) => removed.some((r) => seq >= r.from_seq && seq <= r.to_seq);
    let audioChunks = 0;
    for (let seq = 0; seq <= last; seq += 1) {
      if (wasRemoved(seq)) continue;
      if (!this.chunkRow(recording.recNo, seq))
        throw new ChunkIntegrityError('CHUNK_MISSING', recordingId, seq, `chunk ${seq} is missing`);
      this.openChunk(recordingId, recordingKey, seq);
      if (seq !== recording.finalSeq) audioChunks += 1;
    }
    return audioChunks;
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
