// What a sealed chunk is bound to: its row id (recording row number and sequence number in one
// integer, so a recording's chunks are one index range) and the associated data of its seal.
import { toHex, utf8 } from '../platform/crypto';

/** A second of Opus at 32 kb/s is about 4 KiB; anything near this cap is not audio we made. */
export const MAX_CHUNK_BYTES = 256 * 1024;
export const SEQ_SPAN = 4294967296;

export interface ChunkRow {
  seq: number;
  start_ms: number;
  duration_ms: number;
  nonce: Buffer;
  ciphertext: Buffer;
}

export function chunkId(recNo: number, seq: number): number {
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

/** A levels frame's seal: bound to the audio frame it rides with and to where its bins go. */
export function levelsFrameAssociatedData(
  vaultHex: string,
  recordingId: string,
  seq: number,
  firstBin: number,
  binMs: number,
): Uint8Array {
  return utf8.encode(
    `session-vault/levels-frame/v1|${vaultHex}|${recordingId}|${seq}|${firstBin}|${binMs}`,
  );
}
