// Every door against hostile input (issue 13): random JSON, floods, deep nesting, prototype keys,
// NaN, infinities and out-of-range integers, on every channel in every role, through the real
// core's dispatch. Each is refused with a short typed error and changes nothing in the vault.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { channels, contract, isChannel, type Caller, type Channel } from '../../../shared/api';
import { errorSentences, type ErrorCode } from '../../../shared/errors';
import { decodeRequest, encodeRequest } from '../../../shared/wire';
import { fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';
import {
  call,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  testCore,
} from '../helpers/practice-helpers';

let dataDir: string;
let core: Core;
let clock: ReturnType<typeof fakeClock>;
let clientId: string;
const AUDITOR = { signInName: 'Morgan Auditor', passphrase: 'a long enough passphrase here' };
const PIN = '482915';

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-fuzz-'));
  clock = fakeClock();
  core = await testCore(dataDir, clock);
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  const client = await signedClient(core, clock.now(), { pin: PIN });
  clientId = client.clientId;
  const { recordingId } = await startCapture(core, clientId);
  await sendSeconds(core, recordingId, 2, { beforeEach: () => clock.advance(1000) });
  await stopCapture(core, recordingId);
  await call(core, 'auditors.add', AUDITOR);
});
afterAll(() => {
  core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Every row the vault holds but its access log (refusals are logged, as they should be): read
 * straight from the file, so nothing the core answers can hide a change.
 */
function vaultDigest(): string {
  const db = new Database(join(dataDir, 'vault.sqlite'), { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'audit_%' ORDER BY name",
      )
      .all() as { name: string }[];
    const hash = createHash('sha256');
    for (const { name } of tables) {
      hash.update(name);
      for (const row of db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()) {
        hash.update(
          JSON.stringify(row, (_key, value: unknown) =>
            Buffer.isBuffer(value) ? value.toString('hex') : value,
          ),
        );
      }
    }
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

type Role = 'therapist' | 'client' | 'auditor' | 'locked' | 'capture';

/** Brings the core into a role with valid calls; returns who sends the hostile ones. */
async function become(role: Role): Promise<Caller> {
  await call(core, 'session.lock');
  if (role === 'locked') return 'ui';
  await call(core, 'session.unlock', { passphrase: PASSPHRASE });
  if (role === 'client') {
    await call(core, 'review.start', { clientId, maxMinutes: 30 });
    await call(core, 'review.unlock', { pin: PIN });
  }
  if (role === 'auditor') {
    await call(core, 'session.lock');
    await call(core, 'session.unlockAuditor', AUDITOR);
  }
  return role === 'capture' ? 'capture' : 'ui';
}

const outOfRange = fc.constantFrom(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  -0,
  0.5,
  2 ** 31,
  2 ** 32 + 1,
  2 ** 53,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'then'),
  fc.string({ maxLength: 12 }),
);
const hostileValue = fc.anything({
  key: hostileKey,
  maxDepth: 4,
  maxKeys: 6,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
  withMap: true,
  withSet: true,
  withDate: true,
  withBigInt: true,
  withBoxedValues: true,
  values: [outOfRange, fc.string({ maxLength: 40 }), fc.boolean(), fc.constant(null)],
});

function fieldsOf(channel: Channel): string[] {
  const shape = (contract[channel].request as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** A request with the channel's own field names (and maybe one more), each holding anything. */
const shapedLike = (channel: Channel) =>
  fc
    .tuple(
      fc.subarray(fieldsOf(channel)),
      fc.array(hostileValue, { minLength: 8, maxLength: 8 }),
      fc.option(hostileKey, { nil: undefined }),
    )
    .map(([fields, values, extra]) => {
      const request: Record<string, unknown> = JSON.parse('{}') as Record<string, unknown>;
      fields.forEach((field, i) => (request[field] = values[i]));
      // JSON.parse makes '__proto__' an own key, as a page's structured clone would.
      if (extra !== undefined) Object.assign(request, JSON.parse(JSON.stringify({ [extra]: 1 })));
      return request;
    });

function deeplyNested(levels: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < levels; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

// Built once: the floods of issue 13, item 1.
const floods: unknown[] = [
  new Uint8Array(4 * 1024 * 1024),
  'x'.repeat(4 * 1024 * 1024),
  new Array(1_000_000).fill(0),
  Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i])),
  deeplyNested(50_000),
  { displayName: 'x'.repeat(1_000_000), otherParticipants: [] },
  { passphrase: 'p'.repeat(1_000_000) },
];

const hostileCall = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(...channels)
      .chain((channel) =>
        fc.tuple(fc.constant<unknown>(channel), fc.oneof(shapedLike(channel), hostileValue)),
      ),
  },
  { weight: 1, arbitrary: fc.tuple(hostileValue, hostileValue) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom<unknown>(...channels), fc.constantFrom(...floods)),
  },
);

/** A valid request is not hostile: those are handled, and tested, elsewhere. */
function isValid(channel: unknown, payload: unknown): boolean {
  if (!isChannel(channel) || floods.includes(payload)) return false;
  return contract[channel].request.safeParse(payload).success;
}

const refusalCodes = new Set<ErrorCode>([
  'UNKNOWN_CHANNEL',
  'NOT_ALLOWED',
  'FORBIDDEN_SENDER',
  'INVALID_REQUEST',
]);

describe('every door holds against hostile input', () => {
  const roles: Role[] = ['therapist', 'client', 'auditor', 'locked', 'capture'];
  for (const role of roles) {
    it(`refuses hostile calls in the ${role} role, briefly and without a change`, async () => {
      const caller = await become(role);
      const before = vaultDigest();
      const codes = new Set<string>();
      await fc.assert(
        fc.asyncProperty(hostileCall, async ([channel, payload]) => {
          fc.pre(!isValid(channel, payload));
          const result = await core.dispatch(channel, payload, caller);
          expect(result.ok).toBe(false);
          if (result.ok) return;
          codes.add(result.error.code);
          expect(refusalCodes).toContain(result.error.code);
          expect(result.error.message.startsWith(errorSentences[result.error.code])).toBe(true);
          expect(JSON.stringify(result).length).toBeLessThan(400);
        }),
        { numRuns: 120, seed: 13 },
      );
      expect(vaultDigest()).toBe(before);
      // Still in the same role: nothing hostile signed anyone in or out.
      if (caller === 'ui') {
        const status = await call(core, 'vault.status');
        expect(status.session?.role ?? 'locked').toBe(role);
      }
      expect(codes.size).toBeGreaterThan(0);
    });
  }

  it('logs each refusal with a code, never the payload', async () => {
    await become('therapist');
    const log = await call(core, 'audit.recent', { limit: 500 });
    const refused = log.entries.filter((entry) => entry.action === 'request.refused');
    expect(refused.length).toBeGreaterThan(0);
    for (const entry of refused) {
      expect((entry.reason ?? '').length).toBeLessThan(40);
      expect((entry.subject ?? '').length).toBeLessThanOrEqual(80);
      if (entry.reason !== null && /^[A-Z_]+$/.test(entry.reason)) {
        expect(Object.keys(errorSentences)).toContain(entry.reason);
      }
    }
  });
});

/** A message of the wire's layout around any JSON text: what a page could send bypassing the encoder. */
function rawMessage(json: string): Uint8Array {
  const body = new TextEncoder().encode(json);
  const out = new Uint8Array(4 + body.byteLength);
  new DataView(out.buffer).setUint32(0, body.byteLength, true);
  out.set(body, 4);
  return out;
}

/** The page's own encoder where it can carry the value; random bytes where it cannot (a BigInt). */
function encodedOrBytes(value: unknown, fallback: Uint8Array): Uint8Array {
  try {
    return encodeRequest(value);
  } catch {
    return fallback;
  }
}

// Built once: the same floods as bytes, as they would reach main through the preload, plus the
// ones only a page bypassing the encoder could send.
const wireFloods: Uint8Array[] = [
  encodeRequest(new Uint8Array(4 * 1024 * 1024)),
  encodeRequest('x'.repeat(4 * 1024 * 1024)),
  encodeRequest(new Array(1_000_000).fill(0)),
  encodeRequest(Object.fromEntries(Array.from({ length: 500_000 }, (_, i) => [`k${i}`, i]))),
  rawMessage('['.repeat(50_000)),
  rawMessage(`{${Array.from({ length: 200_000 }, (_, i) => `"k${i}":0`).join(',')}}`),
  encodeRequest({ displayName: 'x'.repeat(1_000_000), otherParticipants: [] }),
];

const hostileWireCall = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom<unknown>(...channels), fc.uint8Array({ maxLength: 300 })),
  },
  {
    weight: 6,
    arbitrary: fc
      .constantFrom(...channels)
      .chain((channel) =>
        fc
          .tuple(fc.oneof(shapedLike(channel), hostileValue), fc.uint8Array({ maxLength: 40 }))
          .map(([value, bytes]) => [channel, encodedOrBytes(value, bytes)] as const),
      ),
  },
  { weight: 1, arbitrary: fc.tuple(hostileValue, fc.uint8Array({ maxLength: 40 })) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom<unknown>(...channels), fc.constantFrom(...wireFloods)),
  },
);

describe('the byte door (what main reads from a page) holds against hostile input', () => {
  const roles: Role[] = ['therapist', 'client', 'auditor', 'locked', 'capture'];
  for (const role of roles) {
    it(`refuses hostile bytes in the ${role} role, briefly and without a change`, async () => {
      const caller = await become(role);
      const before = vaultDigest();
      await fc.assert(
        fc.asyncProperty(hostileWireCall, async ([channel, bytes]) => {
          // The page's own encoder can carry a valid request: those are handled, and tested, elsewhere.
          const decoded = decodeRequest(bytes, Number.MAX_SAFE_INTEGER);
          fc.pre(!decoded.ok || !isValid(channel, decoded.value));
          const result = await core.dispatchWire(channel, bytes, caller);
          expect(result.ok).toBe(false);
          if (result.ok) return;
          expect(refusalCodes).toContain(result.error.code);
          expect(result.error.message.startsWith(errorSentences[result.error.code])).toBe(true);
          expect(JSON.stringify(result).length).toBeLessThan(400);
        }),
        { numRuns: 60, seed: 13 },
      );
      expect(vaultDigest()).toBe(before);
    });
  }

  it('answers a valid request sent as bytes exactly as the same request in memory', async () => {
    await become('therapist');
    const inMemory = await core.dispatch('clients.list', {});
    const asBytes = await core.dispatchWire('clients.list', encodeRequest({}));
    expect(asBytes).toEqual(inMemory);
    expect(asBytes.ok).toBe(true);
  });

  it('refuses a request that is not bytes at the byte door, whatever it holds', async () => {
    await become('therapist');
    for (const payload of [{}, { displayName: 'Alex' }, 'text', null]) {
      const result = await core.dispatchWire('clients.list', payload);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(result.ok ? '' : result.error.message).toMatch(/not readable/);
    }
  });
});
