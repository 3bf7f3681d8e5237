// The key step of a large destruction (issue 16): a hundred keys in one transaction held main
// 316 ms, so keys go a small batch per turn of main. Nothing waiting for its batch is playable:
// decide() refuses a recording from its deadline, whether or not its key is gone yet.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { ClientStore } from '../../../electron/core/clients/client-store';
import { SignedState } from '../../../electron/core/vault/signed-state';
import { KEYS_PER_TRANSACTION } from '../../../electron/core/retention/sweeper';
import { call, refusal } from '../helpers/practice-helpers';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import { buildYearFixture, type YearFixture } from '../../bench/year-fixture';

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

let fixture: YearFixture | null = null;
let core: Core | null = null;
afterEach(() => {
  vi.restoreAllMocks();
  core?.close();
  core = null;
  fixture?.cleanup();
  fixture = null;
});

const keysLeft = (path: string): number => {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare("SELECT count(*) AS n FROM wrapped_keys WHERE key_id LIKE 'rk/%'").get() as {
        n: number;
      }
    ).n;
  } finally {
    db.close();
  }
};

describe('destroying many keys', () => {
  it('goes a small transaction per turn, and nothing due is playable meanwhile', async () => {
    const count = KEYS_PER_TRANSACTION * 2 + 3;
    fixture = await buildYearFixture({ clients: 3, recordings: count, seconds: 2, name: 'keys' });
    const { path } = fixture;
    const ids = fixture.recordings.map((r) => r.recordingId);
    fixture.closeCore();
    fixture.clock.advance(YEAR_MS);
    core = await fixture.reopen();
    const opened = core;
    await call(opened, 'session.unlock', { passphrase: PASSPHRASE });

    // Keys deleted inside each transaction, counted per transaction.
    const perTransaction: number[] = [];
    let inside: number | null = null;
    const original = ClientStore.prototype.deleteRecordingKey;
    vi.spyOn(ClientStore.prototype, 'deleteRecordingKey').mockImplementation(function (
      this: ClientStore,
      recordingId: string,
    ) {
      if (inside !== null) inside += 1;
      original.call(this, recordingId);
    });
    const transaction = Database.prototype.transaction;
    vi.spyOn(Database.prototype, 'transaction').mockImplementation(function (
      this: Database.Database,
      body: (...args: unknown[]) => unknown,
    ) {
      return transaction.call(this, (...args: unknown[]) => {
        const outer = inside;
        inside = 0;
        try {
          return body(...args);
        } finally {
          if (inside > 0) perTransaction.push(inside);
          inside = outer;
        }
      });
    } as never);

    // Signed records checked per look, and per turn of main: a batch, not every due one at once.
    const checkedPerLook: number[] = [];
    const due = SignedState.prototype.due;
    vi.spyOn(SignedState.prototype, 'due').mockImplementation(function (
      this: SignedState,
      at: number,
      among?: ReadonlySet<string>,
    ) {
      checkedPerLook.push(among?.size ?? Number.POSITIVE_INFINITY);
      return due.call(this, at, among);
    });

    // The therapist confirms the year's leap: every recording is due at once.
    await call(opened, 'vault.confirmDate', {});
    for (const recordingId of ids)
      expect(['RECORDING_DESTROYED', 'NOT_ALLOWED']).toContain(
        (await refusal(opened, 'playback.open', { recordingId })).code,
      );
    await expect.poll(() => keysLeft(path), { timeout: 60_000, interval: 20 }).toBe(0);
    expect(perTransaction.reduce((a, b) => a + b, 0)).toBe(count);
    expect(Math.max(...perTransaction)).toBeLessThanOrEqual(KEYS_PER_TRANSACTION);
    expect(perTransaction.length).toBeGreaterThanOrEqual(3);
    expect(checkedPerLook.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...checkedPerLook)).toBeLessThanOrEqual(KEYS_PER_TRANSACTION);
    const { entries } = await call(opened, 'audit.recent', { limit: 500 });
    expect(
      entries
        .filter((e) => e.action === 'recording.destroy')
        .map((e) => e.subject)
        .sort(),
    ).toEqual([...ids].sort());
  }, 300_000);
});
