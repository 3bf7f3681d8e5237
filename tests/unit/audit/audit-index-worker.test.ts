// The log screen's index read by a worker thread: main answers at once with progress, the entries
// below the index come from the worker (main opens none of them), the progress arrives in steps,
// the answers are the same as the slice build's, and a lock ends the worker and the index.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/audit-log';
import { call, refusal } from '../helpers/practice-helpers';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import { fill, newCoreVault, type TestVault } from '../helpers/audit-helpers';
import { builtIndexWorker } from '../helpers/worker-build';

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const ACTIONS = ['recording.play', 'recording.start', 'consent.sign', 'session.unlock'];

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

// Two 30,000-entry logs are written and indexed: more than the default minute on a loaded machine.
describe('audit index read by a worker thread', { timeout: 180_000 }, () => {
  it('main opens none of the entries below the index; progress arrives in steps; same answers', async () => {
    const vault = await coreVault(true);
    fill(vault, 30_000, (i) => ({ action: ACTIONS[i % 4]!, subject: `rec-${i % 10}` }));
    const query = (request: Record<string, unknown>) =>
      call(vault.core, 'audit.query', { limit: 50, ...request });
    // Every entry main itself opens for the index or a page goes through AuditLog.read or
    // readAscending in this thread; the worker's reads happen in its own.
    const mainReads = vi.spyOn(AuditLog.prototype, 'read');
    const mainAscending = vi.spyOn(AuditLog.prototype, 'readAscending');

    const first = await query({});
    expect(first.indexing).toBeDefined();
    const total = first.indexing!.total;
    expect(first.entries.map((e) => e.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => total - i),
    );
    const progress: number[] = [first.indexing!.done];
    let done = await query({ action: 'consent.sign' });
    while (done.indexing) {
      progress.push(done.indexing.done);
      await macrotask();
      done = await query({ action: 'consent.sign' });
    }
    // Batches of 2,000: the progress seen grows in several steps, never all at once.
    expect(new Set(progress).size).toBeGreaterThan(3);
    expect(done.total).toBe(total);
    expect(done.matched).toBe(7500);

    // Main read one page (the unfiltered first answer) and nothing below it for the index.
    const openedOnMain = mainReads.mock.results.reduce(
      (sum, result) => sum + (result.value as unknown[]).length,
      0,
    );
    expect(openedOnMain).toBe(50);
    for (const [, fromSeq] of mainAscending.mock.calls) expect(fromSeq).toBeGreaterThan(total);

    // The same answers as the slice build, over the same log.
    const sliced = await coreVault(false);
    fill(sliced, 30_000, (i) => ({ action: ACTIONS[i % 4]!, subject: `rec-${i % 10}` }));
    let reference = await call(sliced.core, 'audit.query', {
      limit: 50,
      action: 'recording.start',
      subject: 'rec-3',
    });
    while (reference.indexing) {
      await macrotask();
      reference = await call(sliced.core, 'audit.query', {
        limit: 50,
        action: 'recording.start',
        subject: 'rec-3',
      });
    }
    const filtered = await query({ action: 'recording.start', subject: 'rec-3' });
    expect(filtered.matched).toBe(reference.matched);
    expect(filtered.entries.map((e) => [e.seq, e.action, e.subject])).toEqual(
      reference.entries.map((e) => [e.seq, e.action, e.subject]),
    );
    expect(filtered.actions).toEqual(reference.actions);
  });

  it('finds entries appended while the worker reads', async () => {
    const vault = await coreVault(true);
    fill(vault, 20_000, () => ({ action: 'recording.play' }));
    const query = (request: Record<string, unknown>) =>
      call(vault.core, 'audit.query', { limit: 50, ...request });
    let page = await query({ action: 'recording.start' });
    expect(page.indexing).toBeDefined();
    fill(vault, 7, () => ({ action: 'recording.start' }));
    while (page.indexing || page.matched < 7) {
      await macrotask();
      page = await query({ action: 'recording.start' });
    }
    expect(page.matched).toBe(7);
    expect(page.indexing).toBeUndefined();
  });

  it('a reveal waits for the worker; a lock ends it, refuses the reveal, and a new session starts again', async () => {
    const vault = await coreVault(true);
    const { clientId } = await call(vault.core, 'clients.add', {
      displayName: 'Robin Example',
      otherParticipants: [],
    });
    fill(vault, 30_000, () => ({ action: 'recording.play', subject: 'rec-1' }));
    expect((await call(vault.core, 'audit.query', { limit: 5 })).indexing).toBeDefined();
    const revealed = await call(vault.core, 'audit.revealClients');
    expect(revealed.clients.map((client) => client.clientId)).toEqual([clientId]);

    await call(vault.core, 'session.lock');
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    const pending = vault.core.dispatch('audit.revealClients', {});
    vault.core.lock('user');
    const answer = await pending;
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.code).toBe('VAULT_LOCKED');
    expect((await refusal(vault.core, 'audit.query', { limit: 5 })).code).toBe('VAULT_LOCKED');

    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    let page = await call(vault.core, 'audit.query', { limit: 10, subject: 'rec-1' });
    while (page.indexing) {
      await macrotask();
      page = await call(vault.core, 'audit.query', { limit: 10, subject: 'rec-1' });
    }
    expect(page.matched).toBe(30_000);
  });
});
