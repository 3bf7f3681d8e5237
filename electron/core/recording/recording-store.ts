// The vault's recordings, composed of three stores: the rows (state, deadlines, sealed details),
// the sealed chunks (in SQLite before 0070, in one file per recording since), and the timeline (markers, removed parts). What spans them lives here:
// destroying all of a recording's audio, or a part of it, in one transaction.
import type { Database } from 'better-sqlite3';
import { LEVEL_BIN_MS, MAX_RECORDING_MS } from '../../../shared/api';
import { checkpointAndTruncateWal } from '../platform/db';
import { rmSync } from 'node:fs';
import { audioFilePath } from './audio-file';
import {
  SqliteChunkStore,
  type ChunkIndexEntry,
  type ChunkStore,
  type NewChunk,
} from './chunk-store';
import { FileChunkStore } from './file-chunk-store';
import {
  RecordingRowStore,
  type ChunkStorage,
  type DestroyCause,
  type RecordingMeta,
  type RecordingRow,
} from './recording-row-store';
import { RecordingSummaryStore, type LibraryRow } from './recording-summary-store';
import { LevelsStore, type RecordingLevels } from './levels-store';
import { TimelineStore } from './timeline-store';

export class RecordingStore {
  private readonly rows: RecordingRowStore;
  private readonly chunks: SqliteChunkStore;
  private readonly files: FileChunkStore | null;
  private readonly timeline: TimelineStore;
  private readonly summaries: RecordingSummaryStore;
  private readonly levelsStore: LevelsStore;

  constructor(
    private readonly db: Database,
    vaultId: Uint8Array,
    now: () => number,
    /** The folder of recording files; null (a database in memory) keeps new chunks in SQLite. */
    private readonly audioFolder: string | null = null,
    /** Where new recordings go: their own file when there is a folder for it. */
    newStorage: ChunkStorage = audioFolder ? 'file' : 'sqlite',
  ) {
    this.rows = new RecordingRowStore(db, vaultId, now, newStorage);
    this.chunks = new SqliteChunkStore(db, vaultId, this.rows);
    this.files = audioFolder ? new FileChunkStore(db, vaultId, this.rows, audioFolder) : null;
    this.timeline = new TimelineStore(db, vaultId, now);
    this.summaries = new RecordingSummaryStore(db);
    this.levelsStore = new LevelsStore(db, vaultId);
  }

  private fileStore(): FileChunkStore {
    if (!this.files) throw new Error('this vault has no folder for recording files');
    return this.files;
  }

  private storeOf(recording: RecordingRow): ChunkStore {
    return recording.storage === 'file' ? this.fileStore() : this.chunks;
  }

  create(
    recording: Parameters<RecordingRowStore['create']>[0],
    recordingKey: Uint8Array,
    meta: RecordingMeta,
  ): RecordingRow {
    return this.rows.create(recording, recordingKey, meta);
  }

  updateMeta(recordingId: string, recordingKey: Uint8Array, meta: RecordingMeta): void {
    this.rows.updateMeta(recordingId, recordingKey, meta);
  }

  meta(recordingId: string, recordingKey: Uint8Array): RecordingMeta {
    return this.rows.meta(recordingId, recordingKey);
  }

  get(recordingId: string): RecordingRow {
    return this.rows.get(recordingId);
  }

  find(recordingId: string): RecordingRow | null {
    return this.rows.find(recordingId);
  }

  list(clientId?: string): RecordingRow[] {
    return this.rows.list(clientId);
  }

  /** At start-up: recordings a crash cut off; a file's whole frames become its index first. */
  markInterrupted(): string[] {
    return this.db.transaction(() => {
      for (const recording of this.rows.running())
        if (recording.storage === 'file') this.fileStore().recover(recording);
      return this.rows.markInterrupted();
    })();
  }

  markOneInterrupted(recordingId: string): void {
    this.rows.markOneInterrupted(recordingId);
  }

  unsealedInterruptions(): RecordingRow[] {
    return this.rows.unsealedInterruptions();
  }

  setDeadline(recNo: number, destroyAfter: number | null, cause: DestroyCause): void {
    this.rows.setDeadline(recNo, destroyAfter, cause);
  }

  setDestroyCause(recordingId: string, cause: DestroyCause): void {
    this.rows.setDestroyCause(recordingId, cause);
  }

  destroyCause(recordingId: string): DestroyCause | null {
    return this.rows.destroyCause(recordingId);
  }

  due(at: number): { recordingId: string; clientId: string; cause: DestroyCause | null }[] {
    return this.rows.due(at);
  }

  append(recordingId: string, recordingKey: Uint8Array, chunk: NewChunk): void {
    this.storeOf(this.rows.get(recordingId)).append(recordingId, recordingKey, chunk);
  }

  finalise(
    recordingId: string,
    recordingKey: Uint8Array,
    state: 'finalised' | 'interrupted' = 'finalised',
    levels: RecordingLevels | null = null,
  ): RecordingRow {
    const recording = this.rows.get(recordingId);
    return this.db.transaction(() => {
      const finalised = this.storeOf(recording).finalise(recordingId, recordingKey, state);
      this.summaries.summarise(finalised.recNo);
      // Sealed at unlock after a crash: main's memory lost the levels, the file kept them (read
      // once finalising has cut whatever did not survive).
      const kept =
        levels ??
        (recording.storage === 'file'
          ? this.fileStore().levelsInFile(
              recordingId,
              recordingKey,
              MAX_RECORDING_MS / LEVEL_BIN_MS,
            )
          : null);
      if (kept && kept.peaks.byteLength > 0) this.levelsStore.save(finalised, recordingKey, kept);
      return finalised;
    })();
  }

  /**
   * Every recording across every client, with its summary, in one query. Recordings from before
   * the summary are summarised once, on the first call that meets them.
   */
  library(): LibraryRow[] {
    const missing = this.summaries.unsummarised();
    if (missing.length > 0)
      this.db.transaction(() => {
        for (const recNo of missing) this.summaries.summarise(recNo);
      })();
    // A recording still being written to its file has its index in memory only.
    return this.summaries.library().map((row) => {
      if (row.state !== 'recording' || !this.files?.isWriting(row.recordingId)) return row;
      const index = this.files.index(row.recordingId);
      return {
        ...row,
        chunkCount: index.length,
        durationMs: index.reduce((end, c) => Math.max(end, c.startMs + c.durationMs), 0),
        audioBytes: index.reduce((sum, c) => sum + c.bytes, 0),
      };
    });
  }

  index(recordingId: string): ChunkIndexEntry[] {
    return this.storeOf(this.rows.get(recordingId)).index(recordingId);
  }

  seqAt(recordingId: string, positionMs: number): number | null {
    return this.storeOf(this.rows.get(recordingId)).seqAt(recordingId, positionMs);
  }

  openChunk(
    recordingId: string,
    recordingKey: Uint8Array,
    seq: number,
    otherKeys?: () => Iterable<{ recordingId: string; key: Uint8Array }>,
  ): Uint8Array {
    const recording = this.rows.find(recordingId);
    // An unknown recording is refused by the store's own query, as before.
    const store = recording ? this.storeOf(recording) : this.chunks;
    return store.openChunk(recordingId, recordingKey, seq, otherKeys);
  }

  verify(recordingId: string, recordingKey: Uint8Array): number {
    const recording = this.rows.get(recordingId);
    const removed = this.timeline.removedRanges(recording.recNo);
    return this.storeOf(recording).verify(recordingId, recordingKey, removed);
  }

  addMarker(recordingId: string, recordingKey: Uint8Array, atMs: number, label: string): string {
    return this.timeline.addMarker(this.rows.get(recordingId), recordingKey, atMs, label);
  }

  relabelMarker(
    recordingId: string,
    recordingKey: Uint8Array,
    markerId: string,
    label: string,
  ): boolean {
    return this.timeline.relabelMarker(this.rows.get(recordingId), recordingKey, markerId, label);
  }

  markers(
    recordingId: string,
    recordingKey: Uint8Array,
  ): { markerId: string; atMs: number; label: string }[] {
    return this.timeline.markers(this.rows.get(recordingId), recordingKey);
  }

  /** The sealed loudness the capture window measured; null where none was kept. */
  levels(recordingId: string, recordingKey: Uint8Array): RecordingLevels | null {
    return this.levelsStore.read(this.rows.get(recordingId), recordingKey);
  }

  removedRanges(recordingId: string): { fromMs: number; toMs: number }[] {
    return this.timeline
      .removedRanges(this.rows.get(recordingId).recNo)
      .map(({ fromMs, toMs }) => ({ fromMs, toMs }));
  }

  /**
   * Destroys the audio for good: the caller has deleted the recording key already; here the
   * ciphertext goes, and the WAL is checkpointed and emptied so no copy stays in either file.
   */
  destroyChunks(recordingId: string, reason: string): void {
    const recording = this.rows.get(recordingId);
    this.db.transaction(() => {
      this.timeline.deleteMarkers(recording.recNo);
      this.levelsStore.delete(recording.recNo);
      this.chunks.deleteAll(recording.recNo);
      this.files?.deleteIndex(recording.recNo);
      this.rows.markDestroyed(recording.recNo, reason);
      this.summaries.summarise(recording.recNo);
    })();
    if (recording.storage === 'file' && this.audioFolder) {
      this.files?.closeWriter(recordingId);
      rmSync(audioFilePath(this.audioFolder, recordingId), { force: true });
    }
    checkpointAndTruncateWal(this.db);
  }

  /**
   * The first step of a destruction, inside the caller's transaction (which deletes the key): the
   * recording is destroyed from here on. Its ciphertext is removed afterwards by `removeSome`.
   */
  beginDestruction(recordingId: string, reason: string): void {
    const recording = this.rows.get(recordingId);
    this.timeline.deleteMarkers(recording.recNo);
    this.levelsStore.delete(recording.recNo);
    this.rows.markDestroyed(recording.recNo, reason);
    this.summaries.clear(recording.recNo);
  }

  awaitingRemoval(): { recNo: number; recordingId: string; storage: ChunkStorage }[] {
    return this.rows.awaitingRemoval();
  }

  /** Removes a destroyed recording's file off main; `completeFileRemovals` then records it. */
  removeAudioFile(recordingId: string): Promise<void> {
    return this.fileStore().removeFile(recordingId);
  }

  /**
   * Every removed file's completion in one transaction (one sync, however many settled together),
   * with `onComplete` (its log entry) for each.
   */
  completeFileRemovals(
    removed: { recNo: number; recordingId: string }[],
    onComplete: (recordingId: string) => void,
  ): void {
    this.db.transaction(() => {
      for (const { recNo, recordingId } of removed) {
        this.fileStore().deleteIndex(recNo);
        this.rows.markCiphertextRemoved(recNo);
        onComplete(recordingId);
      }
    })();
  }

  /**
   * Removes up to `limit` chunks of a destroyed recording in one transaction; true once none is
   * left, when `onComplete` runs in that same transaction (the completion's log entry).
   */
  removeSome(recNo: number, limit: number, onComplete: () => void): boolean {
    return this.db.transaction(() => {
      const removed = this.chunks.deleteSome(recNo, limit);
      if (removed === limit) return false;
      this.rows.markCiphertextRemoved(recNo);
      onComplete();
      return true;
    })();
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
    const recording = this.rows.get(recordingId);
    const store = this.storeOf(recording);
    const chunks = store
      .index(recordingId)
      .filter((c) => c.seq > 0 && c.startMs < toMs && c.startMs + c.durationMs > fromMs);
    if (chunks.length === 0) return { removedChunks: 0, fromMs, toMs };
    const first = chunks[0]!;
    const last = chunks.at(-1)!;
    const gap = {
      fromSeq: first.seq,
      toSeq: last.seq,
      fromMs: first.startMs,
      toMs: last.startMs + last.durationMs,
    };
    // A file's frames are zeroed (and that synced) before the index forgets them.
    if (recording.storage === 'file')
      this.fileStore().zero(
        recording,
        chunks.map((c) => c.seq),
      );
    this.db.transaction(() => {
      for (const c of chunks) store.deleteOne(recording.recNo, c.seq);
      this.timeline.deleteMarkers(recording.recNo, gap);
      this.timeline.addRemovedRange(recording.recNo, gap);
      this.summaries.summarise(recording.recNo);
    })();
    checkpointAndTruncateWal(this.db);
    return { removedChunks: chunks.length, fromMs: gap.fromMs, toMs: gap.toMs };
  }
}
