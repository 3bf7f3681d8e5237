// Attack: after four wrong passphrases someone sets the clock back a day. Before issue 11 the
// delay was last failure + delay − now on the wall clock, so the right passphrase was refused for
// 24 hours. Now the delay counts down on monotonic time and is never longer than the one earned.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { delayAfterFailures } from '../../electron/core/vault/unlock-throttle';
import { call, refusal } from '../unit/helpers/practice-helpers';
import {
  DAY,
  PASSPHRASE,
  clockAttackVault,
  twoClocks,
  vaultStatus,
  wholeLog,
  type TwoClocks,
} from './clock-attack-helpers';

const WRONG = 'not the passphrase at all, sorry';

let clocks: TwoClocks;
let vault: Awaited<ReturnType<typeof clockAttackVault>>;

beforeEach(async () => {
  clocks = twoClocks();
  vault = await clockAttackVault(clocks);
  await call(vault.core, 'session.lock');
});
afterEach(() => vault.cleanup());

/** Four wrong passphrases, each after the delay the one before earned. */
async function fourWrongPassphrases(): Promise<number> {
  for (let failures = 0; failures < 4; failures += 1) {
    clocks.pass(delayAfterFailures(failures));
    const refused = await refusal(vault.core, 'session.unlock', { passphrase: WRONG });
    expect(refused.code).toBe('WRONG_PASSPHRASE');
  }
  return delayAfterFailures(4);
}

async function expectEarnedDelayOnly(earnedMs: number) {
  const status = await vaultStatus(vault.core);
  expect(status.unlockRetryAfterMs).toBeGreaterThan(0);
  expect(status.unlockRetryAfterMs).toBeLessThanOrEqual(earnedMs);
  const early = await refusal(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
  expect(early.code).toBe('UNLOCK_DELAYED');
  expect(early.retryAfterMs).toBeLessThanOrEqual(earnedMs);

  clocks.pass(earnedMs);
  expect((await vaultStatus(vault.core)).unlockRetryAfterMs).toBe(0);
  const info = await call(vault.core, 'session.unlock', {
    passphrase: PASSPHRASE,
  });
  expect(info.role).toBe('therapist');

  const log = await wholeLog(vault.core);
  const tries = log.filter((e) => e.action === 'session.unlock');
  expect(tries.map((e) => [e.outcome, e.reason])).toEqual([
    ['ok', 'new vault'],
    ['refused', 'wrong_passphrase'],
    ['refused', 'wrong_passphrase'],
    ['refused', 'wrong_passphrase'],
    ['refused', 'wrong_passphrase'],
    ['refused', 'too many tries: delayed'],
    ['ok', null],
  ]);
  expect(log.filter((e) => e.action === 'clock.back')).toHaveLength(1);
}

describe('clock back a day after four wrong passphrases', () => {
  it('while running: the right passphrase opens once the earned delay has passed', async () => {
    const earned = await fourWrongPassphrases();
    clocks.setWall(clocks.wallNow() - DAY);
    vault.core.tick();
    await expectEarnedDelayOnly(earned);
  });

  it('across a restart: the delay is never more than the one earned', async () => {
    const earned = await fourWrongPassphrases();
    clocks.setWall(clocks.wallNow() - DAY);
    await vault.restart();
    await expectEarnedDelayOnly(earned);
  });
});
