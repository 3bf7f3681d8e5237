// Works out what happened to a chunk that did not open, so the error names it: moved, copied,
// taken from another recording, cut off at the end, or altered. Runs only on failure.
import { ChunkIntegrityError } from './chunk-integrity-error';
import { AEAD_NONCE_BYTES, open } from '../platform/crypto';
import { chunkAssociatedData, type ChunkRow } from './chunk-format';
import type { RecordingRow } from './recording-row-store';

/** What the diagnosis reads from the store. */
export interface ChunkSource {
  vaultId: Uint8Array;
  /** Every chunk of a recording (by its row number): sequence number and start time. */
  seqsOf(recNo: number): { seq: number; start_ms: number }[];
  chunkRow(recNo: number, seq: number): ChunkRow | undefined;
  seqsOfRecording(recordingId: string): { seq: number; start_ms: number }[];
}

export function diagnoseChunk(
  source: ChunkSource,
  recording: RecordingRow,
  recordingKey: Uint8Array,
  row: ChunkRow,
  otherKeys: () => Iterable<{ recordingId: string; key: Uint8Array }>,
): ChunkIntegrityError {
  const { recordingId } = recording;
  const sealed = { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.ciphertext) };
  const rows = source.seqsOf(recording.recNo);
  if (sealed.nonce.length === AEAD_NONCE_BYTES) {
    // A real chunk sealed for another place in this recording: moved or copied.
    for (const other of rows) {
      if (other.seq === row.seq) continue;
      for (const final of [false, true]) {
        const ad = chunkAssociatedData(
          source.vaultId,
          recordingId,
          other.seq,
          other.start_ms,
          final,
        );
        if (!open(recordingKey, sealed, ad)) continue;
        const original = source.chunkRow(recording.recNo, other.seq);
        const copy =
          original !== undefined && Buffer.compare(original.ciphertext, row.ciphertext) === 0;
        if (final && other.seq !== recording.finalSeq)
          return new ChunkIntegrityError(
            'RECORDING_TRUNCATED',
            recordingId,
            row.seq,
            'end marker moved',
          );
        return new ChunkIntegrityError(
          copy ? 'CHUNK_DUPLICATED' : 'CHUNK_REORDERED',
          recordingId,
          row.seq,
          `holds chunk ${other.seq}`,
        );
      }
    }
    // The end marker is missing: this was the last chunk before the tail was cut.
    if (recording.finalSeq !== null && row.seq === recording.finalSeq) {
      if (
        open(
          recordingKey,
          sealed,
          chunkAssociatedData(source.vaultId, recordingId, row.seq, row.start_ms, false),
        )
      )
        return new ChunkIntegrityError(
          'RECORDING_TRUNCATED',
          recordingId,
          row.seq,
          'end marker missing',
        );
    }
    for (const other of otherKeys()) {
      if (other.recordingId === recordingId) continue;
      for (const candidate of source.seqsOfRecording(other.recordingId)) {
        for (const final of [false, true]) {
          const ad = chunkAssociatedData(
            source.vaultId,
            other.recordingId,
            candidate.seq,
            candidate.start_ms,
            final,
          );
          if (open(other.key, sealed, ad))
            return new ChunkIntegrityError(
              'CHUNK_SPLICED',
              recordingId,
              row.seq,
              `from recording ${other.recordingId}`,
            );
        }
      }
    }
  }
  return new ChunkIntegrityError('CHUNK_ALTERED', recordingId, row.seq, 'does not open');
}
