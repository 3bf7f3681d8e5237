import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE_FORMAT, type AuditBundle } from '../../../electron/core/audit/audit-bundle';
import { csvCell } from '../../../electron/core/audit/audit-exports';
import { verifyBundle } from '../../../cli/verify';
import { errorSentences } from '../../../shared/errors';
import { exportFileName } from '../../../shared/export-file-name';
import { call, refusal, testCore } from '../helpers/practice-helpers';
import { fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';
import {
  exportText,
  fill,
  newCoreVault,
  parseCsv,
  startExport,
  type TestVault,
} from '../helpers/audit-helpers';

let vault: TestVault;
beforeEach(async () => {
  vault = await newCoreVault();
});
afterEach(() => vault.cleanup());

describe('audit export', () => {
  it('exports a JSON bundle as the therapist, logged before the first page, that verifies', async () => {
    fill(vault, 12_000, (i) => ({ action: 'recording.play', subject: `rec-${i % 7}` }));
    const exported = await exportText(vault, 'json');
    const bundle = JSON.parse(exported.text) as AuditBundle;
    expect(Object.keys(bundle)).toEqual([
      'format',
      'vaultId',
      'exportedAt',
      'exportedBy',
      'signingPublicKey',
      'entries',
      'entryHashes',
      'checkpoints',
      'head',
      'exportSignature',
    ]);
    expect(bundle.format).toBe(BUNDLE_FORMAT);
    expect(bundle.exportedBy).toBe('therapist');
    expect(bundle.entries).toHaveLength(exported.total);
    expect(exported.pages).toBeGreaterThanOrEqual(7); // six pages of entries or more, then the hashes
    const last = bundle.entries.at(-1) as { seq: number; action: string; subject: string };
    expect(last).toMatchObject({ seq: exported.total, action: 'audit.export', subject: 'json' });
    expect(bundle.checkpoints.at(-1)!.seq).toBe(bundle.head.seq);
    const report = await verifyBundle(bundle);
    expect(report).toMatchObject({ ok: true, exitCode: 0, entries: exported.total });
    expect(report.signingKeyFingerprint).toBe(exported.signingKeyFingerprint);

    const log = await call(vault.core, 'audit.recent', { limit: 5 });
    expect(log.entries.some((e) => e.action === 'audit.export')).toBe(true);
  });

  it('an auditor exports JSON and CSV, named in the bundle and in the log', async () => {
    await call(vault.core, 'auditors.add', {
      signInName: 'Pat Auditor',
      passphrase: 'ledger orchard fifteen comets',
    });
    const { auditorId } = (await call(vault.core, 'auditors.list')).auditors[0]!;
    await call(vault.core, 'session.lock');
    await call(vault.core, 'session.unlockAuditor', {
      signInName: 'Pat Auditor',
      passphrase: 'ledger orchard fifteen comets',
    });
    const json = await exportText(vault, 'json');
    const bundle = JSON.parse(json.text) as AuditBundle;
    expect(bundle.exportedBy).toBe(`auditor:${auditorId}`);
    expect(await verifyBundle(bundle)).toMatchObject({ ok: true });
    const csv = await exportText(vault, 'csv');
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([
      'seq',
      'time',
      'actor_role',
      'actor_id',
      'action',
      'subject',
      'outcome',
      'reason',
    ]);
    expect(rows.at(-1)).toEqual([
      String(csv.total),
      new Date(vault.clock.now()).toISOString(),
      'auditor',
      `auditor:${auditorId}`,
      'audit.export',
      'csv',
      'ok',
      '',
    ]);
    // The auditor still cannot leave the log.
    expect((await refusal(vault.core, 'clients.list')).code).toBe('NOT_ALLOWED');
  });

  it('a cursor ends at lock and belongs to the session that started it', async () => {
    const started = await startExport(vault.core, 'csv');
    await call(vault.core, 'session.lock');
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(
      (await refusal(vault.core, 'audit.exportNext', { exportId: started.exportId })).code,
    ).toBe('NOT_FOUND');
    await call(vault.core, 'session.lock');
    const asked = vault.chosen.length;
    expect((await refusal(vault.core, 'audit.exportStart', { format: 'json' })).code).toBe(
      'VAULT_LOCKED',
    );
    // Locked: no dialog is shown at all.
    expect(vault.chosen).toHaveLength(asked);
  });

  it('a lock while the dialog is open starts no export and writes no file', async () => {
    vault.answer = (name) => {
      vault.core.lock('idle');
      return join(vault.exportDir, name);
    };
    expect((await refusal(vault.core, 'audit.exportStart', { format: 'json' })).code).toBe(
      'VAULT_LOCKED',
    );
    expect(readdirSync(vault.exportDir)).toEqual([]);
  });

  it('asks main’s dialog first, under a dated name, and writes the file main was told', async () => {
    const exported = await exportText(vault, 'json');
    const suggested = exportFileName('json', new Date(vault.clock.now()));
    expect(suggested).toMatch(/^access-log-\d{4}-\d\d-\d\d-\d{4}\.json$/);
    expect(vault.chosen).toEqual([{ suggestedName: suggested, path: exported.path }]);
    expect(exported.fileName).toBe(suggested);
    expect(readdirSync(vault.exportDir)).toEqual([suggested]);
    // The page hears only how far main got: no text crosses back.
    const again = await startExport(vault.core, 'csv');
    const page = await call(vault.core, 'audit.exportNext', {
      exportId: again.exportId,
    });
    expect(Object.keys(page).sort()).toEqual(['done', 'rows', 'total', 'written']);
  });

  it('a cancelled dialog writes nothing and logs nothing', async () => {
    const before = await call(vault.core, 'audit.recent', { limit: 1 });
    vault.answer = () => null;
    const reply = await call(vault.core, 'audit.exportStart', { format: 'json' });
    expect(reply).toEqual({ started: false });
    expect(vault.chosen).toHaveLength(1);
    expect(readdirSync(vault.exportDir)).toEqual([]);
    const after = await call(vault.core, 'audit.recent', { limit: 1 });
    expect(after.total).toBe(before.total);
    expect(after.entries[0]!.seq).toBe(before.entries[0]!.seq);
  });

  it('a lock mid-export deletes the partial file', async () => {
    fill(vault, 5_000, (i) => ({ action: 'recording.play', subject: `rec-${i % 7}` }));
    const started = await startExport(vault.core, 'json');
    const file = join(vault.exportDir, started.fileName);
    const first = await call(vault.core, 'audit.exportNext', {
      exportId: started.exportId,
    });
    expect(first.done).toBe(false);
    expect(readFileSync(file, 'utf8')).toMatch(/^\{"format":/);
    await call(vault.core, 'session.lock');
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(vault.exportDir)).toEqual([]);
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(
      (await refusal(vault.core, 'audit.exportNext', { exportId: started.exportId })).code,
    ).toBe('NOT_FOUND');
    expect(existsSync(file)).toBe(false);
  });

  it('a file that cannot be written ends the export and leaves nothing behind', async () => {
    vault.answer = (name) => join(vault.exportDir, 'no-such-folder', name);
    const failed = await refusal(vault.core, 'audit.exportStart', { format: 'csv' });
    expect(failed).toEqual({
      code: 'EXPORT_NOT_SAVED',
      message: errorSentences.EXPORT_NOT_SAVED,
    });
    // Nor may an export be written over the vault itself.
    vault.answer = () => join(vault.dataDir, 'vault.sqlite');
    const overVault = await refusal(vault.core, 'audit.exportStart', { format: 'csv' });
    expect(overVault.code).toBe('EXPORT_NOT_SAVED');
    expect(overVault.message).toMatch(/vault’s own folder/);
    expect(readdirSync(vault.exportDir)).toEqual([]);
    expect((await call(vault.core, 'audit.recent', { limit: 5 })).total).toBeGreaterThan(0);
  });

  it('refuses to export, in a sentence, where no one can choose a file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sv-audit-nofiles-'));
    const core = await testCore(dataDir, fakeClock());
    try {
      await call(core, 'vault.create', {
        practiceName: 'Riverside',
        therapistName: 'Dr. Jane Example',
        passphrase: PASSPHRASE,
      });
      const before = (await call(core, 'audit.recent', { limit: 1 })).total;
      const refused = await refusal(core, 'audit.exportStart', { format: 'json' });
      expect(refused).toEqual({
        code: 'EXPORT_UNAVAILABLE',
        message: errorSentences.EXPORT_UNAVAILABLE,
      });
      expect(refused.message).toMatch(/cannot save files/);
      // The refusal is logged as a refusal, not as an export.
      const after = await call(core, 'audit.recent', { limit: 5 });
      expect(after.entries.some((e) => e.action === 'audit.export')).toBe(false);
      expect(after.total).toBeLessThanOrEqual(before + 1);
    } finally {
      core.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('neutralises formulas in CSV cells', async () => {
    fill(vault, 3, (i) => ({
      action: 'settings.change',
      subject: ['=HYPERLINK("http://x.example","click")', '+1+2', '@SUM(A1)'][i]!,
      reason: ['-2+3', '\tcmd', 'fine, "quoted"'][i]!,
    }));
    // A refused request logs the channel it named: the renderer chooses that text.
    await refusal(vault.core, "=cmd|' /C calc'!A0", {});
    const rows = parseCsv((await exportText(vault, 'csv')).text).slice(1);
    for (const row of rows)
      for (const cell of row) expect(cell, `row ${row[0]}`).not.toMatch(/^[=+\-@\t\r]/);
    const cells = rows.flat();
    expect(cells).toContain('\'=HYPERLINK("http://x.example","click")');
    expect(cells).toContain("'+1+2");
    expect(cells).toContain("'@SUM(A1)");
    expect(cells).toContain("'-2+3");
    expect(cells).toContain("'\tcmd");
    expect(cells).toContain('fine, "quoted"');
    expect(cells).toContain("'=cmd|' /C calc'!A0");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=1,2')).toBe('"\'=1,2"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  });
});

describe('audit query', () => {
  it('filters 20,000 entries by action, outcome, subject and time, newest first', async () => {
    const start = vault.clock.now();
    const actions = ['recording.play', 'recording.start', 'consent.sign', 'session.unlock'];
    fill(vault, 20_000, (i) => ({
      action: actions[i % 4]!,
      subject: `rec-${i % 10}`,
      outcome: i % 5 === 0 ? 'refused' : 'ok',
    }));
    // Main reads the log into its index in slices and answers meanwhile with `indexing`: these
    // are the answers once it has read everything.
    const query = async (request: Record<string, unknown>) => {
      for (;;) {
        const page = await call(vault.core, 'audit.query', { limit: 50, ...request });
        if (!page.indexing) return page;
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const all = await query({});
    expect(all.total).toBeGreaterThan(20_000);
    expect(all.matched).toBe(all.total);
    expect(all.actions).toEqual(expect.arrayContaining([...actions, 'vault.create']));
    expect(all.entries.map((e) => e.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => all.total - i),
    );

    expect((await query({ action: 'recording.play' })).matched).toBe(5000);
    // i % 4 == 0 and i % 5 == 0: every 20th.
    expect((await query({ action: 'recording.play', outcome: 'refused' })).matched).toBe(1000);
    expect((await query({ subject: 'rec-3' })).matched).toBe(2000);
    expect((await query({ subject: 'rec-3', action: 'recording.start' })).matched).toBe(1000);
    expect((await query({ subject: 'rec-3', action: 'consent.sign' })).matched).toBe(0);
    expect((await query({ action: 'no.such.action' })).matched).toBe(0);
    // fill() advances the clock 1 ms before each entry: entries 0..99 of the fill.
    const first100 = await query({ fromAt: start + 1, toAt: start + 100, limit: 500 });
    expect(first100.matched).toBe(100);
    expect(first100.entries).toHaveLength(100);

    // Paging: the next page starts below the last seq seen; matched stays the same.
    const page1 = await query({ action: 'consent.sign', limit: 100 });
    const page2 = await query({
      action: 'consent.sign',
      limit: 100,
      beforeSeq: page1.entries.at(-1)!.seq,
    });
    expect(page2.matched).toBe(5000);
    expect(page2.entries[0]!.seq).toBeLessThan(page1.entries.at(-1)!.seq);
    expect(page2.entries.every((e) => e.action === 'consent.sign')).toBe(true);

    // New entries extend the index; a lock wipes it and the next query rebuilds it.
    await call(vault.core, 'settings.setIdleLock', { minutes: 5 });
    expect((await query({ action: 'settings.change' })).matched).toBe(1);
    await call(vault.core, 'session.lock');
    expect((await refusal(vault.core, 'audit.query', { limit: 5 })).code).toBe('VAULT_LOCKED');
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect((await query({ action: 'recording.play' })).matched).toBe(5000);
  });
});
