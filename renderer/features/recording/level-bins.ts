// Peaks gathered into bins of recorded time (LEVEL_BIN_MS each), one byte a bin on a decibel
// scale, handed out with each chunk so main can seal them with the recording.
import { LEVEL_BIN_MS, MAX_LEVELS_PER_CHUNK } from '../../../shared/api';

/** Quieter than this reads as silence on the waveform. */
const FLOOR_DB = -60;

export function peakByte(peak: number): number {
  if (peak <= 0) return 0;
  const db = 20 * Math.log10(peak);
  return Math.round(Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB)) * 255);
}

export class LevelBins {
  private done: number[] = [];
  private bin = 0;
  private highest = 0;

  /** A peak read at `recordedMs` of recorded time (paused time left out). */
  add(peak: number, recordedMs: number): void {
    const bin = Math.floor(recordedMs / LEVEL_BIN_MS);
    const value = peakByte(peak);
    if (bin <= this.bin) {
      this.highest = Math.max(this.highest, value);
      return;
    }
    this.done.push(this.highest);
    // A read that came late (a busy page) leaves no hole: the bins it skipped take its peak.
    for (let skipped = this.bin + 1; skipped < bin; skipped += 1) this.done.push(value);
    this.bin = bin;
    this.highest = value;
  }

  /** The bins finished since the last call (and, at the end, the one still open). */
  take(last: boolean): Uint8Array {
    if (last) {
      this.done.push(this.highest);
      this.highest = 0;
      this.bin += 1;
    }
    const taken = this.done.splice(0, MAX_LEVELS_PER_CHUNK);
    return Uint8Array.from(taken);
  }
}
