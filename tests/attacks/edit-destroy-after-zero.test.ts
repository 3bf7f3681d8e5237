// Attack: set a recording's destroy_after to 0 (and its cause to revocation) while the vault is
// locked, to have the sweeper destroy it. Before the signed state records it was destroyed while
// locked, and the log said "consent was revoked" while the consent read active. Now nothing is
// destroyed, the consent stays active, and the edit is a named alarm.
import { describe, expect, it } from 'vitest';
import { call } from '../unit/helpers/practice-helpers';
import {
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

describe('destroy_after edited to 0 while locked', () => {
  it('is not destroyed; consent stays active; the alarm names the recording', async () => {
    const practice = await practices.start();
    const { clientId, recordingId } = practice;
    const realDeadline = await shownDeadline(practice);
    await practice.quit();

    editVaultRows(practice.dataDir, (db) =>
      db
        .prepare(
          "UPDATE recordings SET destroy_after = 0, destroy_cause = 'revocation' WHERE recording_id = ?",
        )
        .run(recordingId),
    );
    // Start (the sweeper runs at once, locked), then an hour of sweeps.
    await practice.start();
    runFor(practice, 60 * 60 * 1000);

    await unlock(practice.core);
    const shown = await recordingAsShown(practice.core, clientId, recordingId);
    expect(shown?.state).toBe('finalised');
    // Put back from its signed record at the therapist's unlock.
    expect(shown?.destroyAfter).toBe(realDeadline);
    const playback = await call(practice.core, 'playback.open', {
      recordingId,
    });
    expect(playback.playbackId).toBeTruthy();
    const { clients } = await call(practice.core, 'clients.list');
    expect(clients.find((c) => c.clientId === clientId)?.consent.state).toBe('active');

    expect(await integrityAlarms(practice.core)).toContainEqual(
      expect.objectContaining({ subject: `recording/${recordingId}`, clientId }),
    );
    const log = await logEntries(practice.core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'integrity.alarm',
        subject: `recording/${recordingId}`,
        actorRole: 'system',
        reason: expect.stringContaining('destruction date') as string,
      }),
    );
    expect(log.filter((e) => e.action === 'recording.destroy')).toEqual([]);
    expect(log.filter((e) => e.reason?.includes('consent was revoked'))).toEqual([]);
  });
});
