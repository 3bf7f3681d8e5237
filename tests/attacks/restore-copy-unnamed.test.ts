// Attack: copy the vault folder, then let the client revoke with more recordings destroyed than
// the anchor names one by one (it keeps the latest 128 closing events), and put the copy back.
// Before, the recordings it could not name were logged but stayed playable, and the revocation it
// could not name read active again. Now every recording is held until the therapist confirms.
import { until } from '../e2e/helpers';
import { describe, expect, it } from 'vitest';
import { errorSentences, integrityHoldSentence } from '../../shared/errors';
import { RECENT_CLOSED_MAX } from '../../electron/core/platform/anchor-record';
import { call, refusal } from '../unit/helpers/practice-helpers';
import {
  copyVaultFolder,
  logEntries,
  practicesForEachTest,
  recordOneSecond,
  restoreVaultFolder,
  status,
  unlock,
  type Practice,
} from './attack-helpers';

const practices = practicesForEachTest();

async function recordingStateOf(practice: Practice, recordingId: string): Promise<string> {
  const detail = await call(practice.core, 'clients.detail', { clientId: practice.clientId });
  return detail.recordings.find((r) => r.recordingId === recordingId)!.state;
}

describe('restore a copy after more destructions than the anchor names', () => {
  it('holds every recording: nothing plays or records until the therapist confirms, and nothing is destroyed for it', async () => {
    const practice = await practices.start();
    const { clientId } = practice;
    // One more recording than the anchor names: with the revocation, two events go unnamed.
    const recordings = [practice.recordingId];
    while (recordings.length < RECENT_CLOSED_MAX + 1)
      recordings.push(await recordOneSecond(practice.core, clientId));
    await practice.quit();
    const copy = practices.removeAfter(copyVaultFolder(practice.dataDir));

    let core = await practice.start();
    await unlock(core);
    expect(await call(core, 'consent.revoke', { clientId })).toEqual({
      destroyed: RECENT_CLOSED_MAX + 1,
    });
    // Keys go in small batches, one per turn of main: let every batch (and its anchor) land.
    await until('every key destroyed', async () => {
      const detail = await call(core, 'clients.detail', { clientId });
      return detail.recordings.every((r) => r.state === 'destroyed');
    });
    await practice.quit();

    restoreVaultFolder(copy, practice.dataDir);
    core = await practice.start();
    const seen = await status(core);
    expect(seen.integrity).toMatchObject({
      kind: 'rollback',
      redone: RECENT_CLOSED_MAX,
      unnamed: 2,
      held: true,
    });
    expect(seen.integrity!.message).toContain(integrityHoldSentence);
    expect((await refusal(core, 'vault.confirmAnchor')).code).toBe('VAULT_LOCKED');

    await unlock(core);
    const [unnamed, named] = recordings;
    expect(await recordingStateOf(practice, named!)).toBe('destroyed');
    // Held, not destroyed: the anchor cannot say it was destroyed.
    expect(await recordingStateOf(practice, unnamed!)).toBe('finalised');
    const refused = await refusal(core, 'playback.open', { recordingId: unnamed });
    expect(refused).toMatchObject({
      code: 'VAULT_HELD',
      message: errorSentences.VAULT_HELD,
    });
    expect(
      (await refusal(core, 'recording.start', { clientId, reconfirmedAloud: true })).code,
    ).toBe('VAULT_HELD');

    // A restart does not lift it.
    await practice.quit();
    core = await practice.start();
    expect((await status(core)).integrity).toMatchObject({ held: true });
    await unlock(core);
    expect((await refusal(core, 'playback.open', { recordingId: unnamed })).code).toBe(
      'VAULT_HELD',
    );

    // This run found the vault current, so once the hold is lifted nothing is left to show.
    expect(await call(core, 'vault.confirmAnchor')).toBeNull();
    expect((await status(core)).integrity).toBeNull();
    const playback = await call(core, 'playback.open', { recordingId: unnamed! });
    await call(core, 'playback.close', { playbackId: playback.playbackId, heardMs: 0 });

    const log = await logEntries(core);
    const rollback = log.find((e) => e.action === 'vault.rollback')!;
    expect(rollback.reason).toContain('2 of them cannot be named');
    expect(rollback.reason).toContain('every recording held until the therapist confirms');
    const heldPlay = log.findIndex(
      (e) => e.action === 'playback.start' && e.outcome === 'refused' && e.subject === unnamed,
    );
    const confirm = log.findIndex((e) => e.action === 'anchor.confirm');
    expect(heldPlay).toBeGreaterThan(-1);
    expect(log[heldPlay]!.reason).toContain('held until the therapist confirms');
    expect(log[confirm]).toMatchObject({ actorRole: 'therapist', outcome: 'ok' });
    expect(confirm).toBeGreaterThan(heldPlay);
    expect(log.some((e) => e.action === 'recording.destroy' && e.subject === unnamed)).toBe(false);
  }, 180_000);
});
