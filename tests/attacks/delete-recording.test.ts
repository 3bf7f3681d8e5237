// Attack: delete a recording's rows and its key from the file, so that it is gone without a trace.
// Before the signed state records this passed doctor and the in-app verification. Now the client's
// signed record still lists it: the therapist's unlock names it, vault.integrity shows it, and the
// log records the alarm. The client's other recordings keep playing.
import { describe, expect, it } from 'vitest';
import { call } from '../unit/helpers/practice-helpers';
import { sendSeconds, startCapture, stopCapture } from '../unit/helpers/practice-helpers';
import {
  editVaultRows,
  integrityAlarms,
  logEntries,
  practicesForEachTest,
  unlock,
} from './attack-helpers';

const practices = practicesForEachTest();

function deleteRecording(dataDir: string, recordingId: string): void {
  editVaultRows(dataDir, (db) =>
    db.transaction(() => {
      const { rec_no: recNo } = db
        .prepare('SELECT rec_no FROM recordings WHERE recording_id = ?')
        .get(recordingId) as { rec_no: number };
      for (const table of db
        .prepare(
          "SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' AND p.name = 'rec_no' AND m.name <> 'recordings'",
        )
        .all() as { name: string }[])
        db.prepare(`DELETE FROM ${table.name} WHERE rec_no = ?`).run(recNo);
      db.prepare('DELETE FROM recordings WHERE rec_no = ?').run(recNo);
      db.prepare('DELETE FROM wrapped_keys WHERE key_id = ?').run(`rk/${recordingId}`);
    })(),
  );
}

describe('a recording deleted from the file', () => {
  it('is named by the in-app verification and logged; the other recording still plays', async () => {
    const practice = await practices.start();
    const { clientId, recordingId } = practice;
    const second = await startCapture(practice.core, clientId);
    await sendSeconds(practice.core, second.recordingId, 2);
    await stopCapture(practice.core, second.recordingId);
    await practice.quit();

    deleteRecording(practice.dataDir, recordingId);
    await practice.start();
    await unlock(practice.core);

    expect(await integrityAlarms(practice.core)).toContainEqual(
      expect.objectContaining({
        subject: `recording/${recordingId}`,
        clientId,
        problem: expect.stringContaining('deleted outside Session Vault') as string,
      }),
    );
    const log = await logEntries(practice.core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'integrity.alarm',
        actorRole: 'system',
        subject: `recording/${recordingId}`,
        reason: expect.stringContaining('deleted outside Session Vault') as string,
      }),
    );
    // Damage stays with the deleted recording: the other one plays.
    const playback = await call(practice.core, 'playback.open', {
      recordingId: second.recordingId,
    });
    expect(playback.playbackId).toBeTruthy();

    // Named once: the next unlock does not raise it again as new damage.
    await call(practice.core, 'session.lock');
    await unlock(practice.core);
    const again = await logEntries(practice.core);
    expect(
      again.filter(
        (e) => e.action === 'integrity.alarm' && e.subject === `recording/${recordingId}`,
      ),
    ).toHaveLength(1);
  });

  it('deleted while the app runs: named at the next unlock, and a recording made meanwhile plays', async () => {
    const practice = await practices.start();
    const { clientId, recordingId } = practice;
    deleteRecording(practice.dataDir, recordingId);

    const later = await startCapture(practice.core, clientId);
    await sendSeconds(practice.core, later.recordingId, 2);
    await stopCapture(practice.core, later.recordingId);
    await call(practice.core, 'session.lock');
    await unlock(practice.core);

    expect(await integrityAlarms(practice.core)).toContainEqual(
      expect.objectContaining({
        subject: `recording/${recordingId}`,
        problem: expect.stringContaining('deleted outside Session Vault') as string,
      }),
    );
    const playback = await call(practice.core, 'playback.open', {
      recordingId: later.recordingId,
    });
    expect(playback.playbackId).toBeTruthy();
  });
});
