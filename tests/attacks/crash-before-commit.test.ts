// A crash between the two steps of a closing event: the keychain anchor and the vault file. The
// anchor used to be written just after the event's transaction, so a crash in that window (or a
// copy taken in it and restored later) left the event unnamed, and it was undone without a word.
// Now the anchor names the event first: the file at the crash lacks it, the anchor has it, and
// the next start does it before anything can play.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnchorRecord } from '../../electron/core/platform/anchor-record';
import { UNFINISHED_REASON } from '../../electron/core/vault/anchor-keeper';
import { call, refusal } from '../unit/helpers/practice-helpers';
import {
  copyVaultFolder,
  logEntries,
  practiceWithRecording,
  restoreVaultFolder,
  status,
  unlock,
  type Practice,
} from './attack-helpers';

let practice: Practice | null = null;
let atCrash: string | null = null;
afterEach(() => {
  practice?.cleanup();
  if (atCrash) rmSync(atCrash, { recursive: true, force: true });
  practice = atCrash = null;
});

/**
 * Runs `closingEvent` and "crashes" at the first keychain write it makes: the vault folder is kept
 * as it stands then, and the keychain takes no write after it. Then the folder at the crash is
 * put back and the app started again.
 */
async function crashAtFirstAnchorWrite(
  current: Practice,
  closingEvent: () => Promise<unknown>,
): Promise<void> {
  const { keychain, dataDir } = current;
  await current.core.settled();
  const write = keychain.write.bind(keychain);
  let crash: 'armed' | 'crashed' = 'armed';
  keychain.write = async (vaultId: Uint8Array, record: AnchorRecord) => {
    if (crash === 'crashed') return;
    await write(vaultId, record);
    atCrash = copyVaultFolder(dataDir);
    crash = 'crashed';
  };
  await closingEvent();
  await current.quit();
  keychain.write = write;
  restoreVaultFolder(atCrash!, dataDir);
  await current.start();
}

describe('a crash between the anchor and a closing event’s commit', () => {
  it('a revocation: the next start revokes again before anything can play', async () => {
    practice = await practiceWithRecording();
    const { clientId, recordingId } = practice;
    const current = practice;
    await crashAtFirstAnchorWrite(current, () =>
      call(current.core, 'consent.revoke', { clientId }),
    );
    const core = current.core;
    expect((await status(core)).integrity).toMatchObject({ kind: 'rollback', redone: 1 });
    await unlock(core);
    const { clients } = await call(core, 'clients.list');
    expect(clients.find((c) => c.clientId === clientId)?.consent.state).toBe('revoked');
    expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('NOT_ALLOWED');
    const log = await logEntries(core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'consent.revoke',
        subject: clientId,
        actorRole: 'system',
        reason: UNFINISHED_REASON,
      }),
    );
    expect(log).toContainEqual(expect.objectContaining({ action: 'vault.rollback' }));
  });

  it('a destruction on request: the next start destroys it while still locked', async () => {
    practice = await practiceWithRecording();
    const { recordingId } = practice;
    const current = practice;
    await crashAtFirstAnchorWrite(current, () =>
      call(current.core, 'recording.destroy', { recordingId }),
    );
    const core = current.core;
    expect((await status(core)).integrity).toMatchObject({ kind: 'rollback', redone: 1 });
    await unlock(core);
    const log = await logEntries(core);
    const destroyed = log.filter(
      (entry) => entry.action === 'recording.destroy' && entry.subject === recordingId,
    );
    expect(destroyed).toEqual([
      expect.objectContaining({ actorRole: 'system', reason: UNFINISHED_REASON }),
    ]);
    // At start, before anyone unlocked: the key went while the vault was locked.
    const unlockedAt = log.findLastIndex((entry) => entry.action === 'session.unlock');
    expect(log.indexOf(destroyed[0]!)).toBeLessThan(unlockedAt);
    expect(['RECORDING_DESTROYED', 'NOT_ALLOWED']).toContain(
      (await refusal(core, 'playback.open', { recordingId })).code,
    );
  });
});
