// One recording's sealed audio file, `recordings/<recording id>.audio` beside the vault file.
// A frame is [u32 length][u32 seq][u32 start_ms][u32 duration_ms][24-byte nonce][ciphertext+tag],
// sealed as a chunk in SQLite is (chunkAssociatedData), so a frame moved, altered or cut off does
// not open. Frames are only appended, each made durable before `capture.chunk` is answered: the
// file, not a per-second SQLite commit, keeps the "at most one second lost" promise.
// A levels frame may follow an audio frame, written and synced with it: [u32 length]
// [u32 seq + LEVELS_FRAME_FLAG][u32 first bin][u32 bin ms][nonce][sealed levels], so the waveform
// of a recording a crash cut short survives as its audio does.
import {
  chmodSync,
  closeSync,
  fchmodSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { AEAD_NONCE_BYTES } from '../platform/crypto';

export const FRAME_HEADER_BYTES = 16;
/** Where a frame's sealed bytes start: after its header and nonce. */
export const FRAME_SEALED_AT = FRAME_HEADER_BYTES + AEAD_NONCE_BYTES;
export const RECORDINGS_FOLDER = 'recordings';
/** Marks a levels frame's seq field: a chunk's seq stays below 2^31 (the contract's bound). */
export const LEVELS_FRAME_FLAG = 0x8000_0000;

export interface FrameHeader {
  seq: number;
  startMs: number;
  durationMs: number;
  /** Where the frame starts in the file. */
  offset: number;
  /** Ciphertext and tag. */
  sealedBytes: number;
}

/** The levels sent with audio frame `seq`: bins from `firstBin` on, `binMs` each. */
export interface LevelsFrameHeader {
  seq: number;
  firstBin: number;
  binMs: number;
  offset: number;
  sealedBytes: number;
}

export interface Frame {
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

/** The folder of a vault's recording files, or null for a database held in memory. */
export function audioFolderOf(db: Database): string | null {
  return db.memory ? null : join(dirname(db.name), RECORDINGS_FOLDER);
}

export function audioFilePath(folder: string, recordingId: string): string {
  // A recording id names a file: nothing in it may reach outside the folder.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(recordingId)) throw new RangeError('not a recording id');
  return join(folder, `${recordingId}.audio`);
}

export function encodeFrame(
  header: Omit<FrameHeader, 'offset' | 'sealedBytes'>,
  sealed: Frame,
): Buffer {
  const frame = Buffer.alloc(FRAME_SEALED_AT + sealed.ciphertext.length);
  frame.writeUInt32LE(sealed.ciphertext.length, 0);
  frame.writeUInt32LE(header.seq, 4);
  frame.writeUInt32LE(header.startMs, 8);
  frame.writeUInt32LE(header.durationMs, 12);
  frame.set(sealed.nonce, FRAME_HEADER_BYTES);
  frame.set(sealed.ciphertext, FRAME_SEALED_AT);
  return frame;
}

export function encodeLevelsFrame(
  header: Omit<LevelsFrameHeader, 'offset' | 'sealedBytes'>,
  sealed: Frame,
): Buffer {
  return encodeFrame(
    {
      seq: header.seq + LEVELS_FRAME_FLAG,
      startMs: header.firstBin,
      durationMs: header.binMs,
    },
    sealed,
  );
}

/** Creates the file owner-only (its folder too), with its directory entry made durable. */
export function createAudioFile(folder: string, recordingId: string): number {
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  chmodSync(folder, 0o700);
  const fd = openSync(audioFilePath(folder, recordingId), 'wx+', 0o600);
  fchmodSync(fd, 0o600);
  const dir = openSync(folder, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return fd;
}

export function openAudioFile(folder: string, recordingId: string, mode: 'r' | 'r+'): number {
  return openSync(audioFilePath(folder, recordingId), mode);
}

/** Appends one frame at `offset` and makes it durable; a failed write leaves the file as it was. */
export function appendFrame(fd: number, offset: number, frame: Buffer): void {
  try {
    let written = 0;
    while (written < frame.length)
      written += writeSync(fd, frame, written, frame.length - written, offset + written);
    fdatasyncSync(fd);
  } catch (error) {
    try {
      ftruncateSync(fd, offset);
    } catch {
      // Recovery cuts a torn tail at the next start.
    }
    throw error;
  }
}

/**
 * Reads the frame headers from the start: every whole frame, in order, each audio frame's levels
 * frame, and where the whole frames end. A header cut off, a length past the end, a sequence
 * number out of order, or a levels frame that does not follow its audio frame ends the scan: what
 * follows is a torn write the caller cuts off.
 */
export function scanFrames(fd: number): {
  frames: FrameHeader[];
  levels: LevelsFrameHeader[];
  end: number;
} {
  const size = fstatSync(fd).size;
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  const frames: FrameHeader[] = [];
  const levels: LevelsFrameHeader[] = [];
  let offset = 0;
  while (offset + FRAME_SEALED_AT <= size) {
    if (readSync(fd, header, 0, FRAME_HEADER_BYTES, offset) < FRAME_HEADER_BYTES) break;
    const sealedBytes = header.readUInt32LE(0);
    const seqField = header.readUInt32LE(4);
    if (offset + FRAME_SEALED_AT + sealedBytes > size) break;
    if (seqField >= LEVELS_FRAME_FLAG) {
      const seq = seqField - LEVELS_FRAME_FLAG;
      const follows = frames.at(-1)?.seq === seq && levels.at(-1)?.seq !== seq;
      if (!follows) break;
      levels.push({
        seq,
        firstBin: header.readUInt32LE(8),
        binMs: header.readUInt32LE(12),
        offset,
        sealedBytes,
      });
    } else {
      if (seqField !== frames.length) break;
      frames.push({
        seq: seqField,
        startMs: header.readUInt32LE(8),
        durationMs: header.readUInt32LE(12),
        offset,
        sealedBytes,
      });
    }
    offset += FRAME_SEALED_AT + sealedBytes;
  }
  return { frames, levels, end: offset };
}

/** A frame's nonce and sealed bytes, read where the index says it is. */
export function readFrame(fd: number, offset: number, sealedBytes: number): Frame | null {
  const bytes = Buffer.alloc(FRAME_SEALED_AT + sealedBytes);
  if (readSync(fd, bytes, 0, bytes.length, offset) < bytes.length) return null;
  return {
    nonce: bytes.subarray(FRAME_HEADER_BYTES, FRAME_SEALED_AT),
    ciphertext: bytes.subarray(FRAME_SEALED_AT),
  };
}

/**
 * Overwrites frames' nonces and ciphertext with zeros in place, then makes that durable. The
 * headers stay, so the file still scans; what the zeros do not promise on an SSD is written in
 * docs/threat-model.md.
 */
export function zeroFrames(fd: number, frames: { offset: number; sealedBytes: number }[]): void {
  for (const frame of frames) {
    const zeros = Buffer.alloc(AEAD_NONCE_BYTES + frame.sealedBytes);
    writeSync(fd, zeros, 0, zeros.length, frame.offset + FRAME_HEADER_BYTES);
  }
  fdatasyncSync(fd);
}

export function truncateFile(fd: number, size: number): void {
  ftruncateSync(fd, size);
  fdatasyncSync(fd);
}

/** Every byte of the file, a piece at a time (the commitment hashes them). */
export function* fileBytes(fd: number, pieceBytes = 1024 * 1024): Generator<Uint8Array> {
  const piece = Buffer.alloc(pieceBytes);
  for (let offset = 0; ;) {
    const read = readSync(fd, piece, 0, piece.length, offset);
    if (read === 0) return;
    yield piece.subarray(0, read);
    offset += read;
  }
}
