// The recording running now, as main holds it in memory: how it is captured, how far it got, what
// the input sounds like, and the status the screen shows of it.
import type { CaptureSettings, RecorderStatus } from '../../../shared/api';
import type { RecordingKind } from '../../../shared/consent-terms';

export const LOW_DISK_BYTES = 200 * 1024 * 1024;

export interface ActiveRecording {
  recordingId: string;
  clientId: string;
  kind: RecordingKind;
  /** Recorded time at which main stops the recording itself (a voice note's two minutes). */
  limitMs: number | null;
  recordingKey: Uint8Array;
  state: RecorderStatus['state'];
  elapsedMs: number;
  nextSeq: number;
  lastChunkAt: number;
  lastLoudAt: number;
  level: number;
  diskLow: boolean;
  problem: RecorderStatus['problem'];
  settings: CaptureSettings;
  mimeType: string;
  /** Peak level per LEVEL_BIN_MS of recorded time, as the capture window measured it. */
  levels: number[];
  /** Recorded time reported with a header-only chunk, added to the next chunk. */
  carriedMs: number;
  onFinished: (() => void)[];
  /** Why main itself asked for the stop (a voice note's limit), for the log entry. */
  stopReason?: string;
  /** The wait for the capture window to confirm a stop; cleared when the recording finishes. */
  stopTimer?: ReturnType<typeof setTimeout>;
}

/** A recording that has its row and key and waits for the capture window to start. */
export function startingRecording(
  recording: {
    recordingId: string;
    clientId: string;
    kind: RecordingKind;
    limitMs: number | null;
    recordingKey: Uint8Array;
  },
  processing: boolean,
  now: () => number,
  freeBytes: () => number,
  /** The input chosen on this laptop; null for the system's default. */
  deviceId: string | null = null,
): ActiveRecording {
  const { recordingId, clientId, kind, limitMs, recordingKey } = recording;
  return {
    recordingId,
    clientId,
    kind,
    limitMs,
    recordingKey,
    state: 'starting',
    elapsedMs: 0,
    nextSeq: 0,
    lastChunkAt: now(),
    lastLoudAt: now(),
    level: 0,
    diskLow: freeBytes() < LOW_DISK_BYTES,
    problem: null,
    settings: {
      echoCancellation: processing,
      noiseSuppression: processing,
      autoGainControl: processing,
      timesliceMs: 1000,
      audioBitsPerSecond: 32_000,
      deviceId,
    },
    mimeType: 'pending',
    levels: [],
    carriedMs: 0,
    onFinished: [],
  };
}

export function statusOf(active: ActiveRecording, now: number): RecorderStatus {
  return {
    recordingId: active.recordingId,
    clientId: active.clientId,
    kind: active.kind,
    limitMs: active.limitMs,
    state: active.state,
    elapsedMs: active.elapsedMs,
    level: active.level,
    silentForMs: active.state === 'recording' ? Math.max(0, now - active.lastLoudAt) : 0,
    chunks: active.nextSeq,
    diskLow: active.diskLow,
    problem: active.problem,
  };
}
