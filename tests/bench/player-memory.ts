// playback_heap_growth_mb: measured in real Chromium by tests/e2e/player-memory.test.ts (the
// player's MediaSource feeding with eviction over a whole recording); the bench runs that test
// and reads the figure it prints. It needs the built renderer (npm run build) and /usr/bin/chromium.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { type BenchGroup, type Figure, log } from './harness';

const ID = 'playback_heap_growth_mb';

export const playerMemoryGroup: BenchGroup = {
  name: 'player memory in Chromium',
  ids: [ID],
  async run(options) {
    if (!existsSync('out/renderer/index.html') || !existsSync('/usr/bin/chromium')) {
      log('  skipped: needs `npm run build` and Debian Chromium at /usr/bin/chromium');
      return [];
    }
    const chunks = options.quick ? 1800 : 10_800;
    const run = spawnSync('npx', ['vitest', 'run', 'tests/e2e/player-memory.test.ts'], {
      env: { ...process.env, SV_MEMORY_CHUNKS: String(chunks) },
      encoding: 'utf8',
      timeout: 600_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    const match = /playback_heap_growth_mb = (-?[\d.]+) MB over (\d+) chunks \(([^)]*)\)/.exec(
      output,
    );
    if (run.status !== 0 || !match) {
      log(`  the Chromium run failed (exit ${run.status}); no figure`);
      return [];
    }
    const figure: Figure = {
      id: ID,
      value: Number(match[1]),
      unit: 'MB',
      baseline: null,
      note: `${match[2]} one-second chunks played through MediaSource; ${match[3]}`,
    };
    return [figure];
  },
};
