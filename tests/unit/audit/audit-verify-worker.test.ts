// The in-app check of the whole log runs in a worker thread (audit-verifier.ts): main opens none
// of the entries, the verdict is the one the walk on main gives, an altered entry is named the
// same way, and a lock during the walk refuses it.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/audit-log';
import { VAULT_FILE_NAME } from '../../../electron/core/platform/db';
import type { AuditVerdict } from '../../../shared/api';
import { fill, newCoreVault, type TestVault } from '../helpers/audit-helpers';
import { builtIndexWorker } from '../helpers/index-worker-build';
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
});
