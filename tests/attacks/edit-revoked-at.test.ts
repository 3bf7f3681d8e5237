// Attack: clear consent_events.revoked_at after the client revoked, to bring the consent back.
// Before the signed state records the consent read active again and recording started. Now
// recording is refused, the edit is a named alarm, and the signed revocation is put back.
import { describe, expect, it } from 'vitest';
import { call, refusal } from '../unit/helpers/practice-helpers';
import {
  editVaultRows,
  integrityAlarms,
  logEntries,
  practicesForEachTest,
  unlock,
} from './attack-helpers';

const practices = practicesForEachTest();

function clearRevocation(dataDir: string): void {
  editVaultRows(dataDir, (db) =>
    db
      .prepare(
        'UPDATE consent_events SET revoked_at = NULL, revoked_by_role = NULL, revoked_by_id = NULL',
      )
      .run(),
  );
}

describe('consent_events.revoked_at cleared', () => {
  it('while the app runs: recording is still refused, and the alarm names the consent', async () => {
    const practice = await practices.start();
    const { clientId } = practice;
    await call(practice.core, 'consent.revoke', { clientId });
    clearRevocation(practice.dataDir);

    const refused = await refusal(practice.core, 'recording.start', {
      clientId,
      reconfirmedAloud: true,
    });
    expect(refused.code).toBe('CONSENT_HELD');
    expect(await integrityAlarms(practice.core)).toContainEqual(
      expect.objectContaining({
        subject: `consent/${clientId}`,
        clientId,
        problem: expect.stringContaining('revocation') as string,
      }),
    );
    const log = await logEntries(practice.core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'integrity.alarm',
        subject: `consent/${clientId}`,
        reason: expect.stringContaining('revocation') as string,
      }),
    );
    expect(log.at(-1)).toMatchObject({
      action: 'recording.start',
      subject: clientId,
      outcome: 'refused',
    });
    expect(log.filter((e) => e.action === 'recording.start' && e.outcome === 'ok')).toHaveLength(1);
  });

  it('while the app is closed: the revocation is put back at unlock and recording is refused', async () => {
    const practice = await practices.start();
    const { clientId } = practice;
    await call(practice.core, 'consent.revoke', { clientId });
    await practice.quit();
    clearRevocation(practice.dataDir);

    await practice.start();
    await unlock(practice.core);
    const { clients } = await call(practice.core, 'clients.list');
    expect(clients.find((c) => c.clientId === clientId)?.consent.state).toBe('revoked');
    expect(
      (await refusal(practice.core, 'recording.start', { clientId, reconfirmedAloud: true })).code,
    ).toBe('NOT_ALLOWED');
    const log = await logEntries(practice.core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'integrity.alarm',
        subject: `consent/${clientId}`,
        reason: expect.stringContaining('revocation') as string,
      }),
    );
    expect(log.filter((e) => e.action === 'recording.start' && e.outcome === 'ok')).toHaveLength(1);
  });
});
