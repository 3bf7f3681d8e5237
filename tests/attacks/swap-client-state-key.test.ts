// Attack: someone with the folder writes their own key as one client's state public key and signs
// that client's records again with it, moving a deadline: to 0, so the sweeper destroys while the
// vault is locked, or to 2099, so it is kept. Before the vault record this verified until the next
// therapist unlock. Now a client's records verify only with the key the vault record (signed by
// the vault state key, pinned in the anchor) lists: the client is held and named at once, while
// the other client keeps working.
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { newSigningKeyPair } from '../../electron/core/platform/crypto';
import { signState } from '../../electron/core/platform/state-record';
import { recordFromJson, recordToJson } from '../../electron/core/vault/state-record-json';
import { call, refusal, signedClient } from '../unit/helpers/practice-helpers';
import {
  DAY_MS,
  editVaultRows,
  integrityAlarms,
  logEntries,
  practiceWithRecording,
  recordOneSecond,
  unlock,
  vaultIdOf,
  type Practice,
} from './attack-helpers';

let practice: Practice | null = null;
afterEach(() => {
  practice?.cleanup();
  practice = null;
});

const KEY_REPLACED = 'the client’s signing key was replaced outside Session Vault';

/** The forger's key in the client's row, and every seal of that client signed again with it. */
function swapClientKey(
  db: Database.Database,
  vaultId: Uint8Array,
  clientId: string,
  destroyAfter: number,
): void {
  const forger = newSigningKeyPair();
  db.transaction(() => {
    db.prepare('UPDATE clients SET state_public_key = ? WHERE client_id = ?').run(
      forger.publicKey,
      clientId,
    );
    db.prepare('UPDATE recordings SET destroy_after = ? WHERE client_id = ?').run(
      destroyAfter,
      clientId,
    );
    const seals = db
      .prepare(
        `SELECT subject, record FROM state_seals WHERE record IS NOT NULL AND (subject = ? OR subject = ?
           OR subject IN (SELECT 'recording/' || recording_id FROM recordings WHERE client_id = ?))`,
      )
      .all(`client/${clientId}`, `consent/${clientId}`, clientId) as {
      subject: string;
      record: string;
    }[];
    expect(seals.length).toBeGreaterThanOrEqual(3);
    for (const seal of seals) {
      const record = recordFromJson(seal.record)!;
      const forged = record.kind === 'recording' ? { ...record, destroyAfter } : record;
      db.prepare('UPDATE state_seals SET signature = ?, record = ? WHERE subject = ?').run(
        signState(forger.secretKey, vaultId, forged),
        recordToJson(forged),
        seal.subject,
      );
    }
  })();
}

async function withSecondClient(
  practice: Practice,
): Promise<{ clientId: string; recordingId: string }> {
  const second = await signedClient(practice.core, practice.clock.now(), {
    name: 'Blair Example',
  });
  return {
    clientId: second.clientId,
    recordingId: await recordOneSecond(practice.core, second.clientId),
  };
}

describe('one client’s state key replaced and their records signed again with it', () => {
  it('while the app is closed, deadline 0: the locked sweeper holds it and names the client at once', async () => {
    practice = await practiceWithRecording();
    const { clientId, recordingId, dataDir } = practice;
    const other = await withSecondClient(practice);
    await practice.quit();

    editVaultRows(dataDir, (db) => swapClientKey(db, vaultIdOf(dataDir), clientId, 0));
    const core = await practice.start(); // locked: the start-up sweep runs

    // Nothing was destroyed by the forged deadline, before anyone unlocked.
    const state = editVaultRows(
      dataDir,
      (db) =>
        db.prepare('SELECT state FROM recordings WHERE recording_id = ?').get(recordingId) as {
          state: string;
        },
    );
    expect(state.state).toBe('finalised');

    await unlock(core);
    const log = await logEntries(core);
    const unlockedAt = log.findLastIndex((entry) => entry.action === 'session.unlock');
    const alarmAt = log.findIndex(
      (entry) =>
        entry.action === 'integrity.alarm' &&
        entry.subject === `state/client/${clientId}` &&
        entry.reason === KEY_REPLACED,
    );
    // Named by the locked start-up sweep, before the unlock's own key check could.
    expect(alarmAt).toBeGreaterThan(-1);
    expect(alarmAt).toBeLessThan(unlockedAt);
    expect(log).not.toContainEqual(
      expect.objectContaining({ action: 'recording.destroy', subject: recordingId }),
    );
    expect(await integrityAlarms(core)).toContainEqual(
      expect.objectContaining({ subject: `state/client/${clientId}`, clientId }),
    );

    expect(await refusal(core, 'playback.open', { recordingId })).toMatchObject({
      code: 'RECORDING_HELD',
    });
    // Damage stays with that client: the other one plays.
    const playback = await call(core, 'playback.open', { recordingId: other.recordingId });
    expect(playback.playbackId).toBeTruthy();
  });

  it('with vault_record_pending set back to 1 as well: the anchor knows the record was signed, so it still decides', async () => {
    practice = await practiceWithRecording();
    const { clientId, recordingId, dataDir } = practice;
    await practice.quit();

    editVaultRows(dataDir, (db) => {
      swapClientKey(db, vaultIdOf(dataDir), clientId, 0);
      // As migration 130 leaves a vault from before the vault record: each client's own key
      // would decide until the next unlock.
      db.prepare('UPDATE vault_meta SET vault_record_pending = 1').run();
    });
    const core = await practice.start(); // locked: the start-up sweep runs

    const state = editVaultRows(dataDir, (db) => {
      const row = db
        .prepare('SELECT state FROM recordings WHERE recording_id = ?')
        .get(recordingId);
      const flag = db.prepare('SELECT vault_record_pending AS pending FROM vault_meta').get();
      return { ...(row as { state: string }), ...(flag as { pending: number }) };
    });
    expect(state).toEqual({ state: 'finalised', pending: 0 });

    await unlock(core);
    const log = await logEntries(core);
    const unlockedAt = log.findLastIndex((entry) => entry.action === 'session.unlock');
    const flagAt = log.findIndex(
      (entry) =>
        entry.action === 'integrity.alarm' && entry.subject === 'vault_meta.vault_record_pending',
    );
    const keyAt = log.findIndex(
      (entry) => entry.action === 'integrity.alarm' && entry.subject === `state/client/${clientId}`,
    );
    expect(flagAt).toBeGreaterThan(-1);
    expect(flagAt).toBeLessThan(unlockedAt);
    expect(keyAt).toBeGreaterThan(-1);
    expect(keyAt).toBeLessThan(unlockedAt);
    expect(log).not.toContainEqual(
      expect.objectContaining({ action: 'recording.destroy', subject: recordingId }),
    );
    expect(await refusal(core, 'playback.open', { recordingId })).toMatchObject({
      code: 'RECORDING_HELD',
    });
  });

  it('while the app runs, deadline 2099: play and record are refused at once, the other client plays', async () => {
    practice = await practiceWithRecording();
    const { clientId, recordingId, dataDir } = practice;
    const other = await withSecondClient(practice);

    editVaultRows(dataDir, (db) =>
      swapClientKey(db, vaultIdOf(dataDir), clientId, practice!.clock.now() + 3650 * DAY_MS),
    );

    expect(await refusal(practice.core, 'playback.open', { recordingId })).toMatchObject({
      code: 'RECORDING_HELD',
    });
    expect(
      await refusal(practice.core, 'recording.start', { clientId, reconfirmedAloud: true }),
    ).toMatchObject({ code: 'CONSENT_HELD' });
    expect(await integrityAlarms(practice.core)).toContainEqual(
      expect.objectContaining({
        subject: `state/client/${clientId}`,
        clientId,
        problem: KEY_REPLACED,
      }),
    );
    const playback = await call(practice.core, 'playback.open', {
      recordingId: other.recordingId,
    });
    expect(playback.playbackId).toBeTruthy();
  });
});
