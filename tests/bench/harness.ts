// Shared pieces of the benchmarks: figures, options, statistics, temp folders, the event-loop monitor.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** One measured figure. `baseline` is the comparison figure from the same run, or null. */
export interface Figure {
  id: string;
  value: number;
  unit: string;
  baseline: number | null;
  /** Printed in the table only. */
  note?: string;
}

export interface BenchOptions {
  quick: boolean;
  /** Exact ids (or id prefixes) to run; null runs everything. */
  only: string[] | null;
}

export interface BenchGroup {
  name: string;
  /** Every id the group can report; a group runs when any of them is wanted. */
  ids: string[];
  run(options: BenchOptions, wanted: (id: string) => boolean): Promise<Figure[]>;
}

export const now = (): number => performance.now();

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Rounds to 4 significant digits, keeping at least 3 decimals for small values. */
export function round(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A fresh folder under os.tmpdir(); `cleanup` deletes it. */
export function tempFolder(prefix: string): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), `sv-bench-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Deterministic 32-bit PRNG (mulberry32), so every run stores the same sizes. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The event loop's longest stall while `work` runs (monitorEventLoopDelay's max, 1 ms
 * resolution), and what `work` returns (the longest answer it awaited, for the note).
 */
export async function longestStall(
  work: () => Promise<number>,
): Promise<{ loop: number; call: number }> {
  const monitor = monitorEventLoopDelay({ resolution: 1 });
  monitor.enable();
  let longestCall = 0;
  try {
    // The monitor records the time between two of its timer's firings: a block before its first
    // firing would not count, so the work starts once it has fired.
    await settle(10);
    longestCall = await work();
    // A timer must fire before disabling, or a stall just before is not sampled.
    await settle(10);
  } finally {
    monitor.disable();
  }
  return { loop: monitor.max / 1e6, call: longestCall };
}

/** Refuses to measure with a monitor that would not see a 60 ms block of main. */
export async function checkMonitor(): Promise<void> {
  const { loop } = await longestStall(async () => {
    await settle(5);
    const until = now() + 60;
    while (now() < until);
    return 0;
  });
  if (loop < 55) throw new Error(`the event-loop monitor read a 60 ms block as ${loop} ms`);
}
