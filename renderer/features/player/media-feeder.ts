// Feeds a media element from decrypted chunks through MediaSource: chunk 0 (the header) first,
// then chunks from wherever the listener is, a short window ahead; what has been played is
// removed again, so a three-hour recording holds about as much memory as a one-minute one.
// Chunks are never kept: each goes from main's answer straight into the SourceBuffer.
import { containerOf, mediaStart, sourceBufferType, type ContainerKind } from './container';

interface IndexEntry {
  seq: number;
  startMs: number;
  durationMs: number;
}
export interface RemovedRange {
  fromMs: number;
  toMs: number;
}

interface FeederOptions {
  mimeType: string;
  durationMs: number;
  chunks: IndexEntry[];
  removedRanges: RemovedRange[];
  /** Decrypted bytes of one chunk, from main (playback.chunk). Throws when refused. */
  fetchChunk(seq: number): Promise<Uint8Array>;
  onProblem(message: string): void;
  /** Called when playback jumps over a part removed at the client's request. */
  onSkippedRemoved?(range: RemovedRange): void;
}

/** Seconds kept ahead of the playhead, and behind it (for a short skip back without refetching). */
const AHEAD_MS = 20_000;
const BEHIND_MS = 10_000;
const TICK_MS = 250;

export class MediaFeeder {
  private mediaSource: MediaSource | null = null;
  private sourceBuffer: SourceBuffer | null = null;
  private objectUrl: string | null = null;
  private readonly kind: ContainerKind;
  private nextPos = 0;
  private contiguous = false;
  private clearFirst = false;
  private generation = 0;
  private busy = false;
  private closed = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastTime = 0;
  private heard = 0;
  /** For the memory figure: the most seconds ever held at once, and chunks appended. */
  maxBufferedSeconds = 0;
  appendedChunks = 0;

  constructor(
    private readonly media: HTMLMediaElement,
    private readonly options: FeederOptions,
  ) {
    this.kind = containerOf(options.mimeType);
  }

  get heardMs(): number {
    return Math.round(this.heard * 1000);
  }

  async attach(): Promise<void> {
    const mediaSource = new MediaSource();
    this.mediaSource = mediaSource;
    this.objectUrl = URL.createObjectURL(mediaSource);
    const opened = new Promise<void>((resolve) =>
      mediaSource.addEventListener('sourceopen', () => resolve(), { once: true }),
    );
    this.media.src = this.objectUrl;
    await opened;
    if (this.closed) return;
    this.sourceBuffer = mediaSource.addSourceBuffer(sourceBufferType(this.options.mimeType));
    // Known from the index: never Infinity, even before the last chunk arrives.
    mediaSource.duration = this.options.durationMs / 1000;
    this.media.addEventListener('seeked', this.onSeeked);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    await this.step();
  }

  /** Moves the playhead; refetches from the nearest chunk when that time is not in memory. */
  seek(targetMs: number): void {
    let ms = Math.max(0, Math.min(targetMs, this.options.durationMs - 50));
    const inRemoved = this.options.removedRanges.find((r) => ms >= r.fromMs && ms < r.toMs);
    if (inRemoved) ms = Math.min(inRemoved.toMs, this.options.durationMs - 50);
    if (!this.isBuffered(ms / 1000)) {
      this.generation += 1;
      const pos = this.positionOf(ms);
      // One chunk earlier: a chunk's audio may begin a little before its place in the index.
      this.nextPos = Math.max(0, pos - 1);
      this.contiguous = false;
      this.clearFirst = true;
    }
    this.media.currentTime = ms / 1000;
    this.lastTime = ms / 1000;
    void this.step();
  }

  /** Stops feeding, lets go of the MediaSource and leaves no blob URL behind. */
  detach(): void {
    if (this.closed) return;
    this.closed = true;
    this.generation += 1;
    if (this.timer !== null) clearInterval(this.timer);
    this.media.removeEventListener('seeked', this.onSeeked);
    this.media.pause();
    this.media.removeAttribute('src');
    this.media.load();
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
    this.sourceBuffer = null;
    this.mediaSource = null;
  }

  /** Seconds of audio held in the SourceBuffer now. */
  bufferedSeconds(): number {
    const ranges = this.sourceBuffer?.buffered;
    if (!ranges) return 0;
    let total = 0;
    for (let i = 0; i < ranges.length; i += 1) total += ranges.end(i) - ranges.start(i);
    return total;
  }

  private readonly onSeeked = () => {
    this.lastTime = this.media.currentTime;
    void this.step();
  };

  private positionOf(ms: number): number {
    const chunks = this.options.chunks;
    let low = 0;
    let high = chunks.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (chunks[mid]!.startMs <= ms) low = mid;
      else high = mid - 1;
    }
    return Math.max(0, low);
  }

  private isBuffered(seconds: number): boolean {
    const ranges = this.sourceBuffer?.buffered;
    if (!ranges || this.clearFirst) return false;
    for (let i = 0; i < ranges.length; i += 1) {
      if (ranges.start(i) <= seconds + 0.05 && seconds < ranges.end(i) - 0.5) return true;
    }
    return false;
  }

  private tick(): void {
    if (this.closed) return;
    const media = this.media;
    const now = media.currentTime;
    if (!media.paused && !media.seeking) {
      const delta = now - this.lastTime;
      // Time actually played: a jump (seek, skip) is not listening.
      if (delta > 0 && delta < 1.5 * Math.max(1, media.playbackRate)) this.heard += delta;
      this.skipRemoved(now);
    }
    this.lastTime = media.currentTime;
    this.maxBufferedSeconds = Math.max(this.maxBufferedSeconds, this.bufferedSeconds());
    void this.step();
  }

  /** A removed part has no audio: jump over it instead of waiting at its edge. */
  private skipRemoved(seconds: number): void {
    const ms = seconds * 1000;
    const stalled = this.media.readyState < HTMLMediaElement.HAVE_FUTURE_DATA;
    for (const range of this.options.removedRanges) {
      const inside = ms >= range.fromMs && ms < range.toMs;
      const atEdge = stalled && ms >= range.fromMs - 1500 && ms < range.toMs;
      if (!inside && !atEdge) continue;
      const ranges = this.sourceBuffer?.buffered;
      let target = range.toMs / 1000;
      for (let i = 0; ranges && i < ranges.length; i += 1) {
        const start = ranges.start(i);
        if (start > seconds + 0.05 && start < target + 1.5) {
          target = start;
          break;
        }
      }
      this.media.currentTime = target;
      this.lastTime = target;
      this.options.onSkippedRemoved?.(range);
      return;
    }
  }

  private whenIdle(): Promise<void> {
    const buffer = this.sourceBuffer;
    if (!buffer?.updating) return Promise.resolve();
    return new Promise((resolve) =>
      buffer.addEventListener('updateend', () => resolve(), { once: true }),
    );
  }

  private async update(change: (buffer: SourceBuffer) => void): Promise<void> {
    const buffer = this.sourceBuffer;
    if (!buffer) return;
    await this.whenIdle();
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        buffer.removeEventListener('updateend', done);
        buffer.removeEventListener('error', failed);
        resolve();
      };
      const failed = () => {
        buffer.removeEventListener('updateend', done);
        buffer.removeEventListener('error', failed);
        reject(new Error('The audio could not be decoded.'));
      };
      buffer.addEventListener('updateend', done);
      buffer.addEventListener('error', failed);
      try {
        change(buffer);
      } catch (error) {
        done();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** What has been played goes again, keeping BEHIND_MS for a short skip back. */
  private async evictBehind(): Promise<void> {
    const ranges = this.sourceBuffer?.buffered;
    const playheadMs = this.media.currentTime * 1000;
    if (!ranges || ranges.length === 0) return;
    if (playheadMs - ranges.start(0) * 1000 <= BEHIND_MS + 2000) return;
    const until = (playheadMs - BEHIND_MS) / 1000;
    await this.update((buffer) => buffer.remove(0, until));
  }

  /** One round of work: clear after a far seek, evict behind, append ahead, end the stream. */
  private async step(): Promise<void> {
    if (this.busy || this.closed || !this.sourceBuffer || !this.mediaSource) return;
    this.busy = true;
    try {
      const generation = this.generation;
      if (this.clearFirst) {
        this.clearFirst = false;
        if (this.sourceBuffer.buffered.length > 0)
          await this.update((buffer) => buffer.remove(0, Number.POSITIVE_INFINITY));
      }
      const chunks = this.options.chunks;
      while (
        !this.closed &&
        generation === this.generation &&
        this.nextPos < chunks.length &&
        chunks[this.nextPos]!.startMs < this.media.currentTime * 1000 + AHEAD_MS
      ) {
        await this.evictBehind();
        const entry = chunks[this.nextPos]!;
        const bytes = await this.options.fetchChunk(entry.seq);
        if (this.closed || generation !== this.generation) break;
        let data = bytes;
        if (!this.contiguous && entry.seq !== 0) {
          const start = mediaStart(bytes, this.kind);
          data = start === null ? new Uint8Array(0) : bytes.subarray(start);
        }
        if (data.byteLength > 0)
          await this.update((buffer) => buffer.appendBuffer(data as Uint8Array<ArrayBuffer>));
        this.appendedChunks += 1;
        this.nextPos += 1;
        // WebM chunks after a removed part do not continue the one before.
        const next = chunks[this.nextPos];
        this.contiguous = this.kind === 'mp4' || (next !== undefined && next.seq === entry.seq + 1);
      }
      await this.evictBehind();
      if (
        generation === this.generation &&
        this.nextPos >= chunks.length &&
        this.mediaSource.readyState === 'open'
      ) {
        await this.whenIdle();
        if (this.mediaSource?.readyState === 'open') this.mediaSource.endOfStream();
      }
    } catch (error) {
      if (!this.closed)
        this.options.onProblem(error instanceof Error ? error.message : String(error));
    } finally {
      this.busy = false;
    }
  }
}
