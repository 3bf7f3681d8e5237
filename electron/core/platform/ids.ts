// Opaque ids for rows and sessions: random, so an id says nothing about who or when.
import { randomBytes, toHex } from './crypto';

export function newOpaqueId(): string {
  return toHex(randomBytes(16));
}
