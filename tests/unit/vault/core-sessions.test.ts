// Who holds the laptop, through the real core: a playback belongs to the session that opened it,
// a lock always locks (even when its log entry cannot be written), a recording never runs on into
// someone else's session, a recovery lands whole or not at all, and a refused sign-in changes
// nothing. Each case was found by a review of the trust boundary.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VAULT_FILE_NAME } from '../../../electron/core/platform/db';
import type { Core } from '../../../electron/core/create-core';
import {
  call,
  refusal,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  testCore,
} from '../helpers/practice-helpers';
import { fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';

const NEW_PASSPHRASE = 'orchard velvet seventeen copper kites';
const AUDITOR = { signInName: 'Morgan Audit', passphrase: 'a long enough passphrase here ok' };

let dataDir: string;
let clock: ReturnType<typeof fakeClock>;
let core: Core;
let recoveryKey = '';

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-sessions-'));
  clock = fakeClock();
  core = await testCore(dataDir, clock);
  ({ recoveryKey } = await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  }));
});
afterEach(() => {
  core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A signed client with one finished three-second recording. */
async function recorded(overrides: Record<string, unknown> = {}, name = 'Alex Client') {
  const client = await signedClient(core, clock.now(), { name, overrides });
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, 3);
  await stopCapture(core, recordingId);
  return { clientId: client.clientId, recordingId };
}

/** The access log refuses every new entry, as on a full disk; returns how to mend it. */
function breakAccessLog(): () => void {
  const db = new Database(join(dataDir, VAULT_FILE_NAME));
  db.exec(
    "CREATE TRIGGER no_audit BEFORE INSERT ON audit_entries BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
  );
  return () => {
    db.exec('DROP TRIGGER no_audit');
    db.close();
  };
}

async function state() {
  return (await call(core, 'vault.status')).state;
}

async function logEntries() {
  return (await call(core, 'audit.recent', { limit: 50 })).entries;
}

describe('a playback belongs to the session that opened it', () => {
  it('ends when the review times out by a status call, and never serves the therapist', async () => {
    const { clientId, recordingId } = await recorded({
      whoMayPlay: { client: true, therapist: false, namedOthers: [] },
    });
    await call(core, 'review.start', { clientId, maxMinutes: 5 });
    await call(core, 'review.unlock', { pin: '482915' });
    await call(core, 'review.acknowledge');
    const playback = await call(core, 'playback.open', { recordingId });

    // Time is up, and the page's status poll reaches main before the tick does.
    clock.advance(5 * 60_000 + 1);
    expect(await state()).toBe('locked');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const refused = await refusal(core, 'playback.chunk', {
      playbackId: playback.playbackId,
      seq: 1,
    });
    expect(refused.code).toBe('NOT_ALLOWED');
    const stop = (await logEntries()).find((e) => e.action === 'playback.stop');
    expect(stop).toMatchObject({
      actorRole: 'client',
      reason: 'unknown; vault locked: review time is up',
    });
  });

  it('ends at the therapist’s idle lock too', async () => {
    const { recordingId } = await recorded();
    const playback = await call(core, 'playback.open', { recordingId });
    clock.advance(11 * 60_000);
    expect(await state()).toBe('locked');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(
      (await refusal(core, 'playback.chunk', { playbackId: playback.playbackId, seq: 1 })).code,
    ).toBe('NOT_ALLOWED');
  });

  it('a client plays only after agreeing to the review’s sentence', async () => {
    const { clientId, recordingId } = await recorded();
    await call(core, 'review.start', { clientId, maxMinutes: 30 });
    await call(core, 'review.unlock', { pin: '482915' });
    expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('NOT_ALLOWED');
    await call(core, 'review.acknowledge');
    const playback = await call(core, 'playback.open', { recordingId });
    await call(core, 'playback.chunk', { playbackId: playback.playbackId, seq: 1 });
  });

  it('an unknown recording is refused with a log entry', async () => {
    expect((await refusal(core, 'playback.open', { recordingId: '0'.repeat(32) })).code).toBe(
      'NOT_FOUND',
    );
    expect((await logEntries())[0]).toMatchObject({
      action: 'playback.start',
      outcome: 'refused',
      reason: 'no such recording',
    });
  });
});

describe('a lock always locks', () => {
  it('the Lock button, with a playback open and the access log unwritable', async () => {
    const { recordingId } = await recorded();
    await call(core, 'playback.open', { recordingId });
    const mend = breakAccessLog();
    try {
      await call(core, 'session.lock');
      expect(await state()).toBe('locked');
      expect((await refusal(core, 'clients.list')).code).toBe('VAULT_LOCKED');
    } finally {
      mend();
    }
  });

  it('suspend, with a playback open and the access log unwritable', async () => {
    const { recordingId } = await recorded();
    await call(core, 'playback.open', { recordingId });
    const mend = breakAccessLog();
    try {
      core.lock('suspend');
      expect(await state()).toBe('locked');
    } finally {
      mend();
    }
  });
});

describe('a recording never runs on into someone else’s session', () => {
  it('refuses the hand-over and an auditor’s sign-in while recording, and logs both', async () => {
    const alex = await signedClient(core, clock.now(), { name: 'Alex', pin: '482915' });
    const blair = await signedClient(core, clock.now(), { name: 'Blair', pin: '771204' });
    await call(core, 'auditors.add', AUDITOR);
    const { recordingId } = await startCapture(core, blair.clientId);
    await sendSeconds(core, recordingId, 2);
    const handOver = await refusal(core, 'review.start', {
      clientId: alex.clientId,
      maxMinutes: 30,
    });
    expect(handOver).toMatchObject({
      code: 'NOT_ALLOWED',
      message: expect.stringContaining('Stop the recording first'),
    });
    await call(core, 'session.lock');
    expect((await refusal(core, 'session.unlockAuditor', AUDITOR)).code).toBe('NOT_ALLOWED');

    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await stopCapture(core, recordingId);
    const refusedWhileRecording = (await logEntries()).filter(
      (e) => e.reason === 'a recording is running',
    );
    expect(refusedWhileRecording.map((e) => e.action).sort()).toEqual([
      'auditor.unlock',
      'review.start',
    ]);
    // Stopped, both work.
    await call(core, 'review.start', { clientId: alex.clientId, maxMinutes: 30 });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
  });
});

describe('logged before it happens', () => {
  it('a pause whose entry cannot be written does not pause', async () => {
    const client = await signedClient(core, clock.now());
    const { recordingId } = await startCapture(core, client.clientId);
    await sendSeconds(core, recordingId, 2);
    const mend = breakAccessLog();
    try {
      expect((await refusal(core, 'recording.pause', { recordingId })).code).toBe(
        'AUDIT_UNAVAILABLE',
      );
    } finally {
      mend();
    }
    expect(await call(core, 'recording.status')).toMatchObject({
      state: 'recording',
    });
    await stopCapture(core, recordingId);
  });
});

describe('a recording that could not start', () => {
  it('leaves nothing that looks as if it were starting, and the next start works', async () => {
    const client = await signedClient(core, clock.now());
    const mend = breakAccessLog();
    try {
      expect(
        (
          await refusal(core, 'recording.start', {
            clientId: client.clientId,
            reconfirmedAloud: true,
          })
        ).code,
      ).toBe('AUDIT_UNAVAILABLE');
      expect(await call(core, 'recording.status')).toBeNull();
    } finally {
      mend();
    }
    const { recordingId } = await startCapture(core, client.clientId);
    await sendSeconds(core, recordingId, 1);
    await stopCapture(core, recordingId);
  });
});

describe('signing in', () => {
  it('a recovery whose log entry cannot be written changes nothing', async () => {
    await call(core, 'session.lock');
    const mend = breakAccessLog();
    try {
      expect(
        (await refusal(core, 'session.recover', { recoveryKey, newPassphrase: NEW_PASSPHRASE }))
          .code,
      ).toBe('AUDIT_UNAVAILABLE');
    } finally {
      mend();
    }
    expect((await refusal(core, 'session.unlock', { passphrase: NEW_PASSPHRASE })).code).toBe(
      'WRONG_PASSPHRASE',
    );
    clock.advance(60_000);
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
  });

  it('a refused recovery or a wrong passphrase leaves the therapist signed in', async () => {
    expect(
      (await refusal(core, 'session.recover', { recoveryKey, newPassphrase: 'short' })).code,
    ).toBe('WEAK_PASSPHRASE');
    expect(await state()).toBe('unlocked');
    expect(
      (await refusal(core, 'session.unlock', { passphrase: 'not the right words at all' })).code,
    ).toBe('WRONG_PASSPHRASE');
    expect(await state()).toBe('unlocked');
    await call(core, 'clients.list');
  });

  it('whoever signs in takes the laptop: a hand-over nobody finished is withdrawn', async () => {
    const { clientId } = await recorded();
    await call(core, 'auditors.add', AUDITOR);
    for (const signIn of [
      () => call(core, 'session.recover', { recoveryKey, newPassphrase: NEW_PASSPHRASE }),
      () => call(core, 'session.unlockAuditor', AUDITOR),
    ]) {
      await call(core, 'review.start', { clientId, maxMinutes: 30 });
      await signIn();
      await call(core, 'session.lock');
      const status = await call(core, 'vault.status');
      expect(status.pendingReview).toBeNull();
      expect((await refusal(core, 'review.unlock', { pin: '482915' })).code).toBe('NOT_ALLOWED');
      await call(core, 'session.unlock', { passphrase: NEW_PASSPHRASE });
    }
  });
});
