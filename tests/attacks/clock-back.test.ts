// Attack: someone sets the laptop's clock back. Before issue 11, recordings past retention played
// again, the idle lock and the review's time limit never fired (a 30-minute review stayed open an
// hour), and the log's times went backwards. Now retention keeps the vault's own time, the locks
// run on monotonic time, and the clock change is logged and shown.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REVIEW_IDLE_MINUTES } from '../../shared/review-policy';
import { call, refusal, signedClient } from '../unit/helpers/practice-helpers';
import {
  DAY,
  HOUR,
  MINUTE,
  PASSPHRASE,
  YEAR,
  clockAttackVault,
  record,
  recordingState,
  twoClocks,
  vaultStatus,
  wholeLog,
  type TwoClocks,
} from './clock-attack-helpers';

let clocks: TwoClocks;
let vault: Awaited<ReturnType<typeof clockAttackVault>>;

beforeEach(async () => {
  clocks = twoClocks();
  vault = await clockAttackVault(clocks);
});
afterEach(() => vault.cleanup());

function expectTimesNeverGoBack(entries: { at: number }[]) {
  for (let i = 1; i < entries.length; i += 1)
    expect(entries[i]!.at).toBeGreaterThanOrEqual(entries[i - 1]!.at);
}

describe('clock set back a year', () => {
  it('while running: a recording past retention does not play and is swept; the change is logged and shown', async () => {
    const client = await signedClient(vault.core, clocks.wallNow(), {
      overrides: { retentionDays: 1 },
    });
    const recordingId = await record(vault.core, client);

    clocks.setWall(clocks.wallNow() - YEAR);
    vault.core.tick();
    // The therapist sees the sentence's source: main says how far behind the clock is.
    const shown = await vaultStatus(vault.core);
    expect(shown.clock.behindByMs).toBeGreaterThanOrEqual(YEAR - MINUTE);
    expect(shown.clock.destructionHeld).toBe(false);

    // A day and a minute of real time later the wall clock still reads a year ago.
    clocks.pass(DAY + MINUTE);
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    const refused = await refusal(vault.core, 'playback.open', { recordingId });
    expect(refused.code).toBe('NOT_ALLOWED');

    clocks.pass(HOUR);
    vault.core.tick();
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await recordingState(vault.core, client.clientId, recordingId)).toMatchObject({
      state: 'destroyed',
    });

    const log = await wholeLog(vault.core);
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
    const client = await signedClient(vault.core, clocks.wallNow(), {
      overrides: { retentionDays: 1 },
    });
    const recordingId = await record(vault.core, client);
    clocks.pass(23 * HOUR);
    // The last unlock signs a checkpoint: the newest time the vault has seen.
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });

    clocks.setWall(clocks.wallNow() - YEAR);
    await vault.restart();
    expect((await vaultStatus(vault.core)).clock.behindByMs).toBeGreaterThanOrEqual(YEAR - MINUTE);
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await recordingState(vault.core, client.clientId, recordingId)).toMatchObject({
      state: 'finalised',
    });

    // Two hours of real time: past retention by the vault's time, a year early by the wall's.
    clocks.pass(2 * HOUR);
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect((await refusal(vault.core, 'playback.open', { recordingId })).code).toBe('NOT_ALLOWED');
    vault.core.tick();
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await recordingState(vault.core, client.clientId, recordingId)).toMatchObject({
      state: 'destroyed',
    });

    const log = await wholeLog(vault.core);
    expect(log.filter((e) => e.action === 'clock.back')).toHaveLength(1);
    expectTimesNeverGoBack(log);
  });

  it('the idle lock still fires after its minutes of monotonic time', async () => {
    clocks.setWall(clocks.wallNow() - YEAR);
    clocks.pass(9 * MINUTE);
    vault.core.tick();
    expect((await vaultStatus(vault.core)).state).toBe('unlocked');
    clocks.pass(MINUTE);
    vault.core.tick();
    expect((await vaultStatus(vault.core)).state).toBe('locked');
    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await wholeLog(vault.core);
    expect(log.find((e) => e.action === 'session.lock')?.reason).toBe('idle');
  });

  it('a review with a 30-minute limit ends at 30 minutes of monotonic time, though the clock went back', async () => {
    const client = await signedClient(vault.core, clocks.wallNow(), { pin: '482915' });
    const recordingId = await record(vault.core, client);
    await call(vault.core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    await call(vault.core, 'review.unlock', { pin: '482915' });
    await call(vault.core, 'review.acknowledge');

    clocks.setWall(clocks.wallNow() - HOUR);
    // The client keeps using it: never idle, so only the limit can end it.
    for (let minute = 0; minute < 29; minute += 1) {
      clocks.pass(MINUTE);
      await call(vault.core, 'session.touch');
      vault.core.tick();
    }
    expect(REVIEW_IDLE_MINUTES).toBeLessThan(30);
    const open = await vaultStatus(vault.core);
    expect(open.state).toBe('unlocked');
    const playback = await call(vault.core, 'playback.open', { recordingId });
    await call(vault.core, 'playback.close', { playbackId: playback.playbackId, heardMs: 0 });

    clocks.pass(MINUTE);
    vault.core.tick();
    expect((await vaultStatus(vault.core)).state).toBe('locked');
    expect((await refusal(vault.core, 'review.library')).code).toBe('VAULT_LOCKED');

    await call(vault.core, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await wholeLog(vault.core);
    expect(log.find((e) => e.action === 'review.end')?.reason).toBe('review time is up');
    expect(log.filter((e) => e.action === 'clock.back')).toHaveLength(1);
    expectTimesNeverGoBack(log);
  });
});
