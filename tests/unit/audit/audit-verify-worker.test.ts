// The log's long reads in a worker thread: the in-app check of the whole log (audit-verifier.ts)
// and the pages of an export (export-worker.ts). Main opens none of the entries; the verdict and
// the exported files are the ones main would make; a lock refuses the check and ends an export.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/audit-log';
import { VAULT_FILE_NAME } from '../../../electron/core/platform/db';
import type { AuditVerdict } from '../../../shared/api';
import {
  exportText,
  fill,
  newCoreVault,
  startExport,
  type TestVault,
} from '../helpers/audit-helpers';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import { verifyBundle } from '../../../cli/verify';
import type { AuditBundle } from '../../../electron/core/audit/audit-bundle';
import { builtIndexWorker } from '../helpers/worker-build';
import { call, refusal } from '../helpers/practice-helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function coreVault(worker: boolean): Promise<TestVault> {
  const vault = await newCoreVault(worker ? { auditIndexWorker: builtIndexWorker() } : {});
  cleanups.push(() => vault.cleanup());
  return vault;
}

const verify = (vault: TestVault) => call(vault.core, 'audit.verify', {});
const event = (i: number) => ({ action: i % 2 ? 'recording.play' : 'consent.sign' });

describe('the log check in a worker thread', { timeout: 180_000 }, () => {
  it('opens no entry on main and gives the same verdict as the walk on main', async () => {
    const inWorker = await coreVault(true);
    fill(inWorker, 5_000, event);
    const opened = vi.spyOn(AuditLog.prototype, 'verifyInSlices');
    const mainWalk = vi.spyOn(AuditLog.prototype, 'verify');
    const verdict = await verify(inWorker);
    expect(opened).not.toHaveBeenCalled();
    expect(mainWalk).not.toHaveBeenCalled();
    expect(verdict).toMatchObject({ intact: true, firstBadSeq: null, problem: null });
    expect(verdict.entries).toBeGreaterThan(5_000);

    vi.restoreAllMocks();
    const onMain = await coreVault(false);
    fill(onMain, 5_000, event);
    const reference = await verify(onMain);
    expect({ ...verdict, signingKeyFingerprint: '' }).toEqual({
      ...reference,
      signingKeyFingerprint: '',
    });
  });

  it('names an altered entry exactly as the walk on main does', async () => {
    const verdicts: AuditVerdict[] = [];
    for (const worker of [true, false]) {
      const vault = await coreVault(worker);
      fill(vault, 3_000, event);
      // Someone with the file rewrites one entry's sealed bytes.
      const db = new Database(join(vault.dataDir, VAULT_FILE_NAME));
      const row = db.prepare('SELECT sealed FROM audit_entries WHERE seq = 1234').get() as {
        sealed: Buffer;
      };
      row.sealed[10] = (row.sealed[10] ?? 0) ^ 0xff;
      db.prepare('UPDATE audit_entries SET sealed = ? WHERE seq = 1234').run(row.sealed);
      db.close();
      verdicts.push(await verify(vault));
    }
    expect(verdicts[0]).toMatchObject({ intact: false, firstBadSeq: 1234 });
    expect(verdicts[0]!.problem).toBe(verdicts[1]!.problem);
  });

  it('refuses the check when the vault locks during it', async () => {
    const vault = await coreVault(true);
    fill(vault, 20_000, event);
    const pending = verify(vault).then(
      () => 'finished',
      (error: unknown) => error,
    );
    // The thread needs longer to start than this lock takes to arrive.
    await call(vault.core, 'session.lock', {});
    expect(String(await pending)).toMatch(/locked/i);
    expect(await refusal(vault.core, 'audit.verify', {})).toMatchObject({ code: 'VAULT_LOCKED' });
  });

  it('makes the pages of an export in the thread: main opens no entry, and the files are the ones main makes', async () => {
    const event = (i: number) => ({ action: 'recording.play', subject: `rec-${i % 7}` });
    const inWorker = await coreVault(true);
    fill(inWorker, 6_000, event);
    const opened = vi.spyOn(AuditLog.prototype, 'readAscending');
    const exported = await exportText(inWorker, 'json');
    const csv = await exportText(inWorker, 'csv', { action: 'recording.play' });
    expect(opened).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    const bundle = JSON.parse(exported.text) as AuditBundle;
    expect(await verifyBundle(bundle)).toMatchObject({ ok: true, entries: exported.total });
    expect(exported.pages).toBeGreaterThanOrEqual(4);

    // The same log exported by main itself gives the same CSV, line for line.
    const onMain = await coreVault(false);
    fill(onMain, 6_000, event);
    await exportText(onMain, 'json');
    const csvOnMain = await exportText(onMain, 'csv', { action: 'recording.play' });
    expect(csv.rows).toBe(6_000);
    expect(csv.text.split('\r\n').length).toBe(csvOnMain.text.split('\r\n').length);
  });

  it('ends an export whose page fails, on the thread or on main: its file and its cursor go', async () => {
    for (const worker of [true, false]) {
      const vault = await coreVault(worker);
      fill(vault, 6_000, event);
      const started = await startExport(vault.core, 'json');
      const file = join(vault.exportDir, started.fileName);
      const nextPage = () =>
        vault.core.dispatch('audit.exportNext', { exportId: started.exportId });
      expect(await nextPage()).toMatchObject({ ok: true, value: { done: false } });
      expect(readFileSync(file, 'utf8')).toMatch(/^\{"format":/);
      // Someone with the file damages an entry a later page holds.
      const db = new Database(join(vault.dataDir, VAULT_FILE_NAME));
      db.prepare(
        'UPDATE audit_entries SET sealed = zeroblob(length(sealed)) WHERE seq = 5000',
      ).run();
      db.close();

      let failed = await nextPage();
      while (failed.ok) {
        expect(failed.value).toMatchObject({ done: false });
        failed = await nextPage();
      }
      expect(failed.error).toMatchObject({
        code: 'VAULT_DAMAGED',
        message: 'Access log entry 5000 is damaged.',
      });
      expect(existsSync(file)).toBe(false);
      expect(readdirSync(vault.exportDir)).toEqual([]);
      // Ended, not failing again: main holds no cursor (nor thread) for it any more.
      expect(await refusal(vault.core, 'audit.exportNext', { exportId: started.exportId })).toEqual(
        { code: 'NOT_FOUND', message: 'That export has ended. Start it again.' },
      );
    }
  });

  it('ends an export and its thread at a lock: the next page is refused', async () => {
    const vault = await coreVault(true);
    fill(vault, 6_000, event);
    const started = await startExport(vault.core, 'json');
    await call(vault.core, 'audit.exportNext', { exportId: started.exportId });
    await call(vault.core, 'session.lock', {});
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(
      (await refusal(vault.core, 'audit.exportNext', { exportId: started.exportId })).code,
    ).toBe('NOT_FOUND');
  });
});
