import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/create-core';
import type { RecordingSummary } from '../../../shared/api';
import {
  call,
  consentDraft,
  refusal,
  sendSeconds,
  signedClient as signedClientWith,
  startCapture,
  stopCapture,
} from '../helpers/practice-helpers';
import { fakeClock, LIGHT_KDF, PASSPHRASE, audioSecond } from '../helpers/kernel-helpers';

const DAY = 86_400_000;
let dataDir: string;
let clock: ReturnType<typeof fakeClock>;
let core: Core;
const captureEvents: string[] = [];

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-practice-'));
  clock = fakeClock();
  captureEvents.length = 0;
  core = await createCore({
    dataDir,
    deviceSecret: new Uint8Array(randomBytes(32)),
    clock: clock.now,
    kdf: LIGHT_KDF,
    roomAudioProcessing: false,
    freeBytes: () => 10 * 1024 ** 3,
    captureHost: {
      open: (id) => void captureEvents.push(`open ${id}`),
      close: (id) => void captureEvents.push(`close ${id}`),
    },
  });
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
});
afterEach(() => {
  core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signedClient(
  overrides: Record<string, unknown> = {},
  others: string[] = ['Robin Example'],
) {
  return signedClientWith(core, clock.now(), { others, overrides });
}

/** What the capture window does: take the command, send chunks, finish. */
async function recordSeconds(clientId: string, seconds: number) {
  const { recordingId, command } = await startCapture(core, clientId);
  expect(command).toMatchObject({
    command: 'record',
    recordingId,
    settings: { echoCancellation: false },
  });
  await sendSeconds(core, recordingId, seconds, { beforeEach: () => clock.advance(1000) });
  const stopping = call(core, 'recording.stop', { recordingId });
  expect(await call(core, 'capture.next', {}, 'capture')).toMatchObject({
    command: 'stop',
  });
  await call(core, 'capture.finished', { recordingId }, 'capture');
  expect(await stopping).toMatchObject({
    state: 'stopped',
    chunks: seconds,
    elapsedMs: seconds * 1000,
  });
  return recordingId;
}

describe('consent, recording and playback through the real core', () => {
  it('signs a two-person consent, records, lists and plays back what was recorded', async () => {
    const client = await signedClient();
    expect(client.participants).toHaveLength(2);
    const recordingId = await recordSeconds(client.clientId, 5);
    expect(captureEvents).toEqual([`open ${recordingId}`, `close ${recordingId}`]);
    const detail = await call(core, 'clients.detail', { clientId: client.clientId });
    expect(detail.client.consent).toMatchObject({ state: 'active', version: 1 });
    const listed = detail.recordings[0] as RecordingSummary;
    expect(listed).toMatchObject({
      recordingId,
      state: 'finalised',
      durationMs: 5000,
      play: { allow: true },
      destroyAfter: clock.now() - 5000 + 30 * DAY,
    });
    const playback = await call(core, 'playback.open', { recordingId });
    expect(playback).toMatchObject({ mimeType: 'audio/webm;codecs=opus', durationMs: 5000 });
    expect(playback.chunks.map((c) => c.startMs)).toEqual([0, 1000, 2000, 3000, 4000]);
    const chunk = await call(core, 'playback.chunk', {
      playbackId: playback.playbackId,
      seq: 3,
    });
    expect(Buffer.from(chunk.data)).toEqual(Buffer.from(audioSecond(3)));
    await call(core, 'playback.close', { playbackId: playback.playbackId, heardMs: 4200 });
    const log = await call(core, 'audit.recent', { limit: 50 });
    expect(log.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'consent.sign',
        'recording.start',
        'recording.stop',
        'playback.start',
        'playback.stop',
      ]),
    );
    expect(log.entries.find((e) => e.action === 'playback.stop')?.reason).toContain('4 s heard');
  });

  it('gives an MP4 header chunk no time, so the index matches the audio', async () => {
    const client = await signedClient();
    const { recordingId } = await startCapture(core, client.clientId, 'audio/mp4;codecs=opus');
    await sendSeconds(core, recordingId, 4);
    await stopCapture(core, recordingId);
    const playback = await call(core, 'playback.open', { recordingId });
    expect(playback.chunks).toEqual([
      { seq: 0, startMs: 0, durationMs: 0 },
      { seq: 1, startMs: 0, durationMs: 2000 },
      { seq: 2, startMs: 2000, durationMs: 1000 },
      { seq: 3, startMs: 3000, durationMs: 1000 },
    ]);
    expect(playback.durationMs).toBe(4000);
  });

  it('a capture window left polling from an earlier recording does not take the next one', async () => {
    const client = await signedClient();
    await recordSeconds(client.clientId, 1);
    // The old window hears its final 'stop', polls again, and that poll is still open when the
    // next recording starts.
    expect(await call(core, 'capture.next', {}, 'capture')).toMatchObject({ command: 'stop' });
    const stalePoll = call(core, 'capture.next', {}, 'capture');
    const { recordingId } = await call(core, 'recording.start', {
      clientId: client.clientId,
      reconfirmedAloud: true,
    });
    expect(await stalePoll).toMatchObject({ command: 'continue' });
    expect(await call(core, 'capture.next', {}, 'capture')).toMatchObject({
      command: 'record',
      recordingId,
    });
  });

  it('keeps the practice default terms, refusing out-of-range ones', async () => {
    const before = await call(core, 'policy.get');
    expect(before.defaults).toEqual({
      retentionDays: 30,
      termination: { action: 'keep-for-review', days: 30 },
    });
    const updated = await call(core, 'policy.setDefaults', {
      defaults: { retentionDays: 90, termination: { action: 'destroy-now' } },
    });
    expect(updated.defaults).toEqual({ retentionDays: 90, termination: { action: 'destroy-now' } });
    const error = await refusal(core, 'policy.setDefaults', {
      defaults: { retentionDays: 0, termination: { action: 'destroy-now' } },
    });
    expect(error.message).toContain('between 1 day and 10 years');
    expect((await call(core, 'policy.get')).defaults).toEqual(updated.defaults);
  });

  it('says the input has been silent for 10 seconds, and forgets it when sound comes back', async () => {
    const client = await signedClient();
    const { recordingId } = await call(core, 'recording.start', {
      clientId: client.clientId,
      reconfirmedAloud: true,
    });
    await call(core, 'capture.next', {}, 'capture');
    await call(
      core,
      'capture.started',
      { recordingId, mimeType: 'audio/webm;codecs=opus' },
      'capture',
    );
    for (let second = 0; second < 10; second += 1) {
      clock.advance(1000);
      await call(core, 'capture.level', { recordingId, rms: 0.001 }, 'capture');
      await call(
        core,
        'capture.chunk',
        { recordingId, seq: second, durationMs: 1000, data: audioSecond(second) },
        'capture',
      );
    }
    expect(await call(core, 'recording.status')).toMatchObject({
      state: 'recording',
      silentForMs: 10_000,
    });
    await call(core, 'capture.level', { recordingId, rms: 0.2 }, 'capture');
    expect(await call(core, 'recording.status')).toMatchObject({ silentForMs: 0, level: 0.2 });
  });

  it('a lost microphone or a refused one ends the recording with a sentence, keeping what was recorded', async () => {
    const client = await signedClient();
    const start = async () => {
      const { recordingId } = await call(core, 'recording.start', {
        clientId: client.clientId,
        reconfirmedAloud: true,
      });
      await call(core, 'capture.next', {}, 'capture');
      return recordingId;
    };
    const lost = await start();
    await call(
      core,
      'capture.started',
      { recordingId: lost, mimeType: 'audio/webm;codecs=opus' },
      'capture',
    );
    for (let seq = 0; seq < 3; seq += 1)
      await call(
        core,
        'capture.chunk',
        { recordingId: lost, seq, durationMs: 1000, data: audioSecond(seq) },
        'capture',
      );
    await call(core, 'capture.failed', { recordingId: lost, reason: 'device-lost' }, 'capture');
    expect(await call(core, 'recording.status')).toMatchObject({
      state: 'stopping',
      problem: {
        code: 'DEVICE_LOST',
        message: expect.stringContaining('What was recorded until then is saved'),
      },
    });
    await call(core, 'capture.finished', { recordingId: lost }, 'capture');
    const denied = await start();
    await call(
      core,
      'capture.failed',
      { recordingId: denied, reason: 'permission-denied' },
      'capture',
    );
    expect(await call(core, 'recording.status')).toMatchObject({
      state: 'stopped',
      problem: { code: 'PERMISSION_DENIED' },
    });
    const { recordings } = await call(core, 'clients.detail', {
      clientId: client.clientId,
    });
    const kept = recordings.find((r) => r.recordingId === lost)!;
    expect(kept).toMatchObject({ state: 'interrupted', durationMs: 3000, play: { allow: true } });
    const playback = await call(core, 'playback.open', { recordingId: lost });
    const chunk = await call(core, 'playback.chunk', {
      playbackId: playback.playbackId,
      seq: 2,
    });
    expect(Buffer.from(chunk.data)).toEqual(Buffer.from(audioSecond(2)));
  });

  it('refuses to record without consent, and says why', async () => {
    const client = await call(core, 'clients.add', {
      displayName: 'No Consent',
      otherParticipants: [],
    });
    const error = await refusal(core, 'recording.start', {
      clientId: client.clientId,
      reconfirmedAloud: true,
    });
    expect(error.code).toBe('NOT_ALLOWED');
    expect(captureEvents).toEqual([]);
  });

  it('revocation by the therapist stops recording and destroys every recording, provably', async () => {
    const client = await signedClient();
    const recordingId = await recordSeconds(client.clientId, 3);
    const before = readAll();
    await call(core, 'consent.revoke', { clientId: client.clientId });
    const detail = await call(core, 'clients.detail', { clientId: client.clientId });
    expect(detail.client.consent.state).toBe('revoked');
    expect(detail.recordings[0]).toMatchObject({
      recordingId,
      state: 'destroyed',
      play: { allow: false },
    });
    expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('NOT_ALLOWED');
    expect(
      (
        await refusal(core, 'recording.start', {
          clientId: client.clientId,
          reconfirmedAloud: true,
        })
      ).code,
    ).toBe('NOT_ALLOWED');
    expect(
      (await refusal(core, 'consent.revoke', { clientId: client.clientId })).message,
    ).toContain('already revoked');
    expect(before.length).toBeGreaterThan(0);
  });

  it('ending therapy keeps recordings for the review window, then the sweeper destroys them', async () => {
    const client = await signedClient();
    const recordingId = await recordSeconds(client.clientId, 2);
    await call(core, 'consent.endTherapy', { clientId: client.clientId });
    let [recording] = (await call(core, 'clients.detail', { clientId: client.clientId }))
      .recordings;
    expect(recording).toMatchObject({ state: 'finalised', destroyAfter: clock.now() + 14 * DAY });
    expect(recording!.play.allow).toBe(false); // only the client may listen after therapy ends
    clock.advance(14 * DAY + 1);
    core.tick();
    clock.advance(3_600_000);
    core.tick();
    // The sweep ran while the vault was locked (idle): it needs no key to delete a key.
    expect((await call(core, 'vault.status')).state).toBe('locked');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    [recording] = (await call(core, 'clients.detail', { clientId: client.clientId })).recordings;
    expect(recording).toMatchObject({ recordingId, state: 'destroyed' });
    expect(recording!.destroyReason).toContain('therapy ended');
    expect(recording!.destroyReason).toContain('sweep: hourly');
  });

  it('retention: destroyed after the signed number of days, within one sweep interval', async () => {
    const client = await signedClient({ retentionDays: 1 });
    await recordSeconds(client.clientId, 2);
    clock.advance(DAY + 3_600_000);
    core.tick();
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const [recording] = (await call(core, 'clients.detail', { clientId: client.clientId }))
      .recordings;
    expect(recording).toMatchObject({ state: 'destroyed' });
  });

  it('partial deletion removes a time range; the player sees the gap', async () => {
    const client = await signedClient();
    const recordingId = await recordSeconds(client.clientId, 6);
    const removed = await call(core, 'recording.removeRange', {
      recordingId,
      fromMs: 2000,
      toMs: 4000,
    });
    expect(removed).toEqual({ removedChunks: 2, fromMs: 2000, toMs: 4000 });
    const playback = await call(core, 'playback.open', { recordingId });
    expect(playback.chunks.map((c) => c.seq)).toEqual([0, 1, 4, 5]);
    expect(playback.removedRanges).toEqual([{ fromMs: 2000, toMs: 4000 }]);
  });

  it('a removed part (whole seconds) takes the markers inside it with it; the others stay', async () => {
    const client = await signedClient();
    const { recordingId } = await startCapture(core, client.clientId);
    const tick = { beforeEach: () => clock.advance(1000) };
    await sendSeconds(core, recordingId, 2, tick);
    await call(core, 'recording.mark', { recordingId, label: 'before the part' });
    await sendSeconds(core, recordingId, 2, { ...tick, from: 2 });
    await call(core, 'recording.mark', { recordingId, label: 'inside the part' });
    await sendSeconds(core, recordingId, 2, { ...tick, from: 4 });
    await stopCapture(core, recordingId);
    const marked = await call(core, 'playback.open', { recordingId });
    const [first, second] = marked.markers;
    expect(marked.markers.map((m) => m.label)).toEqual(['before the part', 'inside the part']);
    await call(core, 'playback.close', { playbackId: marked.playbackId, heardMs: 0 });
    await call(core, 'recording.removeRange', {
      recordingId,
      fromMs: first!.atMs + 1000,
      toMs: second!.atMs + 1,
    });
    const playback = await call(core, 'playback.open', { recordingId });
    expect(playback.markers.map((m) => m.label)).toEqual(['before the part']);
  });

  it('bad consent input gets a clear sentence and changes nothing', async () => {
    const client = await call(core, 'clients.add', {
      displayName: 'Alex',
      otherParticipants: ['Sam'],
    });
    const { policyHash } = await call(core, 'policy.get');
    const draft = consentDraft(client, policyHash, clock.now());
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...draft, retentionDays: 0 }, /between 1 day and 10 years/],
      [{ ...draft, retentionDays: 36500 }, /between 1 day and 10 years/],
      [{ ...draft, signatures: draft.signatures.slice(1) }, /Still to sign: Alex/],
      [
        {
          ...draft,
          signatures: draft.signatures.map((s, i) => (i === 0 ? { ...s, typedName: '   ' } : s)),
        },
        /Type your name to sign/,
      ],
      [{ ...draft, version: 1 }, /not understood/],
    ];
    for (const [terms, message] of cases) {
      const error = await refusal(core, 'consent.sign', {
        clientId: client.clientId,
        terms,
        reviewCredential: '482915',
      });
      expect(error.message).toMatch(message);
    }
    const detail = await call(core, 'clients.detail', { clientId: client.clientId });
    expect(detail.versions).toEqual([]);
  });

  it('refuses capture calls from the UI, and chunks that are not armed, out of order or after stop', async () => {
    const client = await signedClient();
    const recordingId = await recordSeconds(client.clientId, 2);
    expect(
      (
        await refusal(core, 'capture.chunk', {
          recordingId,
          seq: 2,
          durationMs: 1000,
          data: audioSecond(2),
        })
      ).code,
    ).toBe('FORBIDDEN_SENDER');
    expect(
      (
        await refusal(
          core,
          'capture.chunk',
          { recordingId, seq: 2, durationMs: 1000, data: audioSecond(2) },
          'capture',
        )
      ).code,
    ).toBe('RECORDING_NOT_ARMED');
    expect((await refusal(core, 'clients.list', {}, 'capture')).code).toBe('FORBIDDEN_SENDER');
    const second = await call(core, 'recording.start', {
      clientId: client.clientId,
      reconfirmedAloud: true,
    });
    await call(core, 'capture.next', {}, 'capture');
    await call(
      core,
      'capture.started',
      { recordingId: second.recordingId, mimeType: 'audio/webm;codecs=opus' },
      'capture',
    );
    expect(
      (
        await refusal(
          core,
          'capture.chunk',
          { recordingId: second.recordingId, seq: 3, durationMs: 1000, data: audioSecond(3) },
          'capture',
        )
      ).code,
    ).toBe('CHUNK_OUT_OF_SEQUENCE');
    expect(
      (
        await refusal(
          core,
          'capture.chunk',
          {
            recordingId: second.recordingId,
            seq: 0,
            durationMs: 1000,
            data: new Uint8Array(300 * 1024),
          },
          'capture',
        )
      ).code,
    ).toBe('INVALID_REQUEST');
    const log = await call(core, 'audit.recent', { limit: 20 });
    expect(log.entries.filter((e) => e.outcome === 'refused').length).toBeGreaterThanOrEqual(4);
  });
});

function readAll(folder = dataDir): Buffer[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? readAll(join(folder, entry.name))
      : [readFileSync(join(folder, entry.name))],
  );
}
