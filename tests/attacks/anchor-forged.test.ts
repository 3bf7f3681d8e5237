// Attack: delete the rollback anchor from the keychain, or write bytes of one's own in its place,
// so that an older copy put back afterwards is not caught. Before, the finding was logged and
// shown but every recording still played. Now everything is held until the therapist confirms.
import { describe, expect, it } from 'vitest';
import { integrityHoldSentence, integrityNoticeSentences } from '../../shared/errors';
import { call, refusal } from '../unit/helpers/practice-helpers';
import {
  logEntries,
  practicesForEachTest,
  status,
  unlock,
  vaultIdOf,
  type Practice,
} from './attack-helpers';

const practices = practicesForEachTest();

async function expectHeldUntilConfirmed(practice: Practice, alarmReason: RegExp): Promise<void> {
  const { clientId, recordingId } = practice;
  let core = await practice.start();
  const seen = await status(core);
  expect(seen.integrity).toMatchObject({ kind: 'anchor-missing', held: true });
  expect(seen.integrity!.message).toBe(
    `${integrityNoticeSentences['anchor-missing']} ${integrityHoldSentence}`,
  );

  await unlock(core);
  expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('VAULT_HELD');
  expect((await refusal(core, 'recording.start', { clientId, reconfirmedAloud: true })).code).toBe(
    'VAULT_HELD',
  );

  // A new anchor is written at once, yet the next start still holds: the hold is in the vault.
  await practice.quit();
  core = await practice.start();
  expect((await status(core)).integrity).toMatchObject({ kind: 'anchor-missing', held: true });
  await unlock(core);
  expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('VAULT_HELD');

  await call(core, 'vault.confirmAnchor');
  const playback = await call(core, 'playback.open', { recordingId });
  await call(core, 'playback.close', { playbackId: playback.playbackId, heardMs: 0 });

  const log = await logEntries(core);
  const alarm = log.findIndex((e) => e.action === 'integrity.alarm' && e.subject === 'anchor');
  const confirm = log.findIndex((e) => e.action === 'anchor.confirm');
  expect(log[alarm]!.reason).toMatch(alarmReason);
  expect(log[confirm]).toMatchObject({ actorRole: 'therapist', outcome: 'ok' });
  expect(confirm).toBeGreaterThan(alarm);
  expect(
    log.filter((e) => e.action === 'playback.start' && e.outcome === 'refused').length,
  ).toBeGreaterThanOrEqual(2);
  // Nothing destroyed on the strength of it.
  expect(log.some((e) => e.action === 'recording.destroy')).toBe(false);
}

describe('the rollback anchor deleted or forged', () => {
  it('deleted from the keychain: every recording held until the therapist confirms', async () => {
    const practice = await practices.start();
    await practice.quit();
    expect(await practice.keychain.remove(vaultIdOf(practice.dataDir))).toBe(true);
    await expectHeldUntilConfirmed(practice, /missing/);
  });

  it('forged (its bytes changed): every recording held until the therapist confirms', async () => {
    const practice = await practices.start();
    await practice.quit();
    const vaultId = vaultIdOf(practice.dataDir);
    const bytes = practice.keychain.rawBytes(vaultId)!;
    bytes[30]! ^= 0x01;
    practice.keychain.putRawBytes(vaultId, bytes);
    await expectHeldUntilConfirmed(practice, /not genuine/);
  });
});
