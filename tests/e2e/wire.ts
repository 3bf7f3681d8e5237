// The test host's byte wrapper: a Uint8Array crosses the Playwright binding (and the child
// host's HTTP) as { __bytes: base64 }. The page's half is in the bridge bundle in host.ts.

export function encodeWire(value: unknown): unknown {
  if (value instanceof Uint8Array) return { __bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encodeWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeWire(v)]));
  }
  return value;
}

export function decodeWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeWire);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && typeof record.__bytes === 'string')
      return new Uint8Array(Buffer.from(record.__bytes, 'base64'));
    return Object.fromEntries(keys.map((k) => [k, decodeWire(record[k])]));
  }
  return value;
}
