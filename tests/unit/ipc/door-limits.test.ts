// The door's limits (issue 13, items 1 and 2): a request is measured before it is parsed, every
// error stays short and free of the payload, and no number reaches a row it does not name.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { fitsBudget } from '../../../electron/core/dispatch';
import { MAX_REQUEST_DEPTH, admits, channels, contract, requestSize } from '../../../shared/api';
import {
  call,
  consentDraft,
  refusal,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  therapistVault,
} from '../helpers/practice-helpers';

let vault: Awaited<ReturnType<typeof therapistVault>>;
let clock: typeof vault.clock;
let core: Core;

beforeEach(async () => {
  vault = await therapistVault('sv-door-');
  ({ clock, core } = vault);
});
afterEach(() => vault.close());

async function refusedEntries() {
  const log = await call(core, 'audit.recent', { limit: 500 });
  return log.entries.filter((entry) => entry.action === 'request.refused');
}

async function recorded(name: string, seconds: number) {
  const client = await signedClient(core, clock.now(), { name });
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, seconds, { beforeEach: () => clock.advance(1000) });
  await stopCapture(core, recordingId);
  return recordingId;
}

describe('the size of a request, counted before it is parsed', () => {
  it('counts keys, elements, string and byte lengths, and stops at the budget', () => {
    expect(fitsBudget({ name: 'abc' }, 9)).toBe(true);
    expect(fitsBudget({ name: 'abcd' }, 9)).toBe(false);
    expect(fitsBudget(new Uint8Array(100), 101)).toBe(true);
    expect(fitsBudget(new Uint8Array(100), 100)).toBe(false);
    const sparse: unknown[] = [];
    sparse.length = 1e9;
    expect(fitsBudget(sparse, requestSize.consent)).toBe(false);
    let deep: unknown = 1;
    for (let i = 0; i < MAX_REQUEST_DEPTH + 1; i += 1) deep = { a: deep };
    expect(fitsBudget(deep, requestSize.consent)).toBe(false);
    const hostile = Object.defineProperty({}, 'x', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(fitsBudget(hostile, requestSize.small)).toBe(false);
  });

  it('refuses 4 MB of bytes on every channel the therapist may call, briefly, and logs no payload', async () => {
    const bomb = new Uint8Array(4 * 1024 * 1024);
    const open = channels.filter((channel) => admits(channel, 'therapist'));
    for (const channel of open) {
      const error = await refusal(core, channel, bomb);
      expect(error).toEqual({
        code: 'INVALID_REQUEST',
        message: 'That request was not understood, so nothing was changed. (too large)',
      });
    }
    const refused = await refusedEntries();
    expect(refused.length).toBeGreaterThanOrEqual(open.length);
    for (const entry of refused) expect(entry.reason).toBe('INVALID_REQUEST');
  });

  it('refuses 100,000 keys, a huge name and an oversized chunk with the same short error', async () => {
    const manyKeys: Record<string, number> = {};
    for (let i = 0; i < 100_000; i += 1) manyKeys[`k${i}`] = i;
    expect(await refusal(core, 'clients.add', manyKeys)).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('(too large)'),
    });
    expect(
      await refusal(core, 'clients.add', {
        displayName: 'a'.repeat(50_000),
        otherParticipants: [],
      }),
    ).toMatchObject({ message: expect.stringContaining('(too large)') });
    const client = await signedClient(core, clock.now());
    const { recordingId } = await startCapture(core, client.clientId);
    const big = await refusal(
      core,
      'capture.chunk',
      { recordingId, seq: 0, durationMs: 1000, data: new Uint8Array(4 * 1024 * 1024) },
      'capture',
    );
    expect(big.message).toContain('(too large)');
    // A chunk just over MAX_CHUNK_BYTES fits the door's budget; the schema refuses it in words.
    const over = await refusal(
      core,
      'capture.chunk',
      { recordingId, seq: 0, durationMs: 1000, data: new Uint8Array(256 * 1024 + 1) },
      'capture',
    );
    expect(over).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('larger than allowed'),
    });
  });

  it('lets a consent with large drawn signatures through: its budget is its own', async () => {
    const client = await call(core, 'clients.add', {
      displayName: 'Alex Example',
      otherParticipants: ['Robin Example'],
    });
    const { policyHash } = await call(core, 'policy.get');
    const terms = consentDraft(client, policyHash, clock.now());
    const drawn = { kind: 'svg-path' as const, d: `M1 1${' L20 5'.repeat(33_000)}` };
    terms.signatures = terms.signatures.map((signature) => ({
      ...signature,
      drawnSignature: drawn,
    }));
    const detail = await call(core, 'consent.sign', {
      clientId: client.clientId,
      terms,
      reviewCredential: '482915',
    });
    expect(detail.client.consent.state).toBe('active');
    expect(contract['consent.sign'].size).toBeGreaterThan(3 * drawn.d.length);
  });
});

describe('errors say what was wrong, never what was sent', () => {
  it('does not echo unknown keys', async () => {
    const secretKey = `leak${'x'.repeat(5_00)}`;
    const error = await refusal(core, 'session.unlock', { passphrase: 'p', [secretKey]: 1 });
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.message).not.toContain('leak');
    expect(error.message.length).toBeLessThan(200);
    for (const entry of await refusedEntries()) {
      expect(entry.reason).toBe('INVALID_REQUEST');
      expect(JSON.stringify(entry)).not.toContain('leak');
    }
  });

  it('keeps a short path of known names and the schema’s own sentence', async () => {
    const error = await refusal(core, 'recording.start', {
      clientId: '0'.repeat(32),
      reconfirmedAloud: false,
    });
    expect(error.message).toBe(
      'That request was not understood, so nothing was changed. (reconfirmedAloud: Confirm that consent was reconfirmed aloud first.)',
    );
  });
});

describe('every integer in the contract is bounded', () => {
  it('refuses playback.chunk with seq 2^32 + 1 instead of reading another recording’s row', async () => {
    const first = await recorded('Alex Example', 3);
    await recorded('Blair Example', 3);
    const playback = await call(core, 'playback.open', { recordingId: first });
    const error = await refusal(core, 'playback.chunk', {
      playbackId: playback.playbackId,
      seq: 2 ** 32 + 1,
    });
    expect(error.code).toBe('INVALID_REQUEST');
    // No false tamper alarm: the recording still plays, and the log holds no tamper entry.
    const chunk = await call(core, 'playback.chunk', {
      playbackId: playback.playbackId,
      seq: 1,
    });
    expect(chunk.seq).toBe(1);
    const log = await call(core, 'audit.recent', {
      limit: 500,
    });
    expect(log.entries.filter((entry) => entry.reason?.startsWith('CHUNK_'))).toEqual([]);
  });

  it('refuses NaN, infinities, fractions and numbers past their row or domain', async () => {
    const bad: Array<[Parameters<typeof refusal>[1], unknown]> = [
      ['audit.recent', { limit: 10, beforeSeq: 2 ** 31 }],
      ['audit.recent', { limit: Number.NaN }],
      ['audit.query', { limit: 10, fromAt: Number.POSITIVE_INFINITY }],
      ['audit.query', { limit: 10, toAt: 9e15 }],
      ['consent.version', { clientId: '0'.repeat(32), version: 2 ** 31 }],
      ['settings.setIdleLock', { minutes: 1.5 }],
      ['playback.close', { playbackId: '0'.repeat(32), heardMs: Number.NEGATIVE_INFINITY }],
      ['recording.removeRange', { recordingId: '0'.repeat(32), fromMs: 0, toMs: 2 ** 53 }],
    ];
    for (const [channel, payload] of bad) {
      expect((await refusal(core, channel, payload)).code, channel).toBe('INVALID_REQUEST');
    }
  });
});
