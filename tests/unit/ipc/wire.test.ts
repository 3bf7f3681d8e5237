// The byte form of a request (shared/wire.ts): what the preload encodes, main decodes exactly, and
// anything else (too long, cut, misshapen, deeper or wider than a request can be) is refused
// after at most one pass over bytes already within the channel's budget.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_WIRE_DEPTH,
  MAX_WIRE_MEMBERS,
  decodeRequest,
  encodeRequest,
  wireBudget,
} from '../../../shared/wire';

const roomy = Number.MAX_SAFE_INTEGER;

/** JSON values as a request holds them, with byte arrays anywhere. */
const requestValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 64 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(
      fc.string().filter((key) => key !== '$bytes' && key !== '__proto__'),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

describe('the wire form of a request', () => {
  it('decodes to exactly what was encoded, byte arrays included', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), requestValue, { maxKeys: 6 }), (request) => {
        const decoded = decodeRequest(encodeRequest(request), roomy);
        expect(decoded).toEqual({ ok: true, value: request });
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it('gives each byte array its own copy, not a view of the message', () => {
    const data = new Uint8Array([1, 2, 3]);
    const bytes = encodeRequest({ recordingId: 'r', data });
    const decoded = decodeRequest(bytes, roomy);
    if (!decoded.ok) throw new Error(decoded.reason);
    const out = (decoded.value as { data: Uint8Array }).data;
    expect(out).toEqual(data);
    expect(out.buffer).not.toBe(bytes.buffer);
  });

  it('refuses more bytes than the budget by their length alone', () => {
    const keys = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`k${i}`, i]));
    const bytes = encodeRequest(keys);
    expect(bytes.byteLength).toBeGreaterThan(wireBudget(4_096));
    expect(decodeRequest(bytes, wireBudget(4_096))).toEqual({ ok: false, reason: 'too large' });
  });

  it('refuses what is not bytes, without reading it', () => {
    for (const value of [{}, 'text', null, [1, 2], new ArrayBuffer(8), new Uint16Array(4)]) {
      expect(decodeRequest(value, roomy)).toEqual({ ok: false, reason: 'not readable' });
    }
  });

  it('refuses nesting deeper than a request can be, and wider objects and lists', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < MAX_WIRE_DEPTH; i += 1) deep = { a: deep };
    expect(decodeRequest(encodeRequest(deep), roomy).ok).toBe(true);
    expect(decodeRequest(encodeRequest({ a: deep }), roomy)).toEqual({
      ok: false,
      reason: 'not readable',
    });
    const wide = Object.fromEntries(Array.from({ length: MAX_WIRE_MEMBERS + 1 }, (_, i) => [i, 0]));
    expect(decodeRequest(encodeRequest(wide), roomy).ok).toBe(false);
    expect(decodeRequest(encodeRequest(new Array(MAX_WIRE_MEMBERS + 1).fill(0)), roomy).ok).toBe(
      false,
    );
    expect(decodeRequest(encodeRequest(new Array(MAX_WIRE_MEMBERS).fill(0)), roomy).ok).toBe(true);
    // Brackets inside a string are text, not nesting.
    expect(decodeRequest(encodeRequest({ name: '['.repeat(10_000) }), roomy).ok).toBe(true);
  });

  it('refuses a cut message, a length past the end, bad UTF-8, and byte parts out of place', () => {
    const good = encodeRequest({ recordingId: 'r', data: new Uint8Array([9, 9]) });
    for (let cut = 0; cut < good.byteLength; cut += 1) {
      expect(decodeRequest(good.subarray(0, cut), roomy).ok).toBe(false);
    }
    const longer = good.slice();
    new DataView(longer.buffer).setUint32(0, 0xffff_fff0, true);
    expect(decodeRequest(longer, roomy).ok).toBe(false);

    const text = (json: string, ...parts: Uint8Array[]) => {
      const body = new TextEncoder().encode(json);
      const out = new Uint8Array(4 + body.byteLength + parts.reduce((n, p) => n + 4 + p.length, 0));
      const view = new DataView(out.buffer);
      view.setUint32(0, body.byteLength, true);
      out.set(body, 4);
      let at = 4 + body.byteLength;
      for (const part of parts) {
        view.setUint32(at, part.length, true);
        out.set(part, at + 4);
        at += 4 + part.length;
      }
      return out;
    };
    const part = new Uint8Array([1]);
    expect(decodeRequest(text('{"a":{"$bytes":0}}', part), roomy).ok).toBe(true);
    // The same part twice, a part named that is not there, a part nobody names.
    expect(decodeRequest(text('{"a":{"$bytes":0},"b":{"$bytes":0}}', part), roomy).ok).toBe(false);
    expect(decodeRequest(text('{"a":{"$bytes":1}}', part), roomy).ok).toBe(false);
    expect(decodeRequest(text('{"a":1}', part), roomy).ok).toBe(false);
    const badUtf8 = text('{"a":"xx"}');
    badUtf8[11] = 0xff;
    expect(decodeRequest(badUtf8, roomy).ok).toBe(false);
    expect(decodeRequest(text('{"a":'), roomy).ok).toBe(false);
  });

  it('refuses random bytes without throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const decoded = decodeRequest(bytes, roomy);
        if (!decoded.ok) expect(['too large', 'not readable']).toContain(decoded.reason);
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
