// Attack: someone sets the laptop's clock back. Before issue 11, recordings past retention played
// again, the idle lock and the review's time limit never fired (a 30-minute review stayed open an
// hour), and the log's times went backwards. Now retention keeps the vault's own time, the locks
// run on monotonic time, and the clock change is logged and shown.
import { describe, expect, it } from 'vitest';
import { REVIEW_IDLE_MINUTES } from '../../shared/review-policy';
import { call, refusal, signedClient } from '../unit/helpers/practice-helpers';
import {
  DAY,
  HOUR,
  MINUTE,
  PASSPHRASE,
  YEAR,
  record,
  recordingState,
  vaultStatus,
  wholeLog,
} from './clock-attack-helpers';
import { clockAttackEach } from './attack-helpers';

const attack = clockAttackEach();

function expectTimesNeverGoBack(entries: { at: number }[]) {
  for (let i = 1; i < entries.length; i += 1)
    expect(entries[i]!.at).toBeGreaterThanOrEqual(entries[i - 1]!.at);
}

describe('clock set back a year', () => {
  it('while running: a recording past retention does not play and is swept; the change is logged and shown', async () => {
    const client = await signedClient(attack.vault.core, attack.clocks.wallNow(), {
      overrides: { retentionDays: 1 },
    });
    const recordingId = await record(attack.vault.core, client);

    attack.clocks.setWall(attack.clocks.wallNow() - YEAR);
    attack.vault.core.tick();
    // The therapist sees the sentence's source: main says how far behind the clock is.
    const shown = await vaultStatus(attack.vault.core);
    expect(shown.clock.behindByMs).toBeGreaterThanOrEqual(YEAR - MINUTE);
    expect(shown.clock.destructionHeld).toBe(false);

    // A day and a minute of real time later the wall clock still reads a year ago.
    attack.clocks.pass(DAY + MINUTE);
    await call(attack.vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    const refused = await refusal(attack.vault.core, 'playback.open', { recordingId });
    expect(refused.code).toBe('NOT_ALLOWED');

    attack.clocks.pass(HOUR);
    attack.vault.core.tick();
    await call(attack.vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await recordingState(attack.vault.core, client.clientId, recordingId)).toMatchObject({
      state: 'destroyed',
    });

    const log = await wholeLog(attack.vault.core);
    const back = log.filter((e) => e.action === 'clock.back');
    expect(back).toHaveLength(1);
    expect(back[0]!.reason).toContain('365 days behind');
    expect(
      log.find((e) => e.action === 'playback.start' && e.subject === recordingId)?.outcome,
    ).toBe('refused');
    expect(
      log.find((e) => e.action === 'recording.destroy' && e.subject === recordingId)?.reason,
    ).toContain('the terms keep recordings only so long');
    expectTimesNeverGoBack(log);
  });

  it('between runs: caught at start from the newest signed time; retention runs on from it', async () => {
    const client = await signedClient(attack.vault.core, attack.clocks.wallNow(), {
      overrides: { retentionDays: 1 },
    });
    const recordingId = await record(attack.vault.core, client);
    attack.clocks.pass(23 * HOUR);
    // The last unlock signs a checkpoint: the newest time the vault has seen.
    await call(attack.vault.core, 'session.unlock', { passphrase: PASSPHRASE });

    attack.clocks.setWall(attack.clocks.wallNow() - YEAR);
    await attack.vault.restart();
    expect((await vaultStatus(attack.vault.core)).clock.behindByMs).toBeGreaterThanOrEqual(
      YEAR - MINUTE,
    );
    await call(attack.vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await recordingState(attack.vault.core, client.clientId, recordingId)).toMatchObject({
      state: 'finalised',
    });

    // Two hours of real time: past retention by the vault's time, a year early by the wall's.
    attack.clocks.pass(2 * HOUR);
    await call(attack.vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect((await refusal(attack.vault.core, 'playback.open', { recordingId })).code).toBe(
      'NOT_ALLOWED',
    );
    attack.vault.core.tick();
    await call(attack.vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await recordingState(attack.vault.core, client.clientId, recordingId)).toMatchObject({
      state: 'destroyed',
    });

    const log = await wholeLog(attack.vault.core);
    expect(log.filter((e) => e.action === 'clock.back')).toHaveLength(1);
    expectTimesNeverGoBack(log);
  });

  it('the idle lock still fires after its minutes of monotonic time', async () => {
    attack.clocks.setWall(attack.clocks.wallNow() - YEAR);
    attack.clocks.pass(9 * MINUTE);
    attack.vault.core.tick();
    expect((await vaultStatus(attack.vault.core)).state).toBe('unlocked');
    attack.clocks.pass(MINUTE);
    attack.vault.core.tick();
    expect((await vaultStatus(attack.vault.core)).state).toBe('locked');
    await call(attack.vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await wholeLog(attack.vault.core);
    expect(log.find((e) => e.action === 'session.lock')?.reason).toBe('idle');
  });

  it('a review with a 30-minute limit ends at 30 minutes of monotonic time, though the clock went back', async () => {
    const client = await signedClient(attack.vault.core, attack.clocks.wallNow(), {
      pin: '482915',
    });
    const recordingId = await record(attack.vault.core, client);
    await call(attack.vault.core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    await call(attack.vault.core, 'review.unlock', { pin: '482915' });
    await call(attack.vault.core, 'review.acknowledge');

    attack.clocks.setWall(attack.clocks.wallNow() - HOUR);
    // The client keeps using it: never idle, so only the limit can end it.
    for (let minute = 0; minute < 29; minute += 1) {
      attack.clocks.pass(MINUTE);
      await call(attack.vault.core, 'session.touch');
      attack.vault.core.tick();
    }
    expect(REVIEW_IDLE_MINUTES).toBeLessThan(30);
    const open = await vaultStatus(attack.vault.core);
    expect(open.state).toBe('unlocked');
    const playback = await call(attack.vault.core, 'playback.open', { recordingId });
    await call(attack.vault.core, 'playback.close', {
      playbackId: playback.playbackId,
      heardMs: 0,
    });

    attack.clocks.pass(MINUTE);
    attack.vault.core.tick();
    expect((await vaultStatus(attack.vault.core)).state).toBe('locked');
    expect((await refusal(attack.vault.core, 'review.library')).code).toBe('VAULT_LOCKED');

    await call(attack.vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await wholeLog(attack.vault.core);
    expect(log.find((e) => e.action === 'review.end')?.reason).toBe('review time is up');
    expect(log.filter((e) => e.action === 'clock.back')).toHaveLength(1);
    expectTimesNeverGoBack(log);
  });
});
