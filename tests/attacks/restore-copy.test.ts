// Attack: copy the vault folder, let the client revoke (the recording is destroyed), put the copy
// back. Before issue 11 the recording played again and nothing noticed.
import { describe, expect, it } from 'vitest';
import { integrityNoticeSentences } from '../../shared/errors';
import { call, refusal } from '../unit/helpers/practice-helpers';
import {
  copyVaultFolder,
  expectDestroyedAgain,
  logEntries,
  practicesForEachTest,
  restoreVaultFolder,
  status,
  unlock,
} from './attack-helpers';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

const practices = practicesForEachTest();

describe('restore a copy of the vault folder after a revocation', () => {
  it('is named a rollback, logged, and the revocation and destruction are redone before anything plays', async () => {
    const practice = await practices.start();
    const { clientId, recordingId } = practice;
    await practice.quit();
    const copy = practices.removeAfter(copyVaultFolder(practice.dataDir));

    let core = await practice.start();
    await unlock(core);
    expect(await call(core, 'consent.revoke', { clientId })).toEqual({ destroyed: 1 });
    await practice.quit();

    restoreVaultFolder(copy, practice.dataDir);
    core = await practice.start();

    const seen = await status(core);
    expect(seen.integrity).toMatchObject({
      kind: 'rollback',
      redone: 2,
      message: integrityNoticeSentences.rollback,
    });
    expect(seen.integrity!.missingEntries).toBeGreaterThan(0);

    const log = await expectDestroyedAgain(core, practice);
    const { clients } = await call(core, 'clients.list');
    expect(clients.find((c) => c.clientId === clientId)?.consent.state).toBe('revoked');
    expect(
      (await refusal(core, 'recording.start', { clientId, reconfirmedAloud: true })).code,
    ).toBe('NOT_ALLOWED');

    const rollback = log.findIndex((e) => e.action === 'vault.rollback');
    expect(rollback).toBeGreaterThan(-1);
    const after = log.slice(rollback);
    expect(after).toContainEqual(
      expect.objectContaining({
        action: 'consent.revoke',
        subject: clientId,
        actorRole: 'system',
        reason: 'revoked before; this copy is older (rollback)',
      }),
    );
    expect(after).toContainEqual(
      expect.objectContaining({
        action: 'recording.destroy',
        subject: recordingId,
        reason: 'destroyed before; this copy is older (rollback)',
      }),
    );
    // Logged before the therapist could ask for anything: the redo precedes this run's unlock.
    expect(after.findIndex((e) => e.action === 'session.unlock')).toBeGreaterThan(
      after.findIndex((e) => e.action === 'recording.destroy'),
    );
  });

  it('is caught once only: the next start finds the vault current again', async () => {
    const practice = await practices.start();
    const { clientId } = practice;
    await practice.quit();
    const copy = practices.removeAfter(copyVaultFolder(practice.dataDir));
    let core = await practice.start();
    await unlock(core);
    await call(core, 'consent.revoke', { clientId });
    await practice.quit();
    restoreVaultFolder(copy, practice.dataDir);
    await practice.start();
    await practice.quit();

    core = await practice.start();
    expect((await status(core)).integrity).toBeNull();
  });

  it('a copy with an older newest time does not take retention back: the anchor’s time seeds the clock', async () => {
    const practice = await practices.start();
    const { clientId, recordingId } = practice;
    await practice.quit();
    const copy = practices.removeAfter(copyVaultFolder(practice.dataDir));

    // A month and a day pass with the app running and locked (no sweep); a failed unlock is the
    // newest entry, after the last signed checkpoint, and the anchor takes its time at quit.
    const core = await practice.start();
    practice.clock.advance(31 * DAY);
    await refusal(core, 'session.unlock', { passphrase: 'not the passphrase at all' });
    await practice.quit();

    // The old copy goes back, and the clock with it, to an hour after the copy was made.
    restoreVaultFolder(copy, practice.dataDir);
    practice.clock.advance(-31 * DAY + HOUR);
    const restarted = await practice.start();
    expect((await status(restarted)).clock.behindByMs).toBeGreaterThan(30 * DAY);
    await unlock(restarted);
    const detail = await call(restarted, 'clients.detail', { clientId });
    expect(detail.recordings.find((r) => r.recordingId === recordingId)?.state).toBe('destroyed');
    expect((await refusal(restarted, 'playback.open', { recordingId })).code).toMatch(
      /NOT_ALLOWED|RECORDING_DESTROYED|NOT_FOUND/,
    );
    const log = await logEntries(restarted);
    expect(
      log.find((e) => e.action === 'recording.destroy' && e.subject === recordingId)?.reason,
    ).toContain('the terms keep recordings only so long');
  });
});
