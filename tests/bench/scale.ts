// Group `scale` (issue 16, docs/scale-study.md "Proposed bench group"): a practice's year on
// buildYearFixture. SESSION_VAULT_BENCH_SCALE_HOURS (default 100, the reported size) sets how many
// one-hour recordings; a smaller number is for trying the group out, never for the figures.
// Longest turn: the larger of monitorEventLoopDelay's max over the figure and the longest single
// call the figure makes into the core (each `tick()`, each awaited request: an upper bound on
// its turn), with an idle event loop's max over the same monitor as the baseline.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import type { Core } from '../../electron/core/create-core';
import { call } from '../unit/helpers/practice-helpers';
import { PASSPHRASE } from './fixture';
import { type BenchGroup, type Figure, log, median, now, round } from './harness';
import { buildYearFixture } from './year-fixture';

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The event loop's longest stall while `work` runs; the monitor samples on timers. */
async function longestStall(work: () => Promise<number>): Promise<{ loop: number; call: number }> {
  const monitor = monitorEventLoopDelay({ resolution: 1 });
  monitor.enable();
  let longestCall = 0;
  try {
    longestCall = await work();
    // A timer must fire before disabling, or a stall just before is not sampled.
    await settle(10);
  } finally {
    monitor.disable();
  }
  return { loop: monitor.max / 1e6, call: longestCall };
}

async function timed<T>(run: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const started = now();
  const value = await run();
  return { value, ms: now() - started };
}

function folderBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

/** Drops the page cache for every file of the vault (GNU dd: count=0 with nocache). */
function dropCache(dir: string): boolean {
  return readdirSync(dir).every(
    (file) =>
      spawnSync('dd', [`if=${join(dir, file)}`, 'iflag=nocache', 'count=0'], { stdio: 'ignore' })
        .status === 0,
  );
}

export const scaleGroup: BenchGroup = {
  name: 'scale',
  ids: ['cold_start_ms', 'library_all_ms', 'sweep_60_max_block_ms', 'space_returned_pct'],
  async run(options, wanted) {
    const hours = Number(
      process.env['SESSION_VAULT_BENCH_SCALE_HOURS'] ?? (options.quick ? 4 : 100),
    );
    const seconds = Number(process.env['SESSION_VAULT_BENCH_SCALE_SECONDS'] ?? 3600);
    const figures: Figure[] = [];
    const load = () => loadavg()[0]!.toFixed(1);
    log(`scale: building ${hours} recordings × ${seconds} s (load ${load()})`);
    const fixture = await buildYearFixture({ clients: 40, recordings: hours, seconds });
    log(`scale: built in ${Math.round(fixture.buildMs / 1000)} s, ${fixture.fileBytes()} bytes`);
    const note = `${hours} × ${seconds} s, load ${load()}`;
    try {
      let core: Core = fixture.core;
      if (wanted('cold_start_ms')) {
        fixture.closeCore();
        const cold = dropCache(fixture.dataDir);
        const baseline = await timed(
          () => spawnSync('cat', [fixture.path], { stdio: 'ignore' }).status,
        );
        dropCache(fixture.dataDir);
        const start = await timed(async () => {
          const opened = await fixture.reopen();
          await call(opened, 'vault.status');
          return opened;
        });
        core = start.value;
        figures.push({
          id: 'cold_start_ms',
          value: round(start.ms),
          unit: 'ms',
          baseline: round(baseline.ms),
          note: `baseline: reading the vault file whole; ${cold ? 'cold' : 'page cache NOT dropped'}; ${note}`,
        });
        await call(core, 'session.unlock', { passphrase: PASSPHRASE });
      }
      if (wanted('library_all_ms')) {
        const runs: number[] = [];
        for (let i = 0; i < 5; i += 1)
          runs.push((await timed(() => call(core, 'recordings.library'))).ms);
        const perClient = await timed(async () => {
          const { clients } = await call(core, 'clients.list');
          for (const client of clients)
            await call(core, 'clients.detail', { clientId: client.clientId });
        });
        figures.push({
          id: 'library_all_ms',
          value: round(median(runs)),
          unit: 'ms',
          baseline: round(perClient.ms),
          note: `median of 5; baseline clients.list + every clients.detail; ${note}`,
        });
      }
      if (wanted('sweep_60_max_block_ms') || wanted('space_returned_pct')) {
        const due = Math.min(60, fixture.recordings.length);
        const before = folderBytes(fixture.dataDir);
        const idle = await longestStall(async () => {
          await settle(2000);
          return 0;
        });
        // A year on, every recording is due; confirming the leap sweeps them (the first due),
        // then main's one-second tick carries the rest, as in the app.
        // Reopened a year on, as the app after time away: the leap holds destruction until the
        // therapist confirms the date.
        fixture.closeCore();
        fixture.clock.advance(YEAR_MS);
        core = await fixture.reopen();
        await call(core, 'session.unlock', { passphrase: PASSPHRASE });
        const stall = await longestStall(async () => {
          let longest = (await timed(() => call(core, 'vault.confirmDate', {}))).ms;
          for (;;) {
            const { entries } = await call(core, 'audit.recent', { limit: 500 });
            const complete = entries.filter((e) => e.action === 'recording.destroy.complete');
            if (complete.length >= fixture.recordings.length) break;
            longest = Math.max(longest, (await timed(() => core.tick())).ms);
            await settle(50);
          }
          return longest;
        });
        if (wanted('sweep_60_max_block_ms'))
          figures.push({
            id: 'sweep_60_max_block_ms',
            value: round(Math.max(stall.loop, stall.call)),
            unit: 'ms',
            baseline: round(idle.loop),
            note: `${fixture.recordings.length} due (aim 60); loop ${round(stall.loop)} ms, longest call ${round(stall.call)} ms; ${note}`,
          });
        if (wanted('space_returned_pct')) {
          // The freed pages go back in the background after the last removal: wait for them.
          const freePages = (): number => {
            const db = new Database(fixture.path, { readonly: true, fileMustExist: true });
            try {
              return db.pragma('freelist_count', { simple: true }) as number;
            } finally {
              db.close();
            }
          };
          const deadline = now() + 600_000;
          while (freePages() > 0 && now() < deadline) {
            core.tick();
            await settle(200);
          }
          core.close();
          const after = folderBytes(fixture.dataDir);
          figures.push({
            id: 'space_returned_pct',
            value: round(((before - after) / fixture.audioBytes) * 100),
            unit: '%',
            baseline: null,
            note: `every recording destroyed (aim: half), ${due} or more; ${note}`,
          });
        }
      }
    } finally {
      fixture.cleanup();
    }
    return figures;
  },
};
