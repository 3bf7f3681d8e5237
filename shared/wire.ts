// How a request crosses from a page to main: as one byte string that main can measure before it
// reads a single value. A structured-clone payload makes main decode the whole object first (a
// million keys cost seconds before any handler runs); bytes cost a length check.
//
// Layout: u32 (little-endian) length of the JSON text, the JSON text in UTF-8, then each byte
// array of the request in order, each as u32 length and its bytes. In the JSON a byte array stands
// as {"$bytes": i}, its index in that list. The page's preload encodes; main decodes with limits.

const BYTES_KEY = '$bytes';

/** Deeper than any request the contract describes; the same limit the door applies after decoding. */
export const MAX_WIRE_DEPTH = 12;
/** More members than any object or list in the contract holds; a flood stops at the first one over. */
export const MAX_WIRE_MEMBERS = 1_024;

export type WireRefusal = 'too large' | 'not readable';
export type Decoded = { ok: true; value: unknown } | { ok: false; reason: WireRefusal };

/** The byte budget for a channel whose request may hold `units` (see requestSize in api/common). */
export function wireBudget(units: number): number {
  // JSON spends at most a few bytes of punctuation per unit, and UTF-8 at most three bytes per
  // UTF-16 unit of a string; four bytes a unit covers both with room, and stays proportional.
  return units * 4 + 64;
}

/** The page's half: a request as one byte string. Throws for what JSON cannot carry (a cycle, a BigInt). */
export function encodeRequest(request: unknown): Uint8Array {
  const parts: Uint8Array[] = [];
  const json = JSON.stringify(request ?? {}, (_key, value: unknown) => {
    if (value instanceof Uint8Array) {
      parts.push(value);
      return { [BYTES_KEY]: parts.length - 1 };
    }
    return value;
  });
  const text = new TextEncoder().encode(json);
  let total = 4 + text.byteLength;
  for (const part of parts) total += 4 + part.byteLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, text.byteLength, true);
  out.set(text, 4);
  let at = 4 + text.byteLength;
  for (const part of parts) {
    view.setUint32(at, part.byteLength, true);
    out.set(part, at + 4);
    at += 4 + part.byteLength;
  }
  return out;
}

/**
 * One pass over the JSON text, before JSON.parse builds anything: refuses nesting deeper than
 * MAX_WIRE_DEPTH and any object or list with more than MAX_WIRE_MEMBERS members. Strings are
 * skipped whole (their escapes included); JSON.parse checks everything else afterwards.
 */
function withinShape(text: Uint8Array): boolean {
  const members: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const byte = text[i];
    if (inString) {
      if (byte === 0x5c) i += 1;
      else if (byte === 0x22) inString = false;
      continue;
    }
    if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (members.length >= MAX_WIRE_DEPTH) return false;
      members.push(1);
    } else if (byte === 0x7d || byte === 0x5d) members.pop();
    else if (byte === 0x2c && members.length > 0) {
      const last = members.length - 1;
      members[last] = (members[last] ?? 0) + 1;
      if ((members[last] ?? 0) > MAX_WIRE_MEMBERS) return false;
    }
  }
  return true;
}

/** Main's half: the request back, or why not. Costs at most one pass over at most `maxBytes`. */
export function decodeRequest(bytes: unknown, maxBytes: number): Decoded {
  if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'not readable' };
  if (bytes.byteLength > maxBytes) return { ok: false, reason: 'too large' };
  if (bytes.byteLength < 4) return { ok: false, reason: 'not readable' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const textLength = view.getUint32(0, true);
  if (textLength > bytes.byteLength - 4) return { ok: false, reason: 'not readable' };
  const text = bytes.subarray(4, 4 + textLength);
  const parts: Uint8Array[] = [];
  for (let at = 4 + textLength; at < bytes.byteLength;) {
    if (at + 4 > bytes.byteLength) return { ok: false, reason: 'not readable' };
    const length = view.getUint32(at, true);
    if (length > bytes.byteLength - at - 4) return { ok: false, reason: 'not readable' };
    // A copy: the request must not keep the whole message alive, nor share its buffer.
    parts.push(bytes.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  if (parts.length > MAX_WIRE_MEMBERS || !withinShape(text)) {
    return { ok: false, reason: 'not readable' };
  }
  let used = 0;
  let value: unknown;
  try {
    value = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(text),
      (_key, member: unknown) => {
        if (member === null || typeof member !== 'object' || Array.isArray(member)) return member;
        const record = member as Record<string, unknown>;
        const index = record[BYTES_KEY];
        if (typeof index !== 'number' || Object.keys(record).length !== 1) return member;
        const part = parts[index];
        // Each part stands in one place only: a request cannot make main share one buffer twice.
        if (!part || used !== index) throw new Error('byte parts out of order');
        used += 1;
        return part;
      },
    );
  } catch {
    return { ok: false, reason: 'not readable' };
  }
  if (used !== parts.length) return { ok: false, reason: 'not readable' };
  return { ok: true, value };
}
