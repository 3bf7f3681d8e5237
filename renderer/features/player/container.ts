// Where the audio starts inside a recorded chunk. Chromium's MediaRecorder (audio/mp4, Opus,
// 1 s timeslice) gives chunk 0 = ftyp+moov (the init segment, no audio) and every later chunk =
// whole moof+mdat fragments with absolute times, so a chunk appends on its own after chunk 0.
// WebM chunks are cut mid-element instead: only a Cluster start is a place to begin.

const CLUSTER_ID = [0x1f, 0x43, 0xb6, 0x75];

export type ContainerKind = 'mp4' | 'webm';

export function containerOf(mimeType: string): ContainerKind {
  return mimeType.startsWith('audio/webm') ? 'webm' : 'mp4';
}

/** The MSE type for a recorded MIME type: 'audio/mp4;codecs=opus' -> 'audio/mp4; codecs="opus"'. */
export function sourceBufferType(mimeType: string): string {
  return `${mimeType.startsWith('audio/webm') ? 'audio/webm' : 'audio/mp4'}; codecs="opus"`;
}

/** Offset of the first box of `type` at the top level of an MP4 byte run, or null. */
function mp4BoxOffset(bytes: Uint8Array, type: string): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 8 <= bytes.byteLength) {
    let size = view.getUint32(offset);
    const name = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    if (name === type) return offset;
    if (size === 1 && offset + 16 <= bytes.byteLength) size = Number(view.getBigUint64(offset + 8));
    if (size === 0) return null;
    if (size < 8) return null;
    offset += size;
  }
  return null;
}

function webmClusterOffset(bytes: Uint8Array): number | null {
  for (let i = 0; i + 4 <= bytes.byteLength; i += 1) {
    if (CLUSTER_ID.every((byte, k) => bytes[i + k] === byte)) return i;
  }
  return null;
}

/** Where media (not header) begins in a chunk: a moof box, or a WebM Cluster. */
export function mediaStart(bytes: Uint8Array, kind: ContainerKind): number | null {
  return kind === 'mp4' ? mp4BoxOffset(bytes, 'moof') : webmClusterOffset(bytes);
}
