// The therapist's unlock checks every client's signed records (state-reconcile.ts) one client per
// turn of main, and only then starts the session: main answers other requests meanwhile, no
// therapist request is answered before the last client is checked, and a lock or a quit during
// the checks refuses the unlock and keeps nothing open (issue 16: 265 ms in one turn at 120
// recordings before).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VAULT_FILE_NAME } from '../../../electron/core/platform/db';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import {
  call,
  recordForNewClient,
  refusal,
  testCore,
  therapistVault,
} from '../helpers/practice-helpers';

const CLIENTS = 6;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

let practice: Awaited<ReturnType<typeof therapistVault>>;
let recordingIds: string[];

beforeEach(async () => {
  practice = await therapistVault('sv-unlock-turns-');
  recordingIds = [];
  for (let i = 0; i < CLIENTS; i += 1)
    recordingIds.push(await recordForNewClient(practice.core, practice.clock.now(), 1));
  await call(practice.core, 'session.lock');
});
afterEach(() => practice.close());

/** While `unlocking` is unanswered, asks main each turn for `ask`'s answer; the answers in order. */
async function askedMeanwhile<T>(unlocking: Promise<unknown>, ask: () => Promise<T>): Promise<T[]> {
  let answered = false;
  const settled = unlocking.then(
    () => (answered = true),
    () => (answered = true),
  );
  const answers: T[] = [];
  while (!answered) {
    answers.push(await ask());
    await nextTurn();
  }
  await settled;
  return answers;
}

/** Starts an unlock; resolves with its refusal, or null if it answers (a test then fails). */
function unlockCutShort(): Promise<unknown> {
  return call(practice.core, 'session.unlock', { passphrase: PASSPHRASE }).then(
    () => null,
    (error: unknown) => error,
  );
}

describe('the therapist unlock, client by client', () => {
  it('answers other requests while it checks, and nothing of the therapist’s before the last client', async () => {
    // Every recording's deadline pushed to 2099 in the file while locked: each client's check names
    // its edit, so an answer before a client was checked would miss that client's alarm.
    const db = new Database(join(practice.dataDir, VAULT_FILE_NAME));
    db.prepare('UPDATE recordings SET destroy_after = ?').run(Date.UTC(2099, 0, 1));
    db.close();

    const unlocking = call(practice.core, 'session.unlock', { passphrase: PASSPHRASE });
    const meanwhile = await askedMeanwhile(unlocking, async () => ({
      status: (await call(practice.core, 'vault.status')).state,
      clients: (await refusal(practice.core, 'clients.list')).code,
    }));
    expect((await unlocking).role).toBe('therapist');

    // Main answered between the clients' checks, always as locked: one turn per client at least.
    expect(meanwhile.length).toBeGreaterThanOrEqual(CLIENTS);
    expect(meanwhile.every((answer) => answer.status === 'locked')).toBe(true);
    expect(meanwhile.every((answer) => answer.clients === 'VAULT_LOCKED')).toBe(true);

    const { alarms } = await call(practice.core, 'vault.integrity');
    for (const recordingId of recordingIds)
      expect(alarms).toContainEqual(
        expect.objectContaining({
          subject: `recording/${recordingId}`,
          problem: expect.stringContaining('destruction date') as string,
        }),
      );
    expect((await call(practice.core, 'clients.list')).clients).toHaveLength(CLIENTS);
  });

  it('is refused when the vault is locked during the checks, and the next unlock checks all', async () => {
    const refused = unlockCutShort();
    await nextTurn();
    await call(practice.core, 'session.lock');
    expect(await refused).toMatchObject({ code: 'VAULT_LOCKED' });
    expect((await call(practice.core, 'vault.status')).state).toBe('locked');
    expect((await refusal(practice.core, 'clients.list')).code).toBe('VAULT_LOCKED');

    await call(practice.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect((await call(practice.core, 'clients.list')).clients).toHaveLength(CLIENTS);
    const { entries } = await call(practice.core, 'audit.recent', { limit: 6 });
    // Newest first: this unlock, then the lock that cut the first short, then that unlock.
    expect(entries.slice(0, 3).map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'session.unlock:ok',
      'session.lock:ok',
      'session.unlock:ok',
    ]);
  });

  it('is refused, not left waiting, when the app quits during the checks', async () => {
    const refused = unlockCutShort();
    await nextTurn();
    practice.core.close();
    expect(await refused).toMatchObject({ code: 'VAULT_LOCKED' });

    // The next start opens and unlocks as ever.
    const reopened = await testCore(practice.dataDir, practice.clock);
    try {
      await call(reopened, 'session.unlock', { passphrase: PASSPHRASE });
      expect((await call(reopened, 'clients.list')).clients).toHaveLength(CLIENTS);
    } finally {
      reopened.close();
    }
  });
});
