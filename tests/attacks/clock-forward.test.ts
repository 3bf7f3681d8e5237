// Attack: someone jumps the laptop's clock ten years forward. Before issue 11 the sweeper
// destroyed every recording at once. Now nothing is destroyed that was not due before the leap;
// the hold is logged and shown, and only the therapist's confirmation of the date lets
// destruction catch up (logged). Playback already goes by the later date: less access, not more.
import { describe, expect, it } from 'vitest';
import { call, refusal, signedClient } from '../unit/helpers/practice-helpers';
import {
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

async function expectHeldUntilConfirmed(clientId: string, recordingId: string, leapTo: number) {
  const core = attack.vault.core;
  const shown = await vaultStatus(core);
  expect(shown.clock.destructionHeld).toBe(true);
  expect(shown.clock.heldAt).toBeGreaterThanOrEqual(leapTo);

  // Hours of sweeps later, still nothing destroyed.
  for (let hour = 0; hour < 3; hour += 1) {
    attack.clocks.pass(HOUR);
    core.tick();
  }
  await call(core, 'session.unlock', { passphrase: PASSPHRASE });
  expect(await recordingState(core, clientId, recordingId)).toMatchObject({ state: 'finalised' });
  // Past retention by the new date: it does not play meanwhile.
  expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('NOT_ALLOWED');

  // Only the therapist confirms the date; then the recordings now due go.
  await call(core, 'session.lock');
  expect((await refusal(core, 'vault.confirmDate')).code).toBe('VAULT_LOCKED');
  await call(core, 'session.unlock', { passphrase: PASSPHRASE });
  const after = await call(core, 'vault.confirmDate');
  expect(after.destructionHeld).toBe(false);
  expect((await vaultStatus(core)).clock.destructionHeld).toBe(false);
  expect(await recordingState(core, clientId, recordingId)).toMatchObject({ state: 'destroyed' });

  const log = await wholeLog(core);
  const actions = log.map((e) => e.action);
  const forward = actions.indexOf('clock.forward');
  const confirm = actions.indexOf('clock.confirm');
  const destroy = log.findIndex(
    (e) => e.action === 'recording.destroy' && e.subject === recordingId,
  );
  expect(forward).toBeGreaterThanOrEqual(0);
  expect(confirm).toBeGreaterThan(forward);
  expect(destroy).toBeGreaterThan(confirm);
  expect(log[forward]!.reason).toContain('destruction held');
  expect(log[confirm]!.actorRole).toBe('therapist');
  expect(log[destroy]!.reason).toContain('date confirmed');
  expect(actions.filter((a) => a === 'clock.forward')).toHaveLength(1);
}

describe('clock jumped ten years forward', () => {
  it('while running: nothing destroyed at once; held and shown; destroyed after the therapist confirms', async () => {
    const client = await signedClient(attack.vault.core, attack.clocks.wallNow());
    const recordingId = await record(attack.vault.core, client);
    const leapTo = attack.clocks.wallNow() + 10 * YEAR;
    attack.clocks.setWall(leapTo);
    attack.vault.core.tick();
    await expectHeldUntilConfirmed(client.clientId, recordingId, leapTo);
  });

  it('between runs: the leap since the newest signed time holds destruction at start', async () => {
    const client = await signedClient(attack.vault.core, attack.clocks.wallNow());
    const recordingId = await record(attack.vault.core, client);
    await call(attack.vault.core, 'session.lock');
    const leapTo = attack.clocks.wallNow() + 10 * YEAR;
    attack.clocks.setWall(leapTo);
    await attack.vault.restart();
    await expectHeldUntilConfirmed(client.clientId, recordingId, leapTo);
  });

  it('a revocation during the hold still destroys at once: it is the client’s act, not the date', async () => {
    const client = await signedClient(attack.vault.core, attack.clocks.wallNow());
    const kept = await record(attack.vault.core, client);
    const other = await signedClient(attack.vault.core, attack.clocks.wallNow(), {
      name: 'Blair Example',
    });
    const revoked = await record(attack.vault.core, other);
    attack.clocks.setWall(attack.clocks.wallNow() + 10 * YEAR);
    attack.vault.core.tick();
    attack.clocks.pass(MINUTE);
    await call(attack.vault.core, 'consent.revoke', { clientId: other.clientId });
    expect(await recordingState(attack.vault.core, other.clientId, revoked)).toMatchObject({
      state: 'destroyed',
    });
    expect(await recordingState(attack.vault.core, client.clientId, kept)).toMatchObject({
      state: 'finalised',
    });
    expect((await vaultStatus(attack.vault.core)).clock.destructionHeld).toBe(true);
  });

  it('a client in review cannot confirm the date', async () => {
    const client = await signedClient(attack.vault.core, attack.clocks.wallNow(), {
      pin: '482915',
    });
    await record(attack.vault.core, client);
    attack.clocks.setWall(attack.clocks.wallNow() + 10 * YEAR);
    attack.vault.core.tick();
    await call(attack.vault.core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    await call(attack.vault.core, 'review.unlock', { pin: '482915' });
    expect((await refusal(attack.vault.core, 'vault.confirmDate')).code).toBe('NOT_ALLOWED');
    expect((await vaultStatus(attack.vault.core)).clock.destructionHeld).toBe(true);
  });
});
