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
import { afterEach, beforeEach, expect } from 'vitest';
import { clockAttackVault, twoClocks, type TwoClocks } from './clock-attack-helpers';
import { verifyExtends } from '../../cli/verify';
import { integrityNoticeSentences } from '../../shared/errors';
import { PASSPHRASE, fakeClock } from '../unit/helpers/kernel-helpers';
import {
  call,
  refusal,
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

/**
 * The practices the tests in this file start (`start`, as practiceWithRecording) and the folders
 * they make beside them (`removeAfter`): after each test, all of them go.
 */
export function practicesForEachTest(): {
  start(options?: Parameters<typeof practiceWithRecording>[0]): Promise<Practice>;
  removeAfter(folder: string): string;
} {
  const practices: Practice[] = [];
  const folders: string[] = [];
  afterEach(() => {
    for (const practice of practices.splice(0)) practice.cleanup();
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });
  return {
    async start(options) {
      const practice = await practiceWithRecording(options);
      practices.push(practice);
      return practice;
    },
    removeAfter(folder) {
      folders.push(folder);
      return folder;
    },
  };
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

/** The practice's recording's destruction date as the library shows it, before any edit. */
export async function shownDeadline(practice: Practice): Promise<number> {
  const shown = await recordingAsShown(practice.core, practice.clientId, practice.recordingId);
  if (typeof shown?.destroyAfter !== 'number') throw new Error('the recording shows no deadline');
  return shown.destroyAfter;
}

/** Time passes while the app runs (wall and monotonic clock together), then main's tick. */
export function runFor(practice: Practice, ms: number): void {
  practice.clock.advance(ms);
  practice.core.tick();
}

/** The vault's id as the file stores it in the clear (the anchor's keychain item is named by it). */
export function vaultIdOf(dataDir: string): Uint8Array {
  const db = new Database(join(dataDir, VAULT_FILE_NAME), { readonly: true });
  try {
    const row = db.prepare('SELECT vault_id FROM vault_meta WHERE singleton = 1').get() as {
      vault_id: Buffer;
    };
    return new Uint8Array(row.vault_id);
  } finally {
    db.close();
  }
}

/** The therapist records one more second-long recording for `clientId`. */
export async function recordOneSecond(core: Core, clientId: string): Promise<string> {
  const { recordingId } = await startCapture(core, clientId);
  await sendSeconds(core, recordingId, 1);
  await stopCapture(core, recordingId);
  return recordingId;
}

/**
 * The cut-tail attack: the therapist changes a setting twice after the last checkpoint, an auditor
 * exports, the app quits, the log is cut back before those entries (`checkpoints`: whether the
 * signed checkpoints after them go too), and the app starts again. Caught on this laptop by the
 * anchor, and anywhere by `verify --previous` against the older export.
 */
export async function expectCutTailCaught(
  practice: Practice,
  checkpoints: 'kept' | 'cut',
): Promise<void> {
  // Entries worth hiding: the therapist changes a setting twice after the last checkpoint.
  await call(practice.core, 'settings.setIdleLock', { minutes: 7 });
  await call(practice.core, 'settings.setIdleLock', { minutes: 9 });
  const older = await exportBundle(practice);
  const fullLog = await logEntries(practice.core);
  const keepThrough = fullLog.find((e) => e.action === 'settings.change')!.seq - 1;
  await practice.quit();
  const headAtQuit = fullLog.at(-1)!.seq + 1;

  cutLogTail(practice.dataDir, keepThrough, checkpoints);
  const core = await practice.start();

  const seen = await status(core);
  expect(seen.integrity).toMatchObject({
    kind: 'rollback',
    missingEntries: headAtQuit - keepThrough,
    redone: 0,
    message: integrityNoticeSentences.rollback,
  });
  await unlock(core);
  const log = await logEntries(core);
  expect(log.find((e) => e.action === 'vault.rollback')).toMatchObject({
    seq: keepThrough + 1,
    actorRole: 'system',
    reason: `${headAtQuit - keepThrough} log entries and 0 destructions, revocations or ends of therapy missing; 0 of them cannot be named`,
  });

  // Elsewhere, without the anchor: an auditor who kept the older export sees the history break.
  const newer = await exportBundle(practice);
  const compared = await verifyExtends(newer, older);
  expect(compared.ok).toBe(false);
  expect(compared.exitCode).not.toBe(0);
  expect(compared.problem).toMatch(/differs|removed|does not/);
}

/**
 * After an older copy was put back: the therapist unlocks, the recording does not play and reads
 * destroyed, and the log names its destruction as a redo of the rollback. Returns the log.
 */
export async function expectDestroyedAgain(
  core: Core,
  practice: Pick<Practice, 'clientId' | 'recordingId'>,
): Promise<AuditEntryView[]> {
  const { clientId, recordingId } = practice;
  await unlock(core);
  expect((await refusal(core, 'playback.open', { recordingId })).code).toMatch(
    /NOT_ALLOWED|RECORDING_DESTROYED|NOT_FOUND/,
  );
  const detail = await call(core, 'clients.detail', { clientId });
  expect(detail.recordings.find((r) => r.recordingId === recordingId)?.state).toBe('destroyed');
  const log = await logEntries(core);
  expect(log).toContainEqual(
    expect.objectContaining({
      action: 'recording.destroy',
      subject: recordingId,
      reason: 'destroyed before; this copy is older (rollback)',
    }),
  );
  return log;
}

/**
 * For the clock attacks: before each test a new vault with two clocks held apart, the app
 * running on it; after each, the folder goes. Read `clocks` and `vault` inside the tests.
 */
export function clockAttackEach(): {
  readonly clocks: TwoClocks;
  readonly vault: Awaited<ReturnType<typeof clockAttackVault>>;
} {
  const current = {} as {
    clocks: TwoClocks;
    vault: Awaited<ReturnType<typeof clockAttackVault>>;
  };
  beforeEach(async () => {
    current.clocks = twoClocks();
    current.vault = await clockAttackVault(current.clocks);
  });
  afterEach(() => current.vault.cleanup());
  return current;
}
