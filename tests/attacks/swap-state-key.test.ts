// Attack: someone with the folder replaces a signing (state) key, so that records they sign with
// their own key would verify. The public half is derived again from the secret at every unlock and
// compared with the stored one; a replaced or removed key is a tamper alarm, and only that client's.
import { describe, expect, it } from 'vitest';
import type { IntegrityAlarmView } from '../../shared/api';
import { newSigningKeyPair } from '../../electron/core/platform/crypto';
import { call, signedClient } from '../unit/helpers/practice-helpers';
import {
  PASSPHRASE,
  editVaultFile,
  logEntries,
  newPracticeForEachTest,
  type Practice,
} from './helpers';

const practice = newPracticeForEachTest();

async function alarmsOf(practice: Practice): Promise<IntegrityAlarmView[]> {
  return (await call(practice.core, 'vault.integrity')).alarms;
}

describe('a replaced state key', () => {
  it('the vault’s public half swapped for the attacker’s: alarm at unlock, named', async () => {
    practice.close();
    editVaultFile(practice, (db) => {
      db.prepare('UPDATE vault_meta SET state_public_key = ?').run(newSigningKeyPair().publicKey);
    });
    const core = await practice.reopen();
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await alarmsOf(practice)).toEqual([
      expect.objectContaining({
        subject: 'state/mk',
        clientId: null,
        problem: 'the vault’s signing key was replaced outside Session Vault',
      }),
    ]);
    expect((await logEntries(core)).filter((entry) => entry.action === 'integrity.alarm')).toEqual([
      expect.objectContaining({ subject: 'state/mk', outcome: 'failed' }),
    ]);
  });

  it('one client’s key replaced, another’s removed: two alarms, the third client untouched', async () => {
    const alex = await signedClient(practice.core, practice.clock.now(), { name: 'Alex Example' });
    const blair = await signedClient(practice.core, practice.clock.now(), {
      name: 'Blair Example',
    });
    await signedClient(practice.core, practice.clock.now(), { name: 'Casey Example' });
    practice.close();
    editVaultFile(practice, (db) => {
      db.prepare('UPDATE clients SET state_public_key = ? WHERE client_id = ?').run(
        newSigningKeyPair().publicKey,
        alex.clientId,
      );
      db.prepare('DELETE FROM wrapped_keys WHERE key_id = ?').run(`state/client/${blair.clientId}`);
    });
    const core = await practice.reopen();
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const alarms = await alarmsOf(practice);
    expect(alarms).toHaveLength(2);
    expect(alarms).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subject: `state/client/${alex.clientId}`,
          clientName: 'Alex Example',
          problem: 'the client’s signing key was replaced outside Session Vault',
        }),
        expect.objectContaining({
          subject: `state/client/${blair.clientId}`,
          clientName: 'Blair Example',
          problem: 'the client’s signing key was removed outside Session Vault',
        }),
      ]),
    );
    const { clients } = await call(core, 'clients.list');
    expect(clients).toHaveLength(3);
    // A removed key is not silently made again: after a restart the unlock still finds it missing.
    const restarted = await practice.reopen();
    await call(restarted, 'session.unlock', { passphrase: PASSPHRASE });
    expect((await alarmsOf(practice)).map((alarm) => alarm.subject).sort()).toEqual(
      [`state/client/${alex.clientId}`, `state/client/${blair.clientId}`].sort(),
    );
  });
});
