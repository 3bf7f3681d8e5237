// Exporting only what the log screen's filters show (CSV and FHIR), the export's own entry saying
// how it was filtered, "Show in folder" for a finished export, and subjects that say what a
// recording was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  call,
  refusal,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
} from '../helpers/practice-helpers';
import { exportText, fill, newCoreVault, parseCsv, type TestVault } from '../helpers/audit-helpers';

let vault: TestVault;
beforeEach(async () => {
  vault = await newCoreVault();
});
afterEach(() => vault.cleanup());

interface LogPage {
  entries: {
    seq: number;
    action: string;
    subject: string | null;
    at: number;
    reason: string | null;
    recording?: { startedAt: number; clientId: string; kind: string };
  }[];
  indexing?: unknown;
}

async function wholeIndex(filter: Record<string, unknown>): Promise<LogPage> {
  for (;;) {
    const page = (await call(vault.core, 'audit.query', { limit: 500, ...filter })) as LogPage;
    if (!page.indexing) return page;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('filtered exports', () => {
  it('a CSV holds only the matching entries, and its log entry records the filter', async () => {
    fill(vault, 300, (i) => ({
      action: i % 3 === 0 ? 'playback.start' : 'recording.stop',
      subject: `rec-${i % 5}`,
    }));
    const filter = { action: 'playback.start', subject: 'rec-0' };
    const csv = await exportText(vault, 'csv', filter);
    expect(csv.filtered).toBe(true);
    const rows = parseCsv(csv.text).slice(1);
    // i % 3 === 0 and i % 5 === 0: every 15th of 300.
    expect(rows).toHaveLength(20);
    expect(rows.every((row) => row[4] === 'playback.start' && row[5] === 'rec-0')).toBe(true);
    expect(csv.rows).toBe(20);
    expect(csv.written).toBe(csv.total);

    const exported = await wholeIndex({ action: 'audit.export' });
    expect(exported.entries[0]?.reason).toBe('filtered: action playback.start; subject rec-0');
  });

  it('time bounds are inclusive and match what the screen counts; an unfiltered CSV has every entry', async () => {
    fill(vault, 10, () => ({ action: 'recording.stop' }));
    const shown = await wholeIndex({});
    // A bound on an entry's own time includes it.
    const toAt = shown.entries[4]!.at;
    const expected = shown.entries.filter((entry) => entry.at <= toAt).length;
    vault.clock.advance(60_000);
    const upTo = await exportText(vault, 'csv', { toAt });
    expect(upTo.rows).toBe(expected);
    expect(parseCsv(upTo.text).length - 1).toBe(expected);
    // FHIR from just after everything before: only that export's own entry, and this one's.
    const fromAt = shown.entries[0]!.at + 1;
    vault.clock.advance(60_000);
    const fhir = await exportText(vault, 'fhir', { fromAt });
    expect(fhir.rows).toBe(2);
    expect(fhir.text.trim().split('\n')).toHaveLength(2);
    const whole = await exportText(vault, 'csv');
    expect(whole.filtered).toBe(false);
    expect(parseCsv(whole.text).length - 1).toBe(whole.total);
    const mine = await wholeIndex({ action: 'audit.export' });
    expect(mine.entries.map((entry) => entry.reason)).toEqual([
      null,
      `filtered: from ${new Date(fromAt).toISOString()}`,
      `filtered: to ${new Date(toAt).toISOString()}`,
    ]);
  });

  it('refuses a filtered signed bundle: it would not verify', async () => {
    const asked = vault.chosen.length;
    const refused = await refusal(vault.core, 'audit.exportStart', {
      format: 'json',
      filter: { action: 'session.unlock' },
    });
    expect(refused.code).toBe('INVALID_REQUEST');
    expect(refused.message).toMatch(/whole log/);
    expect(vault.chosen.length).toBe(asked);
  });
});

describe('show in folder', () => {
  it('shows the path main wrote, by export id, only once the export is finished', async () => {
    const started = (await call(vault.core, 'audit.exportStart', { format: 'csv' })) as {
      exportId: string;
    };
    expect(
      (await refusal(vault.core, 'audit.showExport', { exportId: started.exportId })).code,
    ).toBe('NOT_FOUND');
    for (;;) {
      const page = (await call(vault.core, 'audit.exportNext', { exportId: started.exportId })) as {
        done: boolean;
      };
      if (page.done) break;
    }
    await call(vault.core, 'audit.showExport', { exportId: started.exportId });
    expect(vault.revealed).toEqual([vault.chosen.at(-1)!.path]);
    // An id main never gave, and any id after a lock, shows nothing.
    expect((await refusal(vault.core, 'audit.showExport', { exportId: 'a'.repeat(32) })).code).toBe(
      'NOT_FOUND',
    );
    await call(vault.core, 'session.lock');
    expect(
      (await refusal(vault.core, 'audit.showExport', { exportId: started.exportId })).code,
    ).toBe('VAULT_LOCKED');
    expect(vault.revealed).toHaveLength(1);
  });

  it('takes no path from the page', async () => {
    const refused = await refusal(vault.core, 'audit.showExport', {
      exportId: 'a'.repeat(32),
      path: '/etc/passwd',
    });
    expect(refused.code).toBe('INVALID_REQUEST');
    expect(vault.revealed).toEqual([]);
  });
});

describe('subjects in words', () => {
  it('an entry about a recording carries its start time, client and kind, also after destruction', async () => {
    const client = await signedClient(vault.core, vault.clock.now());
    const { recordingId } = await startCapture(vault.core, client.clientId);
    const startedAt = vault.clock.now();
    await sendSeconds(vault.core, recordingId, 2);
    await stopCapture(vault.core, recordingId);
    await call(vault.core, 'recording.destroy', { recordingId });
    const page = await wholeIndex({ subject: recordingId });
    expect(page.entries.length).toBeGreaterThan(2);
    for (const entry of page.entries)
      expect(entry.recording).toEqual({ startedAt, clientId: client.clientId, kind: 'session' });
    const consent = await wholeIndex({ action: 'consent.sign' });
    expect(consent.entries[0]?.recording).toBeUndefined();
  });
});
