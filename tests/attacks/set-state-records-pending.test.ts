// Attack: set vault_meta.state_records_pending back to 1 (as migration 110 leaves a vault from
// before signed records) and edit rows before the next unlock, which would then sign the rows as
// they stand. Here: the client revoked, and the attacker clears the revocation and removes the
// client's signed records, so that the next unlock signs the consent as active and recording
// starts again. Now the keychain anchor knows this vault's records are complete: the flag is an
// alarm, nothing is signed as it stands, and the consent stays held.
import { afterEach, describe, expect, it } from 'vitest';
import { call, refusal } from '../unit/helpers/practice-helpers';
import {
  editVaultRows,
  integrityAlarms,
  logEntries,
  practiceWithRecording,
  unlock,
  type Practice,
} from './attack-helpers';

let practice: Practice | null = null;
afterEach(() => {
  practice?.cleanup();
  practice = null;
});

describe('state_records_pending set back to 1', () => {
  it('signs nothing as it stands: the edited consent stays held, and the flag is named', async () => {
    practice = await practiceWithRecording();
    const { clientId } = practice;
    await call(practice.core, 'consent.revoke', { clientId });
    await practice.quit();

    editVaultRows(practice.dataDir, (db) => {
      db.prepare(
        'UPDATE consent_events SET revoked_at = NULL, revoked_by_role = NULL, revoked_by_id = NULL',
      ).run();
      db.prepare('DELETE FROM state_seals').run();
      db.prepare('UPDATE vault_meta SET state_records_pending = 1').run();
    });

    const core = await practice.start();
    await unlock(core);
    const refused = await refusal(core, 'recording.start', { clientId, reconfirmedAloud: true });
    expect(refused.code).toBe('CONSENT_HELD');
    const alarms = await integrityAlarms(core);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        subject: 'vault_meta.state_records_pending',
        clientId: null,
        problem: expect.stringContaining('nothing is signed as it stands') as string,
      }),
    );
    expect(alarms).toContainEqual(expect.objectContaining({ subject: `consent/${clientId}` }));
    const log = await logEntries(core);
    const flagged = log.findIndex(
      (e) => e.action === 'integrity.alarm' && e.subject === 'vault_meta.state_records_pending',
    );
    const unlocked = log.findLastIndex((e) => e.action === 'session.unlock');
    // Named at start, before anyone unlocked (and so before anything could be signed).
    expect(flagged).toBeGreaterThan(-1);
    expect(flagged).toBeLessThan(unlocked);
    expect(log.at(-1)).toMatchObject({
      action: 'recording.start',
      subject: clientId,
      outcome: 'refused',
    });
    // Still held after another start: the unlock signed nothing.
    await practice.quit();
    const again = await practice.start();
    await unlock(again);
    expect(
      (await refusal(again, 'recording.start', { clientId, reconfirmedAloud: true })).code,
    ).toBe('CONSENT_HELD');
  });
});
