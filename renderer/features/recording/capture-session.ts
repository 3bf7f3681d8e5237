// The capture window's side of a recording: one microphone, one MediaRecorder, and the chunks
// sent to main strictly in order, each answered (sealed and committed) before the next is sent.
import type { CaptureApi, CaptureSettings } from '../../../shared/api';
import { callMain, Refusal } from '../../app/call-main';
import { LevelBins } from './level-bins';
import { startLevelMeter, type LevelMeter } from './level-meter';

type Capture = CaptureApi['capture'];
export type CaptureFailure =
  'permission-denied' | 'no-microphone' | 'device-lost' | 'recorder-error';

/** mp4 first: its chunks are whole fragments that a player can start from (see ../player/container.ts). */
function chooseMimeType(isSupported: (type: string) => boolean): string {
  return isSupported('audio/mp4;codecs=opus') ? 'audio/mp4;codecs=opus' : 'audio/webm;codecs=opus';
}

export function failureOf(error: unknown): CaptureFailure {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'permission-denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-microphone';
  return 'recorder-error';
}

/** Recorded time, with paused time left out, from performance.now(). */
class RecordedClock {
  private accumulated = 0;
  private runningSince: number | null = null;
  private reported = 0;

  constructor(private readonly now: () => number) {}

  start(): void {
    this.runningSince = this.now();
  }
  pause(): void {
    if (this.runningSince === null) return;
    this.accumulated += this.now() - this.runningSince;
    this.runningSince = null;
  }
  resume(): void {
    if (this.runningSince === null) this.runningSince = this.now();
  }
  total(): number {
    return this.accumulated + (this.runningSince === null ? 0 : this.now() - this.runningSince);
  }
  /** Recorded milliseconds since the previous call. */
  sinceLastChunk(): number {
    const total = this.total();
    const duration = Math.max(0, total - this.reported);
    this.reported = total;
    return duration;
  }
}

export class CaptureSession {
  private recorder: MediaRecorder | null = null;
  private stream: MediaStream | null = null;
  private meter: LevelMeter | null = null;
  private readonly clock = new RecordedClock(() => performance.now());
  private readonly levels = new LevelBins();
  private queue: Promise<void> = Promise.resolve();
  private seq = 0;
  private broken = false;
  private stopping = false;
  private failed = false;
  /** Resolves once capture.finished (or capture.failed) was sent. */
  readonly done: Promise<void>;
  private markDone: () => void = () => undefined;

  constructor(
    readonly recordingId: string,
    private readonly capture: Capture,
    private readonly onChunkSent: (seq: number) => void = () => undefined,
  ) {
    this.done = new Promise((resolve) => {
      this.markDone = resolve;
    });
  }

  async start(settings: CaptureSettings): Promise<void> {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          // The input chosen on this laptop, and no other: the screen said which one records.
          ...(settings.deviceId ? { deviceId: { exact: settings.deviceId } } : {}),
          echoCancellation: settings.echoCancellation,
          noiseSuppression: settings.noiseSuppression,
          autoGainControl: settings.autoGainControl,
        },
        video: false,
      });
    } catch (error) {
      await this.fail(failureOf(error));
      return;
    }
    if (this.stopping) {
      this.release();
      this.markDone();
      return;
    }
    const mimeType = chooseMimeType((type) => MediaRecorder.isTypeSupported(type));
    let recorder: MediaRecorder;
    try {
      recorder = new MediaRecorder(this.stream, {
        mimeType,
        audioBitsPerSecond: settings.audioBitsPerSecond,
      });
    } catch {
      await this.fail('recorder-error');
      return;
    }
    this.recorder = recorder;
    for (const track of this.stream.getAudioTracks()) {
      track.addEventListener('ended', () => void this.fail('device-lost'));
    }
    recorder.addEventListener('dataavailable', (event) => this.enqueue(event.data));
    recorder.addEventListener('error', () => void this.fail('recorder-error'));
    recorder.addEventListener('stop', () => {
      // The last dataavailable comes just before 'stop': finish after it has been sent.
      this.queue = this.queue.then(async () => {
        this.release();
        if (!this.broken) await this.capture.finished({ recordingId: this.recordingId });
        this.markDone();
      });
    });
    const started = await callMain(
      this.capture.started({ recordingId: this.recordingId, mimeType }),
    );
    if (started instanceof Refusal) {
      this.broken = true;
      this.release();
      this.markDone();
      return;
    }
    recorder.start(settings.timesliceMs);
    this.clock.start();
    this.meter = startLevelMeter(
      this.stream,
      (rms) => this.capture.level({ recordingId: this.recordingId, rms }),
      (peak) => this.levels.add(peak, this.clock.total()),
    );
  }

  /** Never two in flight: each chunk waits for main's answer to the one before. */
  private enqueue(blob: Blob): void {
    const durationMs = Math.min(10_000, Math.round(this.clock.sinceLastChunk()));
    const levels = this.levels.take(this.stopping);
    this.queue = this.queue.then(async () => {
      if (this.broken) return;
      const data = new Uint8Array(await blob.arrayBuffer());
      const seq = this.seq;
      const stored = await callMain(
        this.capture.chunk({ recordingId: this.recordingId, seq, durationMs, data, levels }),
      );
      if (!(stored instanceof Refusal)) {
        this.seq += 1;
        this.onChunkSent(seq);
        return;
      }
      // Main refused it (disk full, recording stopped): nothing later can be stored in order.
      this.broken = true;
      this.stopRecorder();
    });
  }

  pause(): void {
    if (this.recorder?.state !== 'recording') return;
    this.recorder.pause();
    this.clock.pause();
    this.meter?.pause();
  }

  resume(): void {
    if (this.recorder?.state !== 'paused') return;
    this.recorder.resume();
    this.clock.resume();
    this.meter?.resume();
  }

  /** Stops the recorder; the final chunk and capture.finished follow from its 'stop' event. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    if (!this.recorder || this.recorder.state === 'inactive') {
      this.release();
      this.markDone();
      return;
    }
    this.stopRecorder();
  }

  private stopRecorder(): void {
    this.stopping = true;
    if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    this.meter?.stop();
  }

  /** Tells main once; a recorder that was running still sends its last chunk and finishes. */
  private async fail(reason: CaptureFailure): Promise<void> {
    if (this.failed || this.broken) return;
    this.failed = true;
    await this.capture.failed({ recordingId: this.recordingId, reason });
    if (this.recorder && this.recorder.state !== 'inactive') {
      this.stopRecorder();
      return;
    }
    this.broken = true;
    this.release();
    this.markDone();
  }

  /** Lets the microphone go. */
  private release(): void {
    this.meter?.stop();
    this.meter = null;
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }
}
