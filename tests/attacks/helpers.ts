// The attacker's tools: a practice on a real vault folder driven through the real core, and the
// vault file opened directly with SQLite while the app is closed, as someone with the folder would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AuditEntryView } from '../../shared/api';
import { createCore, type Core } from '../../electron/core/create-core';
import { anchorKeyOf } from '../../electron/core/platform/anchor-record';
import { MemoryAnchorStore } from '../../electron/core/platform/anchor-store';
import { hash, utf8 } from '../../electron/core/platform/crypto';
import { LIGHT_KDF, PASSPHRASE, fakeClock } from '../unit/helpers/kernel-helpers';
import { call } from '../unit/helpers/practice-helpers';
import { afterEach, beforeEach } from 'vitest';
import { editVaultRows } from './attack-helpers';

export { PASSPHRASE };

export interface Practice {
  readonly core: Core;
  dataDir: string;
  clock: ReturnType<typeof fakeClock>;
  /** The keychain that holds the rollback anchor, outliving each run of the app as it does. */
  keychain: MemoryAnchorStore;
  /** Quits the app, as before an attack on its folder. */
  close(): void;
  /** Starts the app again on the same folder and device (locked). */
  reopen(): Promise<Core>;
  cleanup(): void;
}

export async function newPractice(): Promise<Practice> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sv-attack-'));
  const clock = fakeClock();
  const deviceSecret = new Uint8Array(randomBytes(32));
  const keychain = new MemoryAnchorStore((vaultId) => anchorKeyOf(deviceSecret, vaultId));
  const start = () =>
    createCore({
      dataDir,
      deviceSecret,
      anchorStore: keychain,
      clock: clock.now,
      kdf: LIGHT_KDF,
      freeBytes: () => 1e12,
      captureHost: { open: () => undefined, close: () => undefined },
    });
  let core: Core | null = await start();
  await call(core, 'vault.create', {
    practiceName: 'Riverside Counselling',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  return {
    get core() {
      if (!core) throw new Error('the app is closed');
      return core;
    },
    dataDir,
    clock,
    keychain,
    close() {
      core?.close();
      core = null;
    },
    async reopen() {
      core?.close();
      core = await start();
      return core;
    },
    cleanup() {
      core?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The practice of each test in this file: a new one before each test, removed after it. What it
 * returns stands for whichever is current, so the tests read `practice` as one.
 */
export function newPracticeForEachTest(): Practice {
  let current: Practice | null = null;
  beforeEach(async () => {
    current = await newPractice();
  });
  afterEach(() => {
    current?.cleanup();
    current = null;
  });
  const now = (): Practice => {
    if (!current) throw new Error('a practice exists only inside a test');
    return current;
  };
  return {
    get core() {
      return now().core;
    },
    get dataDir() {
      return now().dataDir;
    },
    get clock() {
      return now().clock;
    },
    get keychain() {
      return now().keychain;
    },
    close: () => now().close(),
    reopen: () => now().reopen(),
    cleanup: () => now().cleanup(),
  };
}

/** Opens the vault file behind the app's back (the app must be closed), edits, and closes it. */
export function editVaultFile<T>(practice: Practice, edit: (db: Database.Database) => T): T {
  return editVaultRows(practice.dataDir, edit);
}

/** The wrapped-key "integrity" a vault stored before issue 11: a public hash anyone recomputes. */
export function publicRowHash(row: {
  key_id: string;
  kdf: string | null;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}): Buffer {
  return Buffer.from(
    hash(utf8.encode(row.key_id), utf8.encode(row.kdf ?? ''), row.nonce, row.ciphertext),
  );
}

/**
 * Puts the wrapped key `fromKeyId` in the row of `toKeyId` with its public hash recomputed, as
 * anyone with the folder could while the vault stored that hash (before issue 11).
 */
export function swapWrappedKey(db: Database.Database, fromKeyId: string, toKeyId: string): void {
  const donor = db
    .prepare('SELECT key_id, kdf, nonce, ciphertext FROM wrapped_keys WHERE key_id = ?')
    .get(fromKeyId) as { key_id: string; kdf: string | null; nonce: Buffer; ciphertext: Buffer };
  const swapped = { ...donor, key_id: toKeyId };
  db.prepare(
    'UPDATE wrapped_keys SET kdf = ?, nonce = ?, ciphertext = ?, integrity = ? WHERE key_id = ?',
  ).run(swapped.kdf, swapped.nonce, swapped.ciphertext, publicRowHash(swapped), toKeyId);
}

/** The access log as the therapist's log screen reads it (newest first). */
export async function logEntries(core: Core): Promise<AuditEntryView[]> {
  return (await call(core, 'audit.recent', { limit: 500 })).entries;
}
