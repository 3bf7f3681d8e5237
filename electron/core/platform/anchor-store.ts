// Where the rollback anchor lives: one small MACed record per vault, in the OS keychain (macOS
// Keychain, Windows Credential Manager, the Secret Service on Linux), out of reach of a restore
// of the app's folder. The core sees only the AnchorStore interface; tests use the memory store.
import { AsyncEntry } from '@napi-rs/keyring';
import { errorSentences } from '../../../shared/errors';
import { toHex } from './crypto';
import {
  AnchorFormatError,
  decodeAnchorRecord,
  encodeAnchorRecord,
  type AnchorRecord,
} from './anchor-record';

export type AnchorRead =
  | { state: 'absent' }
  | { state: 'present'; record: AnchorRecord }
  /** Bytes are there but are not a record of this vault under this device's key. */
  | { state: 'forged'; reason: string };

export interface AnchorStore {
  read(vaultId: Uint8Array): Promise<AnchorRead>;
  write(vaultId: Uint8Array, record: AnchorRecord): Promise<void>;
  /** Removes the anchor (only when the vault itself is deleted); false if there was none. */
  remove(vaultId: Uint8Array): Promise<boolean>;
}

/** The keychain cannot be reached or refused the operation; nothing was changed. */
export class AnchorUnavailableError extends Error {
  constructor(
    readonly sentence: string,
    options?: { cause?: unknown },
  ) {
    super(sentence, options);
    this.name = 'AnchorUnavailableError';
  }
}

function readBytes(
  vaultId: Uint8Array,
  bytes: Uint8Array | null,
  anchorKey: Uint8Array,
): AnchorRead {
  if (!bytes) return { state: 'absent' };
  try {
    return { state: 'present', record: decodeAnchorRecord(vaultId, bytes, anchorKey) };
  } catch (error) {
    if (error instanceof AnchorFormatError) return { state: 'forged', reason: error.message };
    throw error;
  }
}

/** Holds anchors in memory as the same bytes the keychain would hold, so tests can alter them. */
export class MemoryAnchorStore implements AnchorStore {
  private readonly items = new Map<string, Uint8Array>();

  constructor(private readonly anchorKeyFor: (vaultId: Uint8Array) => Uint8Array) {}

  async read(vaultId: Uint8Array): Promise<AnchorRead> {
    return readBytes(vaultId, this.items.get(toHex(vaultId)) ?? null, this.anchorKeyFor(vaultId));
  }

  async write(vaultId: Uint8Array, record: AnchorRecord): Promise<void> {
    this.items.set(toHex(vaultId), encodeAnchorRecord(vaultId, record, this.anchorKeyFor(vaultId)));
  }

  async remove(vaultId: Uint8Array): Promise<boolean> {
    return this.items.delete(toHex(vaultId));
  }

  /** The stored bytes, as an attacker with the keychain open would see them. */
  rawBytes(vaultId: Uint8Array): Uint8Array | null {
    return this.items.get(toHex(vaultId))?.slice() ?? null;
  }

  putRawBytes(vaultId: Uint8Array, bytes: Uint8Array): void {
    this.items.set(toHex(vaultId), bytes.slice());
  }
}

export const KEYCHAIN_SERVICE = 'Session Vault';

export function keychainAccountFor(vaultId: Uint8Array): string {
  return `rollback-anchor/${toHex(vaultId)}`;
}

const unavailable = errorSentences.ANCHOR_UNAVAILABLE;

/**
 * The OS keychain through @napi-rs/keyring's async calls, so a slow keychain (or a macOS access
 * prompt) never blocks main. On Linux the Secret Service is required: the kernel keyring that
 * the binding otherwise falls back to forgets everything at reboot, which would read as a
 * missing anchor every morning.
 */
export class KeychainAnchorStore implements AnchorStore {
  constructor(
    private readonly anchorKeyFor: (vaultId: Uint8Array) => Uint8Array,
    private readonly service: string = KEYCHAIN_SERVICE,
  ) {}

  private entry(vaultId: Uint8Array): AsyncEntry {
    return new AsyncEntry(this.service, keychainAccountFor(vaultId), {
      linux: { store: 'secret-service' },
    });
  }

  async read(vaultId: Uint8Array): Promise<AnchorRead> {
    let secret: number[] | null;
    try {
      secret = await this.entry(vaultId).getSecret();
    } catch (cause) {
      throw new AnchorUnavailableError(unavailable, { cause });
    }
    return readBytes(vaultId, secret ? Uint8Array.from(secret) : null, this.anchorKeyFor(vaultId));
  }

  async write(vaultId: Uint8Array, record: AnchorRecord): Promise<void> {
    const bytes = encodeAnchorRecord(vaultId, record, this.anchorKeyFor(vaultId));
    try {
      await this.entry(vaultId).setSecret(bytes);
    } catch (cause) {
      throw new AnchorUnavailableError(unavailable, { cause });
    }
  }

  async remove(vaultId: Uint8Array): Promise<boolean> {
    try {
      return await this.entry(vaultId).deleteCredential();
    } catch (cause) {
      throw new AnchorUnavailableError(unavailable, { cause });
    }
  }
}
