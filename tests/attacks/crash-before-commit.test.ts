// A crash between the two steps of a closing event: the keychain anchor and the vault file. The
// anchor used to be written just after the event's transaction, so a crash in that window (or a
// restore of a copy from just before it) left the revocation unnamed, and it was undone without
// a word. Now the anchor names the event first: the file at the crash lacks it, the anchor has
// it, and the next start redoes it before anything can play.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnchorRecord } from '../../electron/core/platform/anchor-record';
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

describe('a crash between the anchor and the revocation’s commit', () => {
  it('leaves the anchor ahead: the next start revokes again before anything can play', async () => {
    practice = await practiceWithRecording();
    const { clientId, recordingId, keychain, dataDir } = practice;
    await practice.core.settled();

    // The first keychain write after the revocation starts is where the process dies: the vault
    // folder is kept as it stands then, and the keychain takes no write after it.
    const write = keychain.write.bind(keychain);
    let crash: 'armed' | 'crashed' | null = null;
    keychain.write = async (vaultId: Uint8Array, record: AnchorRecord) => {
      if (crash === 'crashed') return;
      await write(vaultId, record);
      if (crash === 'armed') {
        atCrash = copyVaultFolder(dataDir);
        crash = 'crashed';
      }
    };
    crash = 'armed';
    await call(practice.core, 'consent.revoke', { clientId });
    await practice.quit();
    keychain.write = write;

    restoreVaultFolder(atCrash!, dataDir);
    const core = await practice.start();
    expect((await status(core)).integrity).toMatchObject({ kind: 'rollback', redone: 1 });
    await unlock(core);
    const { clients } = await call<{
      clients: { clientId: string; consent: { state: string } }[];
    }>(core, 'clients.list');
    expect(clients.find((c) => c.clientId === clientId)?.consent.state).toBe('revoked');
    expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('NOT_ALLOWED');
    const log = await logEntries(core);
    expect(log).toContainEqual(
      expect.objectContaining({
        action: 'consent.revoke',
        subject: clientId,
        actorRole: 'system',
        reason: 'revoked before; this copy is older (rollback)',
      }),
    );
  });
});
