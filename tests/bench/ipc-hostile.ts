// ipc_hostile_max_ms: the slowest refusal of a hostile call at the door main opens to a page, the
// real core's dispatchWire (the floods of issue 13: 4 MB of bytes, a 4-million-character name, a
// million keys, a million elements, deep nesting), each arriving as the bytes a page can send.
// ipc_hostile_in_memory_max_ms: the same floods handed to dispatch as objects (what an in-process
// caller could do; in the app no page can). Baseline: the median of a small valid call.
import { randomBytes } from 'node:crypto';
import { createCore } from '../../electron/core/create-core';
import type { Caller } from '../../shared/api';
import { encodeRequest } from '../../shared/wire';
import { LIGHT_KDF, PASSPHRASE } from './fixture';
import { type BenchGroup, log, median, now, round, tempFolder } from './harness';

function deeplyNested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) value = { a: value };
  return value;
}

export const ipcHostileGroup: BenchGroup = {
  name: 'ipc hostile',
  ids: ['ipc_hostile_max_ms', 'ipc_hostile_in_memory_max_ms'],
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
      /** A message of the wire's layout around any JSON text: a page bypassing the encoder. */
      const rawMessage = (json: string) => {
        const body = new TextEncoder().encode(json);
        const out = new Uint8Array(4 + body.byteLength);
        new DataView(out.buffer).setUint32(0, body.byteLength, true);
        out.set(body, 4);
        return out;
      };
      const bypassing: Array<[string, string, () => Uint8Array]> = [
        ['8 MB of [ to the consent channel', 'consent.sign', () => rawMessage('['.repeat(8e6))],
        [
          '300,000 keys in 7 MB to the consent channel',
          'consent.sign',
          () => rawMessage(`{${Array.from({ length: 300_000 }, (_, i) => `"k${i}":0`).join(',')}}`),
        ],
        ['8 MB of random bytes to the consent channel', 'consent.sign', () => randomBytes(8e6)],
      ];
      const measure = async (
        label: string,
        calls: Array<[string, string, () => unknown, Caller?]>,
        door: (channel: unknown, payload: unknown, caller?: Caller) => Promise<unknown>,
      ) => {
        const times: number[] = [];
        let slowest = '';
        for (const [what, channel, build, caller] of calls) {
          const payload = build();
          const name = channel === '' ? payload : channel;
          // The page built the flood, in its own process: its garbage is not main's to collect.
          (globalThis as { gc?: () => void }).gc?.();
          const start = now();
          const result = (await door(name, payload, caller)) as
            { ok: true } | { ok: false; error: { code: string } };
          const ms = now() - start;
          if (result.ok) throw new Error(`${what} was accepted`);
          const size = JSON.stringify(result).length;
          log(
            `  ${label} ${what}: ${ms.toFixed(1)} ms, ${result.error.code}, reply ${size} characters`,
          );
          if (ms > Math.max(0, ...times)) slowest = what;
          times.push(ms);
        }
        return { max: Math.max(...times), slowest };
      };
      // As bytes, each encoded by the page's own encoder before the clock starts: the page pays
      // for encoding a million keys, main only for reading the length. Nesting 50,000 deep is
      // more than the encoder can carry (the page's call fails there), so it is sent raw.
      const asBytes = hostile.map(
        ([what, channel, build, caller]) =>
          [
            what,
            channel,
            () => {
              if (what.includes('nesting')) return rawMessage('{"a":'.repeat(50_000));
              const value = build();
              return channel === '' ? value : encodeRequest(value);
            },
            caller,
          ] as [string, string, () => unknown, Caller?],
      );
      const wire = await measure('bytes:', [...asBytes, ...bypassing], (channel, payload, caller) =>
        core.dispatchWire(channel, payload, caller),
      );
      const inMemory = await measure('object:', hostile, (channel, payload, caller) =>
        core.dispatch(channel, payload, caller),
      );
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
          value: round(wire.max),
          unit: 'ms',
          baseline: round(median(valid)),
          note: `as bytes (dispatchWire, the page's door); slowest: ${wire.slowest}; baseline: median clients.list (valid, small)`,
        },
        {
          id: 'ipc_hostile_in_memory_max_ms',
          value: round(inMemory.max),
          unit: 'ms',
          baseline: round(median(valid)),
          note: `as objects (dispatch, in-process callers only); slowest: ${inMemory.slowest}`,
        },
      ];
    } finally {
      core.close();
      folder.cleanup();
    }
  },
};
