// Attack: set a recording's destroy_after to 2099 in the file, to keep its audio past retention.
// Before the signed state records the sweeper believed the clear column and the library showed the
// false date. Now the sweeper destroys by the signed deadline and the edit is a named alarm.
import { describe, expect, it } from 'vitest';
import { call, refusal } from '../unit/helpers/practice-helpers';
import {
  DAY_MS,
  editVaultRows,
  integrityAlarms,
  logEntries,
  practicesForEachTest,
  recordingAsShown,
  runFor,
  shownDeadline,
  unlock,
} from './attack-helpers';

const practices = practicesForEachTest();

describe('destroy_after edited to 2099', () => {
  it('is destroyed at its real date all the same, and the edit is named and logged', async () => {
    const practice = await practices.start();
    const { clientId, recordingId } = practice;
    const realDeadline = await shownDeadline(practice);
    await call(practice.core, 'session.lock');

    editVaultRows(practice.dataDir, (db) =>
      db
        .prepare('UPDATE recordings SET destroy_after = ? WHERE recording_id = ?')
        .run(Date.UTC(2099, 0, 1), recordingId),
    );
    // The retention the client signed runs out while the vault sits locked.
    runFor(practice, realDeadline - practice.clock.now() + DAY_MS);

    await unlock(practice.core);
    const shown = await recordingAsShown(practice.core, clientId, recordingId);
    expect(shown?.state).toBe('destroyed');
    expect((await refusal(practice.core, 'playback.open', { recordingId })).code).toMatch(
      /RECORDING_DESTROYED|NOT_ALLOWED/,
    );

    const alarms = await integrityAlarms(practice.core);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        subject: `recording/${recordingId}`,
        clientId,
        problem: expect.stringContaining('destruction date') as string,
      }),
    );
    const log = await logEntries(practice.core);
    const alarm = log.findIndex(
      (e) => e.action === 'integrity.alarm' && e.subject === `recording/${recordingId}`,
    );
    const destroyed = log.findIndex(
      (e) => e.action === 'recording.destroy' && e.subject === recordingId,
    );
    expect(alarm).toBeGreaterThan(-1);
    expect(destroyed).toBeGreaterThan(alarm);
    expect(log[destroyed]).toMatchObject({
      actorRole: 'system',
      reason: expect.stringContaining('the terms keep recordings only so long') as string,
    });
    // Logged once, however many sweeps looked at it.
    expect(
      log.filter(
        (e) =>
          e.action === 'integrity.alarm' &&
          e.subject === `recording/${recordingId}` &&
          e.reason === log[alarm]!.reason,
      ),
    ).toHaveLength(1);
  });
});
