// Attack: after an anchor finding has held every recording, clear the hold in the vault file (it
// is a plain setting) before the therapist has read the notice, so that what a restored copy may
// have brought back plays again. Before, the hold was gone and everything played. Now the
// keychain anchor pins the hold: the next start holds again and names the edit.
import { afterEach, describe, expect, it } from 'vitest';
import { call, refusal } from '../unit/helpers/practice-helpers';
import {
  editVaultRows,
  integrityAlarms,
  logEntries,
  practiceWithRecording,
  status,
  unlock,
  vaultIdOf,
  type Practice,
} from './attack-helpers';

let practice: Practice | null = null;
afterEach(() => {
  practice?.cleanup();
  practice = null;
});

describe('the anchor hold cleared in the vault file', () => {
  it('is held again at the next start, named as an alarm, until the therapist confirms', async () => {
    practice = await practiceWithRecording();
    const { clientId, recordingId } = practice;
    // The anchor goes missing from the keychain: the next start holds every recording.
    await practice.quit();
    expect(await practice.keychain.remove(vaultIdOf(practice.dataDir))).toBe(true);
    await practice.start();
    expect((await status(practice.core)).integrity).toMatchObject({
      kind: 'anchor-missing',
      held: true,
    });
    await practice.quit();

    // The attacker clears the hold in the file while the app is closed.
    editVaultRows(practice.dataDir, (db) =>
      db.prepare("UPDATE settings SET value = '' WHERE name = 'anchorHold'").run(),
    );

    const core = await practice.start();
    expect((await status(core)).integrity).toMatchObject({ kind: 'anchor-missing', held: true });
    await unlock(core);
    expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('VAULT_HELD');
    expect(
      (await refusal(core, 'recording.start', { clientId, reconfirmedAloud: true })).code,
    ).toBe('VAULT_HELD');
    expect(await integrityAlarms(core)).toContainEqual(
      expect.objectContaining({
        subject: 'settings.anchorHold',
        problem: expect.stringContaining('lifted outside Session Vault') as string,
      }),
    );
    const log = await logEntries(core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'integrity.alarm',
        subject: 'settings.anchorHold',
        outcome: 'failed',
      }),
    );
    expect(log.filter((e) => e.action === 'playback.start' && e.outcome === 'refused')).toEqual([
      expect.objectContaining({ subject: recordingId }),
    ]);
    // Nothing destroyed on the strength of it; the therapist's confirmation lifts it, logged.
    expect(log.some((e) => e.action === 'recording.destroy')).toBe(false);
    await call(core, 'vault.confirmAnchor');
    const playback = await call(core, 'playback.open', { recordingId });
    await call(core, 'playback.close', { playbackId: playback.playbackId, heardMs: 0 });
    expect((await logEntries(core)).at(-3)).toMatchObject({
      action: 'anchor.confirm',
      actorRole: 'therapist',
    });
  });

  it('while the app runs: still held, whatever the file says', async () => {
    practice = await practiceWithRecording();
    const { recordingId } = practice;
    await practice.quit();
    expect(await practice.keychain.remove(vaultIdOf(practice.dataDir))).toBe(true);
    const core = await practice.start();
    await unlock(core);
    editVaultRows(practice.dataDir, (db) =>
      db.prepare("UPDATE settings SET value = '' WHERE name = 'anchorHold'").run(),
    );
    expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('VAULT_HELD');
  });
});
