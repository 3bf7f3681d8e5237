// Attack: a recording past its retention still sits in the file; move its started_at and its
// destroy_after forward so the terms seem to allow it again. Before the signed state records it
// played. Now the sweeper destroys it by its signed deadline, it never plays, and the edit is named.
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

describe('started_at and destroy_after moved forward', () => {
  it('does not make a recording past retention play', async () => {
    const practice = await practices.start();
    const { clientId, recordingId } = practice;
    const realDeadline = await shownDeadline(practice);
    const { core } = practice;
    await call(core, 'session.lock');

    // The attacker edits just before the real deadline, to a recording "made yesterday".
    runFor(practice, realDeadline - practice.clock.now() - DAY_MS);
    const now = practice.clock.now();
    editVaultRows(practice.dataDir, (db) =>
      db
        .prepare('UPDATE recordings SET started_at = ?, destroy_after = ? WHERE recording_id = ?')
        .run(now - DAY_MS, now + 29 * DAY_MS, recordingId),
    );
    runFor(practice, 2 * DAY_MS);

    await unlock(core);
    expect((await refusal(core, 'playback.open', { recordingId })).code).toMatch(
      /RECORDING_DESTROYED|RECORDING_HELD|NOT_ALLOWED/,
    );
    expect((await recordingAsShown(core, clientId, recordingId))?.state).toBe('destroyed');

    expect(await integrityAlarms(core)).toContainEqual(
      expect.objectContaining({
        subject: `recording/${recordingId}`,
        problem: expect.stringContaining('start time') as string,
      }),
    );
    const log = await logEntries(core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'integrity.alarm',
        subject: `recording/${recordingId}`,
        reason: expect.stringContaining('start time') as string,
      }),
    );
    expect(log.filter((e) => e.action === 'playback.start' && e.outcome === 'ok')).toEqual([]);
    expect(log).toContainEqual(
      expect.objectContaining({ action: 'recording.destroy', subject: recordingId }),
    );
  });

  it('is held, never played, when edited while the therapist is signed in', async () => {
    const practice = await practices.start();
    const { clientId, recordingId } = practice;
    const { core } = practice;
    const now = practice.clock.now();
    editVaultRows(practice.dataDir, (db) =>
      db
        .prepare('UPDATE recordings SET started_at = ?, destroy_after = ? WHERE recording_id = ?')
        .run(now + DAY_MS, now + 400 * DAY_MS, recordingId),
    );
    const refused = await refusal(core, 'playback.open', { recordingId });
    expect(refused.code).toBe('RECORDING_HELD');
    const shown = await recordingAsShown(core, clientId, recordingId);
    expect(shown?.held).toEqual(expect.stringContaining('start time'));
    expect(shown?.play.allow).toBe(false);
    const log = await logEntries(core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'playback.start',
        subject: recordingId,
        outcome: 'refused',
        reason: expect.stringContaining('held') as string,
      }),
    );
  });
});
