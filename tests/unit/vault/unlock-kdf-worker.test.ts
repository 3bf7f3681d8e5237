// The therapist's unlock runs Argon2id in a worker thread (platform/kdf.ts, as the app passes it
// in electron/main.ts): main goes on while it runs, a wrong passphrase is counted and logged as
// on main, tries sent together run one after another (so the throttle still counts each before
// the next), and a thread that fails is no try at all.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';
import { call, refusal, testCore } from '../helpers/practice-helpers';
import { builtKdfWorker } from '../helpers/worker-build';

/** Heavier than the tests' light KDF, so the derivation spans many turns of main. */
const KDF = { opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 };
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

let dataDir: string;
let core: Core;
const clock = fakeClock();
const deviceSecret = new Uint8Array(randomBytes(32));

afterEach(() => {
  core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function lockedVault(kdfWorker: string): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-kdf-worker-'));
  core = await testCore(dataDir, clock, { kdf: KDF, kdfWorker, deviceSecret });
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  await call(core, 'session.lock');
}

/** Turns of main that ran before `pending` settled. */
async function turnsWhile(pending: Promise<unknown>): Promise<number> {
  let settled = false;
  void pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  let turns = 0;
  while (!settled) {
    turns += 1;
    await nextTurn();
  }
  return turns;
}

describe('the unlock’s key derivation in a worker thread', () => {
  it('lets main run while Argon2id runs, and unlocks', async () => {
    await lockedVault(builtKdfWorker());
    // No client: the unlock has no checks to spread over turns, so any turn is the KDF's.
    const unlocking = call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const turns = await turnsWhile(unlocking);
    expect((await unlocking).role).toBe('therapist');
    // On main, the derivation runs between two turns and the answer comes in the first or second.
    expect(turns).toBeGreaterThanOrEqual(10);
    expect((await call(core, 'vault.status')).state).toBe('unlocked');
  });

  it('counts wrong passphrases sent together one after another, as the throttle needs', async () => {
    await lockedVault(builtKdfWorker());
    const tries = await Promise.all(
      Array.from({ length: 6 }, () =>
        refusal(core, 'session.unlock', { passphrase: 'not the passphrase at all' }),
      ),
    );
    // Two free tries, the third delays: the three after it are refused without a KDF run.
    expect(tries.map((error) => error.code)).toEqual([
      'WRONG_PASSPHRASE',
      'WRONG_PASSPHRASE',
      'WRONG_PASSPHRASE',
      'UNLOCK_DELAYED',
      'UNLOCK_DELAYED',
      'UNLOCK_DELAYED',
    ]);
    expect((await call(core, 'vault.status')).unlockRetryAfterMs).toBeGreaterThan(0);
  });

  it('a thread that fails is no try: logged as failed, never counted toward a delay', async () => {
    await lockedVault(join(tmpdir(), 'no-such-kdf-worker.mjs'));
    for (let i = 0; i < 4; i += 1)
      expect((await refusal(core, 'session.unlock', { passphrase: PASSPHRASE })).code).toBe(
        'INTERNAL',
      );
    expect((await call(core, 'vault.status')).unlockRetryAfterMs).toBe(0);
    expect((await call(core, 'vault.status')).state).toBe('locked');

    // Opened again with Argon2id on main, the passphrase opens it, and the log tells what failed.
    core.close();
    core = await testCore(dataDir, clock, { kdf: KDF, deviceSecret });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const { entries } = await call(core, 'audit.recent', { limit: 6 });
    expect(entries.slice(1, 5).map((e) => `${e.action}:${e.outcome}:${e.reason}`)).toEqual(
      Array.from({ length: 4 }, () => 'session.unlock:failed:key derivation failed'),
    );
  });
});
