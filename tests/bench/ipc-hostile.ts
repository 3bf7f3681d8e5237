// ipc_hostile_max_ms: the slowest refusal of a hostile call through the real core's dispatch (the
// floods of issue 13: 4 MB of bytes, a 4-million-character name, a million keys, a million
// elements, deep nesting). Baseline: the median of a small valid call in the same run.
import { randomBytes } from 'node:crypto';
import { createCore } from '../../electron/core/create-core';
import type { Caller } from '../../shared/api';
import { LIGHT_KDF, PASSPHRASE } from './fixture';
import { type BenchGroup, log, median, now, round, tempFolder } from './harness';

function deeplyNested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
}

export const ipcHostileGroup: BenchGroup = {
  name: 'ipc hostile',
  ids: ['ipc_hostile_max_ms'],
  async run(options) {
    const folder = tempFolder('ipc');
    const core = await createCore({
      dataDir: folder.path,
      deviceSecret: new Uint8Array(randomBytes(32)),
      kdf: LIGHT_KDF,
      freeBytes: () => 1e12,
      captureHost: { open: () => undefined, close: () => undefined },
    });
    try {
      const created = await core.dispatch('vault.create', {
        practiceName: 'Riverside',
        therapistName: 'Dr. Jane Example',
        passphrase: PASSPHRASE,
      });
      if (!created.ok) throw new Error(created.error.message);
      const keys = options.quick ? 200_000 : 1_000_000;
      // Each built before its clock starts: the cost measured is main's, not the page's.
      const hostile: Array<[string, string, () => unknown, Caller?]> = [
        ['4 MB of bytes as a request', 'clients.add', () => new Uint8Array(4 * 1024 * 1024)],
        [
          '4 MB of bytes as a chunk',
          'capture.chunk',
          () => ({
            recordingId: '0'.repeat(32),
            seq: 0,
            durationMs: 1000,
            data: new Uint8Array(4 * 1024 * 1024),
          }),
          'capture',
        ],
        [
          'a 4-million-character name',
          'clients.add',
          () => ({ displayName: 'x'.repeat(4 * 1024 * 1024), otherParticipants: [] }),
        ],
        [
          `${keys.toLocaleString('en')} keys`,
          'clients.add',
          () => Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, i])),
        ],
        [
          'a million elements',
          'clients.add',
          () => ({ displayName: 'A', otherParticipants: new Array(1_000_000).fill('x') }),
        ],
        ['50,000 levels of nesting', 'consent.sign', () => deeplyNested(50_000)],
        [
          '2^32 + 1 as a seq',
          'playback.chunk',
          () => ({ playbackId: '0'.repeat(32), seq: 2 ** 32 + 1 }),
        ],
        ['an unknown channel named by 4 MB', '', () => new Uint8Array(4 * 1024 * 1024)],
      ];
      const refusals: number[] = [];
      let slowest = '';
      for (const [what, channel, build, caller] of hostile) {
        const payload = build();
        const name = channel === '' ? payload : channel;
        const start = now();
        const result = await core.dispatch(name, payload, caller);
        const ms = now() - start;
        if (result.ok) throw new Error(`${what} was accepted`);
        const size = JSON.stringify(result).length;
        log(`  ${what}: ${ms.toFixed(1)} ms, ${result.error.code}, reply ${size} characters`);
        if (ms > Math.max(0, ...refusals)) slowest = what;
        refusals.push(ms);
      }
      const valid: number[] = [];
      for (let i = 0; i < (options.quick ? 20 : 100); i += 1) {
        const start = now();
        const result = await core.dispatch('clients.list', {});
        valid.push(now() - start);
        if (!result.ok) throw new Error(result.error.message);
      }
      return [
        {
          id: 'ipc_hostile_max_ms',
          value: round(Math.max(...refusals)),
          unit: 'ms',
          baseline: round(median(valid)),
          note: `slowest: ${slowest}; baseline: median clients.list (valid, small)`,
        },
      ];
    } finally {
      core.close();
      folder.cleanup();
    }
  },
};
