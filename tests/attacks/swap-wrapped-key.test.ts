// Attack: someone with the vault folder swaps a client's PIN-wrapped key for another row and
// recomputes the row's integrity hash (it used to be a public hash). Before issue 11 the client's
// right PIN then read as a wrong PIN and counted toward the review lockout.
import { describe, expect, it } from 'vitest';
import type { ClientSummary } from '../../shared/api';
import { call, refusal, signedClient } from '../unit/helpers/practice-helpers';
import {
  PASSPHRASE,
  editVaultFile,
  logEntries,
  newPracticeForEachTest,
  swapWrappedKey,
} from './helpers';

const practice = newPracticeForEachTest();

describe('a swapped PIN-wrapped key with its public hash recomputed', () => {
  it('reads as a damaged key, not a wrong PIN, counts no try, and only that client is affected', async () => {
    const alex: ClientSummary = await signedClient(practice.core, practice.clock.now(), {
      name: 'Alex Example',
      pin: '482915',
    });
    const blair: ClientSummary = await signedClient(practice.core, practice.clock.now(), {
      name: 'Blair Example',
      pin: '731904',
    });
    practice.close();

    const alexKeyId = `ck/${alex.clientId}/credential`;
    editVaultFile(practice, (db) =>
      swapWrappedKey(db, `ck/${blair.clientId}/credential`, alexKeyId),
    );

    const core = await practice.reopen();
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await call(core, 'review.start', { clientId: alex.clientId, maxMinutes: 30 });
    // Three tries: after two wrong PINs the third would be delayed; a damaged key is no try.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const error = await refusal(core, 'review.unlock', { pin: '482915' });
      expect(error.code).toBe('KEY_DAMAGED');
      expect(error.message).toMatch(/changed outside Session Vault/);
      expect(error.message).toMatch(/not a wrong PIN/);
    }
    expect(await call(core, 'vault.status')).toMatchObject({
      pendingReview: { locked: false, failures: 0 },
    });

    // Damage stays local: the other client's review opens with their PIN.
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await call(core, 'review.start', { clientId: blair.clientId, maxMinutes: 30 });
    expect(await call(core, 'review.unlock', { pin: '731904' })).toMatchObject({ role: 'client' });
    await call(core, 'review.end');

    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await logEntries(core);
    const alarms = log.filter((entry) => entry.action === 'integrity.alarm');
    expect(alarms).toHaveLength(3);
    expect(alarms.every((entry) => entry.subject === alexKeyId)).toBe(true);
    const alexSignIns = log.filter(
      (entry) => entry.action === 'review.unlock' && entry.subject === alex.clientId,
    );
    expect(alexSignIns.map((entry) => [entry.outcome, entry.reason])).toEqual([
      ['failed', 'wrapped key damaged'],
      ['failed', 'wrapped key damaged'],
      ['failed', 'wrapped key damaged'],
    ]);
  });

  it('a swapped passphrase-wrapped master key is damage, never a wrong passphrase, and earns no delay', async () => {
    practice.close();
    editVaultFile(practice, (db) => swapWrappedKey(db, 'mk/recovery', 'mk/therapist'));
    const core = await practice.reopen();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const error = await refusal(core, 'session.unlock', { passphrase: PASSPHRASE });
      expect(error.code).toBe('VAULT_DAMAGED');
      expect(error.message).toMatch(/not a wrong passphrase/);
      expect(error).not.toHaveProperty('retryAfterMs');
    }
    expect(await call(core, 'vault.status')).toMatchObject({ unlockRetryAfterMs: 0 });
  });
});
