// A signed record as kept beside its signature in state_seals.record: JSON with bytes as hex. Only
// for naming what differs and for the locked sweeper; the signature covers the canonical bytes.
import { fromHex, toHex } from '../platform/crypto';
import type { StateRecord } from '../platform/state-record';

export function recordToJson(record: StateRecord): string {
  return JSON.stringify(record, (_key, value: unknown) =>
    value instanceof Uint8Array ? { hex: toHex(value) } : value,
  );
}

export function recordFromJson(text: string): StateRecord | null {
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const keys = Object.keys(value);
        const hex = (value as { hex?: unknown }).hex;
        if (keys.length === 1 && typeof hex === 'string') return fromHex(hex);
      }
      return value;
    }) as StateRecord;
  } catch {
    return null;
  }
}
