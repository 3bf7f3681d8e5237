// The log screen's index is read in slices between which main's event loop runs: a query answers
// at once with progress, entries appended meanwhile are found, and a lock stops and wipes it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHECKPOINT_EVERY } from '../../../electron/core/audit/audit-log';
import type { AuditEvent } from '../../../electron/core/audit/audit-format';
import { AuditQueries, SLICE_MAX_ENTRIES } from '../../../electron/core/audit/audit-queries';
import { AuditorService } from '../../../electron/core/audit/auditor-service';
import { call, refusal } from '../helpers/practice-helpers';
import { PASSPHRASE, newVault } from '../helpers/kernel-helpers';
import { fill, newCoreVault, type TestVault } from '../helpers/audit-helpers';

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function coreVault(): Promise<TestVault> {
  const vault = await newCoreVault();
  cleanups.push(() => vault.cleanup());
  return vault;
}

const ACTIONS = ['recording.play', 'recording.start', 'consent.sign', 'session.unlock'];

describe('audit index built in slices', () => {
  // How long a slice holds the event loop is a figure of `npm run bench`
  // (audit_query_max_block_ms), not a timed assertion here: this test proves the slicing itself.
  it('answers after one slice with progress, builds in several slices, and ends with the same answers', async () => {
    const vault = await coreVault();
    fill(vault, 60_000, (i) => ({ action: ACTIONS[i % 4]!, subject: `rec-${i % 10}` }));
    const query = (request: Record<string, unknown>) =>
      call(vault.core, 'audit.query', { limit: 50, ...request });

    const first = await query({});
    // One slice at most, then the newest page straight from the log.
    expect(first.indexing).toBeDefined();
    expect(first.indexing!.done).toBeLessThanOrEqual(SLICE_MAX_ENTRIES + 250);
    const total = first.indexing!.total;
    expect(total).toBeGreaterThan(60_000);
    expect(first.indexing!.done).toBeGreaterThan(0);
    expect(first.indexing!.done).toBeLessThan(total);
    expect(first.total).toBe(total);
    expect(first.matched).toBe(total);
    expect(first.entries.map((e) => e.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => total - i),
    );
    // Older pages need no index either.
    const deep = await query({ beforeSeq: 101, limit: 3 });
    expect(deep.entries.map((e) => e.seq)).toEqual([100, 99, 98]);

    // A filtered page during the build: the newest matches are read first, so a full page is the
    // final page; matched counts only what has been read.
    const early = await query({ action: 'consent.sign' });
    expect(early.indexing).toBeDefined();
    expect(early.matched).toBeLessThan(15_000);
    expect(early.entries).toHaveLength(50);

    // Between two turns of the event loop the build goes on by at most one slice or so: the
    // progress seen grows in several steps, never all at once.
    const progress: number[] = [first.indexing!.done];
    let done = early;
    while (done.indexing) {
      expect(done.indexing.done).toBeLessThanOrEqual(done.indexing.total);
      expect(done.indexing.done).toBeGreaterThanOrEqual(progress.at(-1)!);
      progress.push(done.indexing.done);
      await macrotask();
      done = await query({ action: 'consent.sign' });
    }
    // Even with every slice at its entry cap, all but the last slice show up as progress.
    expect(new Set(progress).size).toBeGreaterThanOrEqual(Math.ceil(total / SLICE_MAX_ENTRIES) - 1);

    expect(done.matched).toBe(15_000);
    expect(done.total).toBe(total);
    expect(done.entries).toEqual(early.entries);
    const all = await query({});
    expect(all.indexing).toBeUndefined();
    expect(all.entries).toEqual(first.entries);
    expect(all.actions).toEqual(expect.arrayContaining([...ACTIONS, 'vault.create']));
    expect((await query({ subject: 'rec-3', action: 'recording.start' })).matched).toBe(3000);
    expect((await query({ subject: 'rec-3', action: 'consent.sign' })).matched).toBe(0);
  });

  it('finds entries appended during the build, a few or many', async () => {
    const vault = await coreVault();
    fill(vault, 40_000, () => ({ action: 'recording.play' }));
    const query = (request: Record<string, unknown>) =>
      call(vault.core, 'audit.query', { limit: 50, ...request });
    expect((await query({})).indexing).toBeDefined();

    // The build only goes on between macrotasks: everything below happens mid-build.
    await call(vault.core, 'settings.setIdleLock', { minutes: 5 });
    const changed = await query({ action: 'settings.change' });
    expect(changed.indexing).toBeDefined();
    expect(changed.matched).toBe(1);
    expect(changed.entries[0]!.seq).toBe(changed.indexing!.total);

    // More than a query reads at the top in one go (the slices read the rest).
    fill(vault, 5_000, () => ({ action: 'tail.fill' }));
    const top = await query({ action: 'tail.fill' });
    expect(top.indexing).toBeDefined();
    expect(top.matched).toBeGreaterThan(0);
    expect(top.entries.every((e) => e.action === 'tail.fill')).toBe(true);

    let page = top;
    while (page.indexing) {
      await macrotask();
      page = await query({ action: 'tail.fill' });
    }
    expect(page.matched).toBe(5_000);
    // The fill's own session.lock came last.
    expect(page.entries.map((e) => e.seq)).toEqual(
      Array.from({ length: 50 }, (_, i) => page.total - 1 - i),
    );
    expect((await query({ action: 'settings.change' })).matched).toBe(1);
    expect((await query({ action: 'recording.play' })).matched).toBe(40_000);
    // Every entry once: the counts by action add up to the log.
    const all = await query({});
    let sum = 0;
    for (const action of all.actions) sum += (await query({ action, limit: 1 })).matched;
    expect(sum).toBe(all.total);
  });

  it('a reveal waits for the whole index without blocking, and a lock refuses it', async () => {
    const vault = await coreVault();
    const { clientId } = await call(vault.core, 'clients.add', {
      displayName: 'Robin Example',
      otherParticipants: [],
    });
    fill(vault, 30_000, () => ({ action: 'recording.play' }));
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
  });

  it('a lock during the build stops it and wipes what was read', async () => {
    const vault = await newVault();
    cleanups.push(() => vault.cleanup());
    const { lifecycle } = vault;
    await lifecycle.unlock(PASSPHRASE);
    const { vault: opened, auditSecrets } = lifecycle.unlocked();
    opened.db.transaction(() => {
      for (let i = 0; i < 30_000; i += 1) {
        const seq = opened.audit.append({
          actorRole: 'therapist',
          action: ACTIONS[i % 4]! as AuditEvent['action'],
          outcome: 'ok',
        });
        if (seq % CHECKPOINT_EVERY === 0) opened.audit.checkpoint(auditSecrets);
      }
    })();
    const queries = new AuditQueries(lifecycle, new AuditorService(lifecycle, vault.clock.now));
    const inside = queries as unknown as {
      index: { count: number; seq: Float64Array; at: Float64Array; action: Uint32Array } | null;
    };

    const first = queries.query({ limit: 10 });
    expect(first.indexing).toBeDefined();
    await macrotask();
    await macrotask();
    const index = inside.index!;
    expect(index.count).toBeGreaterThan(first.indexing!.done);
    expect(index.count).toBeLessThan(first.indexing!.total);
    const arrays = [index.seq, index.at, index.action];
    expect(arrays.every((array) => array.some((value) => value !== 0))).toBe(true);
    const whole = queries.whenComplete();
    const reads = vi.spyOn(opened.audit, 'read');

    lifecycle.lock('user');
    expect(inside.index).toBeNull();
    expect(arrays.every((array) => array.every((value) => value === 0))).toBe(true);
    await expect(whole).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    for (let i = 0; i < 5; i += 1) await macrotask();
    expect(reads).not.toHaveBeenCalled();
    expect(inside.index).toBeNull();
    expect(() => queries.query({ limit: 10 })).toThrow(
      expect.objectContaining({ code: 'VAULT_LOCKED' }),
    );

    // The next session starts again from nothing, and gets there.
    await lifecycle.unlock(PASSPHRASE);
    const again = queries.query({ limit: 10, action: 'consent.sign' });
    expect(again.indexing!.done).toBeLessThan(again.indexing!.total);
    await queries.whenComplete();
    const complete = queries.query({ limit: 10, action: 'consent.sign' });
    expect(complete.indexing).toBeUndefined();
    expect(complete.matched).toBe(7_500);
    reads.mockRestore();
  });
});
