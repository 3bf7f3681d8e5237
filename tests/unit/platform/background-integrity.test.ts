// The whole-file check left the start path (issue 16): a damaged page deep in the file no longer
// keeps the vault from opening, and the check that runs afterwards in a child process reports it.
import {
  closeSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntegrityStatus } from '../../../shared/api';
import type { Core } from '../../../electron/core/create-core';
import {
  FILE_CHECK_VARIABLES,
  nodeFileCheckSpawner,
  startIntegrityCheck,
  type FileCheckSpawner,
} from '../../../electron/core/platform/integrity-check';
import {
  call,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  testCore,
} from '../helpers/practice-helpers';
import { fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';

let dataDir: string;
let clock: ReturnType<typeof fakeClock>;
let core: Core | null;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-integrity-'));
  clock = fakeClock();
  // Audio in SQLite (as before migration 70), so the file is large enough to damage a page deep in it.
  const first = await testCore(dataDir, clock, { newRecordingStorage: 'sqlite' });
  await call(first, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  const client = await signedClient(first, clock.now());
  const { recordingId } = await startCapture(first, client.clientId);
  await sendSeconds(first, recordingId, 120);
  await stopCapture(first, recordingId);
  first.close();
  core = null;
});
afterEach(() => {
  core?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const vaultPath = () => join(dataDir, 'vault.sqlite');

async function settledIntegrity(opened: Core): Promise<IntegrityStatus> {
  let latest: IntegrityStatus | undefined;
  await expect
    .poll(
      async () => {
        latest = await call(opened, 'vault.fileCheck');
        return latest.state;
      },
      { timeout: 30_000, interval: 50 },
    )
    .not.toMatch(/^(not-started|checking)$/);
  return latest!;
}

describe('background integrity check', () => {
  it('reports a whole file as ok once it has read it', async () => {
    core = await testCore(dataDir, clock);
    expect(await call(core, 'vault.status')).toMatchObject({ state: 'locked' });
    expect(await settledIntegrity(core)).toMatchObject({ state: 'ok', checkedAt: clock.now() });
  });

  it('a damaged page deep in the file does not block opening; the check then reports it', async () => {
    const probe = new Database(vaultPath(), { readonly: true });
    const pageSize = probe.pragma('page_size', { simple: true }) as number;
    const leaves = probe
      .prepare(
        "SELECT pageno FROM dbstat WHERE name = 'chunks' AND pagetype = 'leaf' ORDER BY pageno",
      )
      .all() as { pageno: number }[];
    const pageCount = probe.pragma('page_count', { simple: true }) as number;
    probe.close();
    expect(leaves.length).toBeGreaterThan(2);
    const damaged = leaves[Math.floor(leaves.length / 2)]!.pageno;
    expect(damaged).toBeGreaterThan(pageCount / 4);
    const fd = openSync(vaultPath(), 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (damaged - 1) * pageSize);
    closeSync(fd);

    core = await testCore(dataDir, clock);
    expect(await call(core, 'vault.status')).toMatchObject({ state: 'locked', problem: null });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const report = await settledIntegrity(core);
    expect(report.state).toBe('damaged');
    expect(report.message).toMatch(/found damage/);
    // Logged once as a tamper alarm and shown where the therapist sees the others.
    const { alarms } = await call(core, 'vault.integrity');
    expect(alarms.filter((alarm) => alarm.subject === 'vault/file')).toEqual([
      expect.objectContaining({
        clientId: null,
        problem: expect.stringMatching(/whole-file check found damage/),
      }),
    ]);
    const { entries } = await call(core, 'audit.recent', { limit: 500 });
    expect(
      entries.filter((e) => e.action === 'integrity.alarm' && e.subject === 'vault/file'),
    ).toHaveLength(1);
  });

  it('a vault cut short is still refused before the first screen', async () => {
    truncateSync(vaultPath(), Math.floor(statSync(vaultPath()).size * 0.75));
    core = await testCore(dataDir, clock);
    expect(await call(core, 'vault.status')).toMatchObject({
      state: 'unavailable',
      problem: { code: 'VAULT_DAMAGED' },
    });
  });

  it('under Electron the default never starts the app binary again: the check says it could not run', async () => {
    const spawned: string[] = [];
    const electronless = nodeFileCheckSpawner({ ...process.versions, electron: '45.0.0' });
    const watching: FileCheckSpawner = (variables, exited) => {
      spawned.push(variables[FILE_CHECK_VARIABLES.vaultPath]!);
      return electronless(variables, exited);
    };
    const check = startIntegrityCheck(vaultPath(), clock.now, undefined, watching);
    expect(await check.finished()).toMatchObject({ state: 'failed', checkedAt: null });
    expect(spawned).toEqual([vaultPath()]);
  });

  it('the core runs the check through the spawner it is given (the app passes a utility process)', async () => {
    const asked: Record<string, string>[] = [];
    const spawner: FileCheckSpawner = (variables, exited) => {
      asked.push(variables);
      return nodeFileCheckSpawner()(variables, exited);
    };
    core = await testCore(dataDir, clock, { fileCheckSpawner: spawner });
    expect(await settledIntegrity(core)).toMatchObject({ state: 'ok' });
    expect(asked).toHaveLength(1);
    expect(asked[0]![FILE_CHECK_VARIABLES.vaultPath]).toBe(vaultPath());
  });
});
