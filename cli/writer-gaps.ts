// The gaps between a recording's writes, for a backup to use the disk in. A session appends one
// chunk a second to its recording's file: a frame and its `fdatasync`, about 2 ms on a quiet
// disk (the vault's WAL is written at a marker, a stop, an access logged). A cache flush waits for every write the disk took before
// it, so a backup that read and wrote through that second put its own megabytes ahead of each
// append: with a flush every 4 MiB the append's p99 went from 2–5 ms to 18–23 ms, and no smaller
// flush brought it under twice (0.5 MiB: 8–10 ms, at 0.7 × the speed; docs/benchmarks.md, issue
// 16). So the backup watches the vault's files, learns the writer's rhythm, and works only in
// the first part of each gap: it stops early enough for its last flush to finish before the next
// append, and waits there. A writer that never pauses, or no writer, leaves it at full speed.
import { statSync, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { VAULT_FILE_NAME } from '../electron/core/platform/db';
import { RECORDINGS_FOLDER, audioFilePath } from '../electron/core/recording/audio-file';

/** With no write seen for this long, nobody is recording. */
export const WRITER_IDLE_MS = 1500;
/** A burst's writes come within this of one another; a write later starts the next burst. */
const BURST_JOIN_MS = 50;
/** After a write, its flush may still be on its way to the disk. */
const AFTER_WRITE_MS = 10;
/** A burst longer than this is a writer that does not pause: there is no gap to wait for. */
const LONGEST_BURST_MS = 100;
/**
 * The share of the writer's period, from the start of a burst, the backup may use. The rest is
 * for its last piece and flush to finish before the next append (a few 4 MiB flushes: 10–40 ms
 * here). At 0.7 a backup while recording took 1.3–1.8 × its idle time (bound 2).
 */
const SHARE_OF_PERIOD = 0.8;
/** Before two bursts were seen, a chunk a second. */
const ASSUMED_PERIOD_MS = 1000;
const PERIOD_RANGE_MS = [200, 2000] as const;

/** A recording being made when the backup began: its id, and whether its chunks go to a file. */
export interface RecordingNow {
  id: string;
  inFile: boolean;
}

/**
 * Whether the backup may use the disk at `at`, or how long to wait before asking again; and
 * whether to make its writes durable first (it used its share of the gap), or not (a write just
 * came, and a flush now would go ahead of the writer's).
 */
export type GapTurn = { go: true } | { go: false; waitMs: number; flushFirst: boolean };

/** The writer's rhythm as seen so far, and the rule that reads it. Times in milliseconds. */
export class WriterRhythm {
  #burstStart = Number.NEGATIVE_INFINITY;
  #lastWrite = Number.NEGATIVE_INFINITY;
  #periodMs: number = ASSUMED_PERIOD_MS;

  noteWrite(at: number): void {
    if (at - this.#lastWrite > BURST_JOIN_MS) {
      // After a pause longer than idle, the writer starts afresh: its last period still holds.
      if (at - this.#lastWrite <= WRITER_IDLE_MS)
        this.#periodMs = Math.min(
          PERIOD_RANGE_MS[1],
          Math.max(PERIOD_RANGE_MS[0], at - this.#burstStart),
        );
      this.#burstStart = at;
    }
    this.#lastWrite = Math.max(this.#lastWrite, at);
  }

  turn(at: number): GapTurn {
    const sinceWrite = at - this.#lastWrite;
    if (sinceWrite > WRITER_IDLE_MS) return { go: true };
    if (this.#lastWrite - this.#burstStart > LONGEST_BURST_MS) return { go: true };
    if (sinceWrite < AFTER_WRITE_MS)
      return { go: false, waitMs: AFTER_WRITE_MS - sinceWrite, flushFirst: false };
    if (at - this.#burstStart < SHARE_OF_PERIOD * this.#periodMs) return { go: true };
    // Past its share: wait for the next burst, or for the writer to be idle.
    return { go: false, waitMs: WRITER_IDLE_MS - sinceWrite + 1, flushFirst: true };
  }
}

/**
 * Watches what the recordings being made write to. If the platform cannot watch it, every turn
 * is at once: the backup is then as it was before, complete, only harder on the appends.
 */
export class WriterGaps {
  readonly #rhythm = new WriterRhythm();
  readonly #watchers: FSWatcher[] = [];
  #waiting = new Set<() => void>();
  #writesHeard = 0;
  #waitedMs = 0;

  /**
   * `recording` is what the snapshot says is being recorded now, and where each keeps its chunks:
   * a recording in a file is written to that file every second, one in SQLite (a vault from
   * before 0070) to the WAL. With nothing being recorded nothing is watched: the vault's other
   * writes (an access logged, a marker) are not a rhythm, and the copy goes at full speed.
   */
  constructor(vaultDir: string, recording: readonly RecordingNow[]) {
    const wal = join(vaultDir, `${VAULT_FILE_NAME}-wal`);
    const recordings = join(vaultDir, RECORDINGS_FOLDER);
    const files = new Set(
      recording.filter((r) => r.inFile).map((r) => basename(audioFilePath(recordings, r.id))),
    );
    const inSqlite = recording.some((r) => !r.inFile);
    // The newest write before the backup began counts as the first burst: without it, the
    // copy ran at full speed through the first append it then heard.
    let newest = Number.NEGATIVE_INFINITY;
    for (const path of [...(inSqlite ? [wal] : []), ...[...files].map((f) => join(recordings, f))])
      try {
        newest = Math.max(newest, statSync(path).mtimeMs);
      } catch {
        // Not there: no WAL since the last checkpoint, or a recording with no chunk yet.
      }
    const age = Date.now() - newest;
    if (age >= 0 && age < WRITER_IDLE_MS) this.#rhythm.noteWrite(performance.now() - age);
    if (inSqlite) this.#watch(vaultDir, (name) => name === basename(wal));
    if (files.size > 0) this.#watch(recordings, (name) => files.has(name));
  }

  #watch(folder: string, counts: (name: string) => boolean): void {
    try {
      const watcher = watch(folder, { persistent: false }, (_event, name) => {
        if (name !== null && counts(name)) this.#noteWrite();
      });
      watcher.on('error', () => watcher.close());
      this.#watchers.push(watcher);
    } catch {
      // A folder not there yet (no recording in a file), or no watch on this platform.
    }
  }

  #noteWrite(): void {
    this.#writesHeard += 1;
    this.#rhythm.noteWrite(performance.now());
    const waiting = this.#waiting;
    this.#waiting = new Set();
    for (const wake of waiting) wake();
  }

  /**
   * Resolves when the backup may read or write its next piece. When it has used its share of a
   * gap, `flush` first makes what it wrote durable, so that flush is behind it when the writer
   * comes; `flush` does nothing if nothing was written since the last.
   */
  async nextTurn(flush: () => Promise<void>): Promise<void> {
    let flushed = false;
    for (;;) {
      const turn = this.#rhythm.turn(performance.now());
      if (turn.go) return;
      if (turn.flushFirst && !flushed) {
        await flush();
        flushed = true;
        // A write may have come during the flush: the turn is read again before waiting.
        continue;
      }
      const waitedFrom = performance.now();
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, turn.waitMs);
        this.#waiting.add(wake);
      });
      this.#waitedMs += performance.now() - waitedFrom;
    }
  }

  /** Writes of the recordings being made, seen while the backup ran. */
  get writesHeard(): number {
    return this.#writesHeard;
  }

  /** Milliseconds the backup waited for the writer's gaps. */
  get waitedMs(): number {
    return this.#waitedMs;
  }

  close(): void {
    for (const watcher of this.#watchers.splice(0)) watcher.close();
    for (const wake of this.#waiting) wake();
  }
}
