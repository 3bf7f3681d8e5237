import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import type { ClientSummary } from '../../../shared/api';
import { REVIEW_MAX_FAILURES, reviewDelayMs } from '../../../shared/review-policy';
import {
  call,
  consentDraft,
  refusal,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  therapistVault,
} from '../helpers/practice-helpers';
import { PASSPHRASE } from '../helpers/kernel-helpers';

let vault: Awaited<ReturnType<typeof therapistVault>>;
let clock: typeof vault.clock;
let core: Core;

beforeEach(async () => {
  vault = await therapistVault('sv-review-');
  ({ clock, core } = vault);
});
afterEach(() => vault.close());

async function clientWithRecording(name: string, pin: string) {
  const client = await signedClient(core, clock.now(), { name, pin });
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, 3);
  await stopCapture(core, recordingId);
  return { client, recordingId };
}

describe('client review mode', () => {
  it('a client hears their own recordings and reaches nothing else', async () => {
    const a = await clientWithRecording('Alex Client', '482915');
    const b = await clientWithRecording('Blair Client', '771204');
    await call(core, 'review.start', { clientId: a.client.clientId, maxMinutes: 30 });
    const locked = await call(core, 'vault.status');
    expect(locked).toMatchObject({
      state: 'locked',
      pendingReview: { displayName: 'Alex Client' },
    });
    const info = await call(core, 'review.unlock', { pin: '482915' });
    expect(info.role).toBe('client');
    expect((await refusal(core, 'review.library')).code).toBe('NOT_ALLOWED');
    await call(core, 'review.acknowledge');
    const library = await call(core, 'review.library');
    expect(library.recordings.map((r) => r.recordingId)).toEqual([a.recordingId]);
    const playback = await call(core, 'playback.open', { recordingId: a.recordingId });
    await call(core, 'playback.chunk', { playbackId: playback.playbackId, seq: 1 });
    await call(core, 'playback.close', { playbackId: playback.playbackId, heardMs: 1000 });

    // Everything else, asked for directly as a tampered page would, is refused by main.
    const attempts: [string, unknown][] = [
      ['playback.open', { recordingId: b.recordingId }],
      ['clients.list', {}],
      ['clients.detail', { clientId: b.client.clientId }],
      ['audit.recent', { limit: 10 }],
      ['settings.setIdleLock', { minutes: 60 }],
      ['policy.get', {}],
      ['recording.start', { clientId: a.client.clientId, reconfirmedAloud: true }],
      ['consent.revoke', { clientId: b.client.clientId }],
      ['review.start', { clientId: b.client.clientId, maxMinutes: 30 }],
      ['session.unlock', { passphrase: PASSPHRASE }],
      ['auditors.add', { signInName: 'Mallory', passphrase: 'a long enough passphrase here' }],
    ];
    for (const [channel, payload] of attempts) {
      expect((await refusal(core, channel, payload)).code, channel).toBe('NOT_ALLOWED');
    }

    await call(core, 'review.end');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await call(core, 'audit.recent', { limit: 100 });
    const refused = log.entries.filter((e) => e.outcome === 'refused' && e.actorRole === 'client');
    expect(refused.map((e) => e.subject)).toEqual(
      expect.arrayContaining(['clients.list', 'audit.recent', 'session.unlock']),
    );
    const bPlays = log.entries.filter(
      (e) => e.action === 'playback.start' && e.subject === b.recordingId,
    );
    expect(bPlays.map((e) => e.outcome)).toEqual(['refused']);
    expect(log.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['review.start', 'review.unlock', 'review.acknowledge', 'review.end']),
    );
  });

  it('people the consent names listen beside the client: the review says so, main checks it', async () => {
    const pat = { name: 'Pat Example', relation: 'grandmother' };
    const client = await signedClient(core, clock.now(), {
      overrides: { whoMayPlay: { client: true, therapist: true, namedOthers: [pat] } },
    });
    await call(core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    const info = await call(core, 'review.unlock', {
      pin: '482915',
    });
    expect(info.review?.listenWith).toEqual(['Pat Example (grandmother)']);
    await call(core, 'review.acknowledge');
    await call(core, 'review.end');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await call(core, 'audit.recent', { limit: 20 });
    const agreed = log.entries.find((e) => e.action === 'review.acknowledge');
    expect(agreed?.reason).toBe('personal review; people named to listen beside: 1');
    expect(JSON.stringify(log.entries)).not.toContain('Pat');

    // After therapy ends only the client may listen: the sentence names no one.
    await call(core, 'consent.endTherapy', { clientId: client.clientId });
    await call(core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    const after = await call(core, 'review.unlock', {
      pin: '482915',
    });
    expect(after.review?.listenWith).toEqual([]);
    await call(core, 'review.end');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });

    // Naming someone while the client may not listen is refused by main, whatever the page sent.
    const other = await call(core, 'clients.add', {
      displayName: 'Blair Client',
      otherParticipants: [],
    });
    const { policyHash } = await call(core, 'policy.get');
    const terms = consentDraft(other as ClientSummary, policyHash, clock.now(), {
      whoMayPlay: { client: false, therapist: true, namedOthers: [pat] },
    });
    const refused = await refusal(core, 'consent.sign', {
      clientId: other.clientId,
      terms,
      reviewCredential: '771204',
    });
    expect(refused).toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('tick the client too'),
    });
    const detail = await call(core, 'clients.detail', {
      clientId: other.clientId,
    });
    expect(detail.client.consent.state).toBe('none');
  });

  it('the client can revoke their consent from review, in one call', async () => {
    const a = await clientWithRecording('Alex Client', '482915');
    await call(core, 'review.start', { clientId: a.client.clientId, maxMinutes: 30 });
    await call(core, 'review.unlock', { pin: '482915' });
    await call(core, 'review.acknowledge');
    expect(await call(core, 'review.revoke')).toEqual({ destroyed: 1 });
    const library = await call(core, 'review.library');
    expect(library.recordings).toEqual([expect.objectContaining({ state: 'destroyed' })]);
  });

  it('ends after 5 idle minutes, and at the maximum length', async () => {
    const a = await clientWithRecording('Alex Client', '482915');
    await call(core, 'review.start', { clientId: a.client.clientId, maxMinutes: 20 });
    await call(core, 'review.unlock', { pin: '482915' });
    clock.advance(5 * 60_000);
    core.tick();
    expect((await call(core, 'vault.status')).state).toBe('locked');

    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await call(core, 'review.start', { clientId: a.client.clientId, maxMinutes: 20 });
    await call(core, 'review.unlock', { pin: '482915' });
    for (let minute = 0; minute < 19; minute += 1) {
      clock.advance(60_000);
      await call(core, 'session.touch');
      core.tick();
    }
    expect((await call(core, 'vault.status')).state).toBe('unlocked');
    clock.advance(60_000);
    core.tick();
    expect((await call(core, 'vault.status')).state).toBe('locked');
  });

  it('10 wrong PINs lock the review; the wait doubles as the screen says', async () => {
    const a = await clientWithRecording('Alex Client', '482915');
    await call(core, 'review.start', { clientId: a.client.clientId, maxMinutes: 30 });
    for (let failure = 1; failure <= REVIEW_MAX_FAILURES; failure += 1) {
      const error = await refusal(core, 'review.unlock', { pin: '000000' });
      if (failure < REVIEW_MAX_FAILURES) {
        expect(error).toMatchObject({ code: 'WRONG_PIN', retryAfterMs: reviewDelayMs(failure) });
        expect((await refusal(core, 'review.unlock', { pin: '482915' })).code).toBe(
          'UNLOCK_DELAYED',
        );
        clock.advance(reviewDelayMs(failure));
      } else expect(error.code).toBe('REVIEW_LOCKED');
    }
    expect((await refusal(core, 'review.unlock', { pin: '482915' })).code).toBe('REVIEW_LOCKED');
    expect(await call(core, 'vault.status')).toMatchObject({
      pendingReview: { locked: true, failures: 10 },
    });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await call(core, 'review.reset', { clientId: a.client.clientId });
    await call(core, 'review.start', { clientId: a.client.clientId, maxMinutes: 30 });
    expect(await call(core, 'review.unlock', { pin: '482915' })).toMatchObject({ role: 'client' });
  });
});

describe('auditors', () => {
  it('an auditor reads and verifies the log, and nothing else', async () => {
    await clientWithRecording('Alex Client', '482915');
    await call(core, 'auditors.add', {
      signInName: 'Pat Auditor',
      passphrase: 'ledger orchard fifteen comets',
    });
    await call(core, 'session.lock');
    expect(
      (
        await refusal(core, 'session.unlockAuditor', {
          signInName: 'Pat Auditor',
          passphrase: 'wrong passphrase here',
        })
      ).code,
    ).toBe('WRONG_CREDENTIAL');
    expect(
      (
        await refusal(core, 'session.unlockAuditor', {
          signInName: 'Nobody',
          passphrase: 'ledger orchard fifteen comets',
        })
      ).code,
    ).toBe('WRONG_CREDENTIAL');
    const info = await call(core, 'session.unlockAuditor', {
      signInName: 'pat auditor',
      passphrase: 'ledger orchard fifteen comets',
    });
    expect(info.role).toBe('auditor');
    const log = await call(core, 'audit.recent', { limit: 200 });
    expect(log.entries.some((e) => e.action === 'recording.start')).toBe(true);
    expect(JSON.stringify(log)).not.toContain('Alex Client');
    expect(await call(core, 'audit.verify')).toMatchObject({ intact: true });
    for (const channel of ['clients.list', 'policy.get', 'recording.status', 'auditors.list'])
      expect((await refusal(core, channel)).code, channel).toBe('NOT_ALLOWED');
  });
});
