// Opening a recording's sealed chunks, the same wherever they are kept (chunk-store.ts for the
// `chunks` table, file-chunk-store.ts for files): the end marker must open empty, chunks missing
// below it are a cut tail, and a chunk that does not open is diagnosed (chunk-diagnosis.ts).
import { VaultError } from '../../../shared/errors';
import { AEAD_NONCE_BYTES, open, toHex } from '../platform/crypto';
import { diagnoseChunk, type ChunkSource } from './chunk-diagnosis';
import { ChunkIntegrityError } from './chunk-integrity-error';
import { chunkAssociatedData, type ChunkRow } from './chunk-format';
import type { RecordingRow, RecordingRowStore } from './recording-row-store';

/** One chunk as its store read it. */
export interface SealedChunk {
  recordingId: string;
  row: ChunkRow;
  /** Whether it is the recording's end marker. */
  final: boolean;
}

/** Opens one store's chunks; `source` is what the diagnosis of a chunk that does not open reads. */
export class ChunkOpener {
  private readonly vaultHex: string;

  constructor(
    vaultId: Uint8Array,
    private readonly rows: RecordingRowStore,
    private readonly source: () => ChunkSource,
  ) {
    this.vaultHex = toHex(vaultId);
  }

  /**
   * Opens a sealed chunk, or throws what was done to it; `otherKeys` (other recordings' keys)
   * lets the diagnosis tell a splice from an alteration.
   */
  open(
    chunk: SealedChunk,
    recordingKey: Uint8Array,
    otherKeys: () => Iterable<{ recordingId: string; key: Uint8Array }>,
  ): Uint8Array {
    const { recordingId, row, final } = chunk;
    // Buffers are Uint8Arrays already: no copies on this path, which runs for every second played.
    const sealed = { nonce: row.nonce, ciphertext: row.ciphertext };
    if (sealed.nonce.length === AEAD_NONCE_BYTES) {
      const payload = open(
        recordingKey,
        sealed,
        chunkAssociatedData(this.vaultHex, recordingId, row.seq, row.start_ms, final),
      );
      if (payload) {
        if (final && payload.length > 0)
          throw new ChunkIntegrityError('CHUNK_ALTERED', recordingId, row.seq, 'end marker');
        return payload;
      }
    }
    throw diagnoseChunk(this.source(), this.rows.get(recordingId), recordingKey, row, otherKeys);
  }
}

/**
 * The error for chunk `seq` when the store holds no such chunk: a cut tail when the recording's
 * end marker says more chunks were written than the store has (`lastSeq` is its last), else none.
 */
export function missingChunkError(
  recordingId: string,
  seq: number,
  finalSeq: number | null,
  lastSeq: number,
): VaultError {
  if (finalSeq !== null && seq < finalSeq && lastSeq < finalSeq)
    return new ChunkIntegrityError(
      'RECORDING_TRUNCATED',
      recordingId,
      seq,
      `chunks from ${lastSeq + 1} on are missing`,
    );
  return new VaultError('NOT_FOUND');
}

/**
 * Opens every chunk of a recording in order but the removed ranges: the first problem is thrown.
 * Returns the audio chunk count (the end marker is not audio).
 */
export function verifyChunks(
  recording: RecordingRow,
  lastSeq: number,
  removed: { fromSeq: number; toSeq: number }[],
  store: { has(seq: number): boolean; open(seq: number): void },
): number {
  const { recordingId, finalSeq } = recording;
  if (finalSeq !== null && lastSeq < finalSeq)
    throw new ChunkIntegrityError(
      'RECORDING_TRUNCATED',
      recordingId,
      lastSeq + 1,
      'end marker missing',
    );
  const wasRemoved = (seq: number) => removed.some((r) => seq >= r.fromSeq && seq <= r.toSeq);
  let audioChunks = 0;
  for (let seq = 0; seq <= lastSeq; seq += 1) {
    if (wasRemoved(seq)) continue;
    if (!store.has(seq))
      throw new ChunkIntegrityError('CHUNK_MISSING', recordingId, seq, `chunk ${seq} is missing`);
    store.open(seq);
    if (seq !== finalSeq) audioChunks += 1;
  }
  return audioChunks;
}
