// Attack: one client's key row in the vault file is damaged (a flipped byte, or a row swapped in).
// Before issue 11 the therapist's whole client list then failed to load.
import { describe, expect, it } from 'vitest';
import { call, signedClient } from '../unit/helpers/practice-helpers';
import { PASSPHRASE, editVaultFile, logEntries, newPracticeForEachTest } from './helpers';

const practice = newPracticeForEachTest();

describe('one damaged client key', () => {
  it('leaves every other client listed, and names the damaged one as a tamper alarm', async () => {
    const alex = await signedClient(practice.core, practice.clock.now(), { name: 'Alex Example' });
    const blair = await signedClient(practice.core, practice.clock.now(), {
      name: 'Blair Example',
    });
    const casey = await signedClient(practice.core, practice.clock.now(), {
      name: 'Casey Example',
    });
    practice.close();

    editVaultFile(practice, (db) => {
      const keyId = `ck/${blair.clientId}/mk`;
      const row = db.prepare('SELECT ciphertext FROM wrapped_keys WHERE key_id = ?').get(keyId) as {
        ciphertext: Buffer;
      };
      row.ciphertext[3] = row.ciphertext[3]! ^ 0x40;
      db.prepare('UPDATE wrapped_keys SET ciphertext = ? WHERE key_id = ?').run(
        row.ciphertext,
        keyId,
      );
    });

    const core = await practice.reopen();
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const { clients } = await call(core, 'clients.list');
    expect(clients.map((client) => client.displayName)).toEqual(['Alex Example', 'Casey Example']);
    // Listing again does not log the same alarm twice.
    await call(core, 'clients.list');

    // The therapist's screen: the damaged client named by id (their name is sealed with the
    // damaged key), the key that did not verify, and why.
    const { alarms } = await call(core, 'vault.integrity');
    expect(alarms).toEqual([
      expect.objectContaining({
        subject: `ck/${blair.clientId}/mk`,
        clientId: blair.clientId,
        clientName: null,
        problem: expect.stringMatching(/changed outside Session Vault/),
      }),
    ]);

    // The other clients keep working: their detail opens.
    for (const client of [alex, casey])
      expect(
        await call(core, 'clients.detail', {
          clientId: client.clientId,
        }),
      ).toMatchObject({ client: { clientId: client.clientId } });

    const log = await logEntries(core);
    const alarmEntries = log.filter((entry) => entry.action === 'integrity.alarm');
    expect(alarmEntries).toEqual([
      expect.objectContaining({
        subject: `ck/${blair.clientId}/mk`,
        outcome: 'failed',
        reason: expect.stringMatching(/wrapped key damaged/),
      }),
    ]);
  });
});
