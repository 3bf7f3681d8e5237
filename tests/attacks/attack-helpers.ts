// A practice on real files for the attack suite: a vault folder, one client with signed consent
// and one finalised recording, a device secret and a keychain (the memory anchor store through
// the AnchorStore interface) that outlive each run of the app, as they do on a laptop.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import type {
  AuditEntryView,
  IntegrityAlarmView,
  RecordingSummary,
  VaultStatus,
} from '../../shared/api';
import type { Core } from '../../electron/core/create-core';
import { anchorKeyOf } from '../../electron/core/platform/anchor-record';
import { MemoryAnchorStore } from '../../electron/core/platform/anchor-store';
import { VAULT_FILE_NAME } from '../../electron/core/platform/db';
import { VAULT_LOCK_FILE_NAME } from '../../electron/core/platform/vault-lock';
import { startExport } from '../unit/helpers/audit-helpers';
import { PASSPHRASE, fakeClock } from '../unit/helpers/kernel-helpers';
import {
  call,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  testCore,
} from '../unit/helpers/practice-helpers';

export interface Practice {
  dataDir: string;
  clock: ReturnType<typeof fakeClock>;
  deviceSecret: Uint8Array;
  keychain: MemoryAnchorStore;
  /** Where access-log exports are saved. */
  exportDir: string;
  clientId: string;
  recordingId: string;
  /** The app as it runs now. */
  core: Core;
  /** Quits the app the way main does (lock, close, the anchor's last write). */
  quit(): Promise<void>;
  /** Starts the app again on the same folder, device secret and keychain. */
  start(): Promise<Core>;
  cleanup(): void;
}

/** `newRecordingStorage: 'sqlite'` keeps the audio in the `chunks` table, as before 0070. */
export async function practiceWithRecording(
  options: { newRecordingStorage?: 'file' | 'sqlite' } = {},
): Promise<Practice> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sv-attack-'));
  const clock = fakeClock();
  const deviceSecret = new Uint8Array(randomBytes(32));
  const keychain = new MemoryAnchorStore((vaultId) => anchorKeyOf(deviceSecret, vaultId));
  const exportDir = mkdtempSync(join(tmpdir(), 'sv-attack-exports-'));
  const open = () =>
    testCore(dataDir, clock, {
      deviceSecret,
      anchorStore: keychain,
      exportFiles: { choose: async (suggestedName) => join(exportDir, suggestedName) },
      newRecordingStorage: options.newRecordingStorage,
    });
  const practice = {
    dataDir,
    clock,
    deviceSecret,
    keychain,
    exportDir,
    core: await open(),
    clientId: '',
    recordingId: '',
    async quit() {
      practice.core.close();
      await practice.core.settled();
    },
    async start() {
      practice.core = await open();
      return practice.core;
    },
    cleanup() {
      try {
        practice.core.close();
      } catch {
        // already closed
      }
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(exportDir, { recursive: true, force: true });
    },
  };
  const core = practice.core;
  await call(core, 'vault.create', {
    practiceName: 'Riverside Counselling',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  const client = await signedClient(core, clock.now());
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, 3);
  await stopCapture(core, recordingId);
  practice.clientId = client.clientId;
  practice.recordingId = recordingId;
  return practice;
}

/** The vault folder as a copy tool takes it: every file but the running app's lock. */
export function copyVaultFolder(from: string): string {
  const to = mkdtempSync(join(tmpdir(), 'sv-attack-copy-'));
  for (const name of readdirSync(from))
    if (name !== VAULT_LOCK_FILE_NAME)
      cpSync(join(from, name), join(to, name), { recursive: true });
  return to;
}

/** Puts a copied folder back over the vault folder, as a restore from a backup tool does. */
export function restoreVaultFolder(copy: string, dataDir: string): void {
  for (const name of readdirSync(dataDir))
    rmSync(join(dataDir, name), { recursive: true, force: true });
  for (const name of readdirSync(copy))
    cpSync(join(copy, name), join(dataDir, name), { recursive: true });
}

export async function unlock(core: Core): Promise<void> {
  await call(core, 'session.unlock', { passphrase: PASSPHRASE });
}

export function status(core: Core): Promise<VaultStatus> {
  return call(core, 'vault.status');
}

/** The access log, oldest first, read as the therapist (the core opens the sealed entries). */
export async function logEntries(core: Core): Promise<AuditEntryView[]> {
  const { entries } = await call(core, 'audit.recent', {
    limit: 500,
  });
  return entries.reverse();
}

/** A whole JSON export of the access log, as an auditor takes one, parsed. */
export async function exportBundle(practice: Practice): Promise<unknown> {
  const started = await startExport(practice.core, 'json');
  for (;;) {
    const page = await call(practice.core, 'audit.exportNext', {
      exportId: started.exportId,
    });
    if (page.done)
      return JSON.parse(
        readFileSync(join(practice.exportDir, started.fileName), 'utf8'),
      ) as unknown;
  }
}

/**
 * Cuts the access log back to `keepThrough` with a second SQLite connection while the app is
 * closed, as someone with write access to the folder would; with `checkpoints: 'cut'` the signed
 * checkpoints after it go too, so what is left is a log that verifies on its own.
 */
export function cutLogTail(
  dataDir: string,
  keepThrough: number,
  checkpoints: 'kept' | 'cut',
): void {
  const db = new Database(join(dataDir, VAULT_FILE_NAME));
  try {
    db.prepare('DELETE FROM audit_entries WHERE seq > ?').run(keepThrough);
    if (checkpoints === 'cut')
      db.prepare('DELETE FROM audit_checkpoints WHERE seq > ?').run(keepThrough);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Edits the vault file with a second SQLite connection, as someone with write access to the folder
 * would, whether the app is closed or running (the app's own connection sees the change at its
 * next read, as SQLite's WAL makes it do).
 */
export function editVaultRows<T>(dataDir: string, edit: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, VAULT_FILE_NAME));
  try {
    return edit(db);
  } finally {
    db.close();
  }
}

/** The tamper alarms the therapist and the auditor see (vault.integrity). */
export async function integrityAlarms(core: Core): Promise<IntegrityAlarmView[]> {
  return (await call(core, 'vault.integrity')).alarms;
}

/** One recording as the therapist's client detail shows it. */
export async function recordingAsShown(
  core: Core,
  clientId: string,
  recordingId: string,
): Promise<RecordingSummary | undefined> {
  const detail = await call(core, 'clients.detail', {
    clientId,
  });
  return detail.recordings.find((recording) => recording.recordingId === recordingId);
}

/** Time passes while the app runs (wall and monotonic clock together), then main's tick. */
export function runFor(practice: Practice, ms: number): void {
  practice.clock.advance(ms);
  practice.core.tick();
}
