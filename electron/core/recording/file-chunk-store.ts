// Chunks kept in one sealed append-only file per recording (audio-file.ts), with SQLite as their
// index. A frame is durable before `capture.chunk` is answered; the index (where each frame
// starts) is written once, in the transaction that finalises the recording, or at the next start
// from the frame headers when a crash cut the recording off (issue 16, docs/scale-study.md "b").
import { closeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { VaultError } from '../../../shared/errors';
import { open, seal, toHex } from '../platform/crypto';
import {
  FRAME_SEALED_AT,
  appendFrame,
  audioFilePath,
  createAudioFile,
  encodeFrame,
  encodeLevelsFrame,
  openAudioFile,
  readFrame,
  scanFrames,
  truncateFile,
  zeroFrames,
  type FrameHeader,
  type LevelsFrameHeader,
} from './audio-file';
import type { ChunkSource } from './chunk-diagnosis';
import { ChunkIntegrityError } from './chunk-integrity-error';
import { ChunkOpener, missingChunkError, verifyChunks } from './chunk-opening';
import {
  MAX_CHUNK_BYTES,
  SEQ_SPAN,
  chunkAssociatedData,
  chunkId,
  levelsFrameAssociatedData,
  type ChunkRow,
} from './chunk-format';
import type { RecordingLevels } from './levels-store';
import type { ChunkIndexEntry, ChunkStore, NewChunk } from './chunk-store';
import type { Database, Statement } from 'better-sqlite3';
import type { RecordingRow, RecordingRowStore, RecordingState } from './recording-row-store';
import { AEAD_TAG_BYTES } from '../platform/crypto';

/** A recording being written: its open file and the frames it holds, in order. */
interface Writer {
  fd: number;
  end: number;
  frames: FrameHeader[];
}

interface FrameRow {
  seq: number;
  start_ms: number;
  duration_ms: number;
  file_offset: number;
  sealed_bytes: number;
}

/** Where the last kept audio frame ends, with the levels frame that rides with it. */
function endOfFrames(frames: FrameHeader[], levels: LevelsFrameHeader[]): number {
  const last = frames.at(-1);
  if (!last) return 0;
  const tail = levels.findLast((header) => header.seq === last.seq) ?? last;
  return tail.offset + FRAME_SEALED_AT + tail.sealedBytes;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export class FileChunkStore implements ChunkStore {
  private readonly statements = new Map<string, Statement>();
  private readonly writers = new Map<string, Writer>();
  private readonly vaultHex: string;
  private readonly opener: ChunkOpener;

  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly rows: RecordingRowStore,
    private readonly folder: string,
  ) {
    this.vaultHex = toHex(vaultId);
    this.opener = new ChunkOpener(vaultId, rows, () => this.diagnosisSource());
  }

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private frameRows(recNo: number): FrameRow[] {
    return this.stmt(
      'SELECT seq, start_ms, duration_ms, file_offset, sealed_bytes FROM audio_frames WHERE frame_id >= ? AND frame_id < ? ORDER BY frame_id',
    ).all(chunkId(recNo, 0), chunkId(recNo + 1, 0)) as FrameRow[];
  }

  private writeIndex(recNo: number, frames: FrameHeader[]): void {
    this.deleteIndex(recNo);
    const insert = this.stmt(
      'INSERT INTO audio_frames (frame_id, rec_no, seq, start_ms, duration_ms, file_offset, sealed_bytes) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const f of frames)
      insert.run(
        chunkId(recNo, f.seq),
        recNo,
        f.seq,
        f.startMs,
        f.durationMs,
        f.offset,
        f.sealedBytes,
      );
  }

  deleteIndex(recNo: number): void {
    this.stmt('DELETE FROM audio_frames WHERE frame_id >= ? AND frame_id < ?').run(
      chunkId(recNo, 0),
      chunkId(recNo + 1, 0),
    );
  }

  append(recordingId: string, recordingKey: Uint8Array, chunk: NewChunk): void {
    if (chunk.payload.byteLength > MAX_CHUNK_BYTES) throw new VaultError('CHUNK_TOO_LARGE');
    const recording = this.rows.get(recordingId);
    if (recording.state !== 'recording') throw new VaultError('RECORDING_NOT_ARMED');
    let writer = this.writers.get(recordingId);
    if (chunk.seq !== (writer?.frames.length ?? 0)) throw new VaultError('CHUNK_OUT_OF_SEQUENCE');
    if (!writer) {
      writer = { fd: createAudioFile(this.folder, recordingId), end: 0, frames: [] };
      this.writers.set(recordingId, writer);
    }
    const sealed = seal(
      recordingKey,
      chunk.payload,
      chunkAssociatedData(this.vaultId, recordingId, chunk.seq, chunk.startMs, false),
    );
    let frame = encodeFrame(chunk, sealed);
    if (chunk.levels && chunk.levels.peaks.byteLength > 0) {
      const { firstBin, binMs, peaks } = chunk.levels;
      const sealedLevels = seal(
        recordingKey,
        peaks,
        levelsFrameAssociatedData(this.vaultHex, recordingId, chunk.seq, firstBin, binMs),
      );
      // One write and one sync for both: the levels cost no second flush of the disk.
      frame = Buffer.concat([
        frame,
        encodeLevelsFrame({ seq: chunk.seq, firstBin, binMs }, sealedLevels),
      ]);
    }
    appendFrame(writer.fd, writer.end, frame);
    writer.frames.push({
      seq: chunk.seq,
      startMs: chunk.startMs,
      durationMs: chunk.durationMs,
      offset: writer.end,
      sealedBytes: sealed.ciphertext.length,
    });
    writer.end += frame.length;
  }

  /**
   * The waveform's bins kept in the file beside the audio frames (a recording a crash cut short
   * has no others). A levels frame that does not open is left out: it costs that stretch of the
   * waveform, never the recording. Null when none is there.
   */
  levelsInFile(
    recordingId: string,
    recordingKey: Uint8Array,
    maxBins: number,
  ): RecordingLevels | null {
    let fd: number;
    try {
      fd = openAudioFile(this.folder, recordingId, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const { levels } = scanFrames(fd);
      const binMs = levels[0]?.binMs;
      if (binMs === undefined) return null;
      const parts: { firstBin: number; peaks: Uint8Array }[] = [];
      for (const header of levels) {
        if (header.binMs !== binMs) continue;
        const sealed = readFrame(fd, header.offset, header.sealedBytes);
        const peaks = sealed
          ? open(
              recordingKey,
              sealed,
              levelsFrameAssociatedData(
                this.vaultHex,
                recordingId,
                header.seq,
                header.firstBin,
                header.binMs,
              ),
            )
          : null;
        if (peaks) parts.push({ firstBin: header.firstBin, peaks });
      }
      const length = Math.min(
        maxBins,
        parts.reduce((end, p) => Math.max(end, p.firstBin + p.peaks.length), 0),
      );
      if (length === 0) return null;
      const all = new Uint8Array(length);
      for (const part of parts)
        if (part.firstBin < length)
          all.set(part.peaks.subarray(0, length - part.firstBin), part.firstBin);
      return { binMs, peaks: all };
    } finally {
      closeSync(fd);
    }
  }

  /**
   * A crash cut the recording off: what the headers say was written whole becomes its index, and
   * a torn tail is cut. Needs no key; the end marker is sealed at unlock (`finalise`).
   */
  recover(recording: RecordingRow): void {
    let fd: number;
    try {
      fd = openAudioFile(this.folder, recording.recordingId, 'r+');
    } catch (error) {
      if (isMissing(error)) return this.deleteIndex(recording.recNo);
      throw error;
    }
    try {
      const { frames, end } = scanFrames(fd);
      truncateFile(fd, end);
      this.writeIndex(recording.recNo, frames);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The writer of a recording cut off (a crash, or a finalise that failed), from the file as it
   * is: the index in SQLite may be missing or stale, the file's whole frames are not. The last
   * frame must open as audio: a write torn inside it, or an end marker whose commit failed, is cut.
   */
  private reopen(recording: RecordingRow, recordingKey: Uint8Array): Writer {
    let fd: number;
    try {
      fd = openAudioFile(this.folder, recording.recordingId, 'r+');
    } catch (error) {
      if (!isMissing(error)) throw error;
      fd = createAudioFile(this.folder, recording.recordingId);
    }
    const { frames, levels, end } = scanFrames(fd);
    truncateFile(fd, end);
    for (;;) {
      const last = frames.at(-1);
      if (!last) break;
      const sealed = readFrame(fd, last.offset, last.sealedBytes);
      const ad = chunkAssociatedData(
        this.vaultHex,
        recording.recordingId,
        last.seq,
        last.startMs,
        false,
      );
      if (sealed && open(recordingKey, sealed, ad)) break;
      frames.pop();
      truncateFile(fd, last.offset);
    }
    return { fd, end: endOfFrames(frames, levels), frames };
  }

  finalise(
    recordingId: string,
    recordingKey: Uint8Array,
    state: 'finalised' | 'interrupted',
  ): RecordingRow {
    const recording = this.rows.get(recordingId);
    if (
      recording.state !== 'recording' &&
      !(recording.state === 'interrupted' && recording.finalSeq === null)
    )
      throw new VaultError('RECORDING_NOT_ARMED');
    const writer = this.writers.get(recordingId) ?? this.reopen(recording, recordingKey);
    this.writers.delete(recordingId);
    try {
      const seq = writer.frames.length;
      const last = writer.frames.at(-1);
      const endMs = last ? last.startMs + last.durationMs : 0;
      const sealed = seal(
        recordingKey,
        new Uint8Array(0),
        chunkAssociatedData(this.vaultId, recordingId, seq, endMs, true),
      );
      const marker = { seq, startMs: endMs, durationMs: 0 };
      appendFrame(writer.fd, writer.end, encodeFrame(marker, sealed));
      try {
        this.db.transaction(() => {
          this.writeIndex(recording.recNo, [
            ...writer.frames,
            { ...marker, offset: writer.end, sealedBytes: sealed.ciphertext.length },
          ]);
          this.rows.setFinal(recording.recNo, state, seq);
        })();
      } catch (error) {
        // Not finalised after all: the marker goes, so the next try seals it at the same place.
        truncateFile(writer.fd, writer.end);
        throw error;
      }
    } finally {
      closeSync(writer.fd);
    }
    return this.rows.get(recordingId);
  }

  index(recordingId: string): ChunkIndexEntry[] {
    const recording = this.rows.get(recordingId);
    const writer = this.writers.get(recordingId);
    const frames = writer
      ? writer.frames.map((f) => ({
          seq: f.seq,
          startMs: f.startMs,
          durationMs: f.durationMs,
          sealed: f.sealedBytes,
        }))
      : this.frameRows(recording.recNo).map((row) => ({
          seq: row.seq,
          startMs: row.start_ms,
          durationMs: row.duration_ms,
          sealed: row.sealed_bytes,
        }));
    return frames
      .filter((f) => f.seq !== recording.finalSeq)
      .map((f) => ({
        seq: f.seq,
        startMs: f.startMs,
        durationMs: f.durationMs,
        bytes: f.sealed - AEAD_TAG_BYTES,
      }));
  }

  seqAt(recordingId: string, positionMs: number): number | null {
    const recording = this.rows.get(recordingId);
    const row = this.stmt(
      'SELECT seq FROM audio_frames WHERE frame_id >= ? AND frame_id < ? AND start_ms <= ? AND duration_ms > 0 ORDER BY frame_id DESC LIMIT 1',
    ).get(chunkId(recording.recNo, 0), chunkId(recording.recNo + 1, 0), positionMs) as
      { seq: number } | undefined;
    return row?.seq ?? null;
  }

  private lastSeq(recNo: number): number {
    const row = this.stmt(
      'SELECT max(seq) AS seq FROM audio_frames WHERE frame_id >= ? AND frame_id < ?',
    ).get(chunkId(recNo, 0), chunkId(recNo + 1, 0)) as { seq: number | null };
    return row.seq ?? -1;
  }

  /** A frame's sealed bytes as the file holds them where the index says, or null. */
  private frameAt(recordingId: string, row: FrameRow): ChunkRow | null {
    let fd: number;
    try {
      fd = openAudioFile(this.folder, recordingId, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const sealed = readFrame(fd, row.file_offset, row.sealed_bytes);
      if (!sealed) return null;
      return {
        seq: row.seq,
        start_ms: row.start_ms,
        duration_ms: row.duration_ms,
        nonce: Buffer.from(sealed.nonce),
        ciphertext: Buffer.from(sealed.ciphertext),
      };
    } finally {
      closeSync(fd);
    }
  }

  openChunk(
    recordingId: string,
    recordingKey: Uint8Array,
    seq: number,
    otherKeys: () => Iterable<{ recordingId: string; key: Uint8Array }> = () => [],
  ): Uint8Array {
    const found = this.stmt(
      `SELECT r.rec_no, r.state, r.final_seq, f.seq, f.start_ms, f.duration_ms, f.file_offset, f.sealed_bytes
       FROM recordings r LEFT JOIN audio_frames f ON f.frame_id = r.rec_no * ${SEQ_SPAN} + ?
       WHERE r.recording_id = ?`,
    ).get(seq, recordingId) as
      | (Partial<FrameRow> & { rec_no: number; state: RecordingState; final_seq: number | null })
      | undefined;
    if (!found) throw new VaultError('NOT_FOUND');
    if (found.state === 'destroyed') throw new VaultError('RECORDING_DESTROYED');
    if (found.file_offset === undefined || found.file_offset === null)
      throw missingChunkError(recordingId, seq, found.final_seq, this.lastSeq(found.rec_no));
    const row = this.frameAt(recordingId, found as FrameRow);
    if (!row)
      throw new ChunkIntegrityError(
        'RECORDING_TRUNCATED',
        recordingId,
        seq,
        'the audio file is missing or cut off',
      );
    return this.opener.open(
      { recordingId, row, final: found.final_seq === seq },
      recordingKey,
      otherKeys,
    );
  }

  private diagnosisSource(): ChunkSource {
    const recordingIdOf = (recNo: number) =>
      (
        this.stmt('SELECT recording_id FROM recordings WHERE rec_no = ?').get(recNo) as
          { recording_id: string } | undefined
      )?.recording_id;
    return {
      vaultId: this.vaultId,
      seqsOf: (recNo) => this.frameRows(recNo),
      chunkRow: (recNo, seq) => {
        const recordingId = recordingIdOf(recNo);
        const row = this.frameRows(recNo).find((r) => r.seq === seq);
        return recordingId && row ? (this.frameAt(recordingId, row) ?? undefined) : undefined;
      },
      seqsOfRecording: (recordingId) =>
        this.stmt(
          `SELECT f.seq, f.start_ms FROM audio_frames f JOIN recordings r ON r.rec_no = f.rec_no WHERE r.recording_id = ?
           UNION ALL
           SELECT c.seq, c.start_ms FROM chunks c JOIN recordings r ON r.rec_no = c.rec_no WHERE r.recording_id = ?`,
        ).all(recordingId, recordingId) as { seq: number; start_ms: number }[],
    };
  }

  verify(
    recordingId: string,
    recordingKey: Uint8Array,
    removed: { fromSeq: number; toSeq: number }[],
  ): number {
    const recording = this.rows.get(recordingId);
    const rows = this.frameRows(recording.recNo);
    const present = new Set(rows.map((r) => r.seq));
    return verifyChunks(recording, rows.at(-1)?.seq ?? -1, removed, {
      has: (seq) => present.has(seq),
      open: (seq) => this.openChunk(recordingId, recordingKey, seq),
    });
  }

  /**
   * Overwrites these chunks' sealed bytes with zeros and makes it durable, before the index
   * forgets them: a crash in between leaves them unreadable, never readable.
   */
  zero(recording: RecordingRow, seqs: number[]): void {
    const wanted = new Set(seqs);
    const frames = this.frameRows(recording.recNo)
      .filter((row) => wanted.has(row.seq))
      .map((row) => ({ offset: row.file_offset, sealedBytes: row.sealed_bytes }));
    const fd = openAudioFile(this.folder, recording.recordingId, 'r+');
    try {
      // How loud a removed part was goes with it.
      const levels = scanFrames(fd).levels.filter((header) => wanted.has(header.seq));
      zeroFrames(fd, [...frames, ...levels]);
    } finally {
      closeSync(fd);
    }
  }

  deleteOne(recNo: number, seq: number): void {
    this.stmt('DELETE FROM audio_frames WHERE frame_id = ?').run(chunkId(recNo, seq));
  }

  /** Removes a recording's file off main (libuv's thread pool); a missing file is already gone. */
  removeFile(recordingId: string): Promise<void> {
    this.closeWriter(recordingId);
    return rm(audioFilePath(this.folder, recordingId), { force: true });
  }

  isWriting(recordingId: string): boolean {
    return this.writers.has(recordingId);
  }

  /** Closes a file left open (a destruction while recording, or the core closing). */
  closeWriter(recordingId: string): void {
    const writer = this.writers.get(recordingId);
    if (!writer) return;
    this.writers.delete(recordingId);
    closeSync(writer.fd);
  }
}
