// Attack: swap a client's PIN-wrapped key and rewrite vault_meta.device_check, so that this laptop
// looks like another computer: the tags then went unchecked, the swapped row read as a wrong PIN
// again, and the therapist's next unlock re-tagged it as genuine. Now rows that still carry this
// laptop's tags give the lie away: the check is put back, the swap is damage, and it is logged.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, refusal, signedClient } from '../unit/helpers/practice-helpers';
import {
  PASSPHRASE,
  editVaultFile,
  logEntries,
  newPracticeForEachTest,
  swapWrappedKey,
} from './helpers';

const practice = newPracticeForEachTest();

describe('vault_meta.device_check rewritten, with a swapped PIN-wrapped key', () => {
  it('is caught at open: the swap reads as damage, counts no try, survives an unlock, and is logged', async () => {
    const alex = await signedClient(practice.core, practice.clock.now(), { pin: '482915' });
    const blair = await signedClient(practice.core, practice.clock.now(), {
      name: 'Blair Example',
      pin: '731904',
    });
    practice.close();

    const alexKeyId = `ck/${alex.clientId}/credential`;
    editVaultFile(practice, (db) => {
      swapWrappedKey(db, `ck/${blair.clientId}/credential`, alexKeyId);
      db.prepare('UPDATE vault_meta SET device_check = ? WHERE singleton = 1').run(randomBytes(32));
    });

    const core = await practice.reopen();
    // The therapist's unlock no longer re-tags the swapped row as this laptop's.
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await call(core, 'review.start', { clientId: alex.clientId, maxMinutes: 30 });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const error = await refusal(core, 'review.unlock', { pin: '482915' });
      expect(error.code).toBe('KEY_DAMAGED');
      expect(error.message).toMatch(/not a wrong PIN/);
    }
    expect(await call(core, 'vault.status')).toMatchObject({
      pendingReview: { locked: false, failures: 0 },
    });

    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await logEntries(core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'integrity.alarm',
        subject: 'vault_meta.device_check',
        actorRole: 'system',
        reason: expect.stringContaining('look like another computer'),
      }),
    );
    expect(
      log.filter((entry) => entry.action === 'integrity.alarm' && entry.subject === alexKeyId),
    ).toHaveLength(3);
  });

  it('a copy really moved from another computer is not called tampered', async () => {
    await signedClient(practice.core, practice.clock.now(), { pin: '482915' });
    practice.close();
    // Every row tagged elsewhere: what a copy moved here looks like.
    editVaultFile(practice, (db) => {
      db.prepare('UPDATE wrapped_keys SET integrity = randomblob(32)').run();
      db.prepare('UPDATE vault_meta SET device_check = ? WHERE singleton = 1').run(randomBytes(32));
    });
    const core = await practice.reopen();
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await logEntries(core);
    expect(log.filter((entry) => entry.action === 'integrity.alarm')).toEqual([]);
  });
});
