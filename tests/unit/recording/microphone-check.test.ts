// Choosing and testing the microphone before a recording (issue 15): main asks the capture window
// (played here through core.dispatch as 'capture') to list the inputs or listen to one for a few
// seconds, judges what it heard, keeps only the choice (in a file beside the vault), and the next
// recording asks for that input. Nothing of a check is stored or logged.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { MICROPHONE_TEST_MS, microphoneSentences } from '../../../shared/api';
import { fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';
import {
  call,
  refusal,
  signedClient,
  startCapture,
  stopCapture,
  testCore,
} from '../helpers/practice-helpers';

const USB = 'cc88dcb2ecd1c8522b2a67ee3d0a1d634839a7a9d263257241914fbea259628c';
const microphones = [
  { deviceId: 'default', label: 'Default (Built-in Microphone)' },
  { deviceId: USB, label: 'USB Desk Microphone' },
];

const dirs: string[] = [];
const cores: Core[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A therapist's vault whose capture host notes what it opens and closes. */
async function vaultWithHost(
  dataDir = mkdtempSync(join(tmpdir(), 'sv-microphone-')),
  open: (id: string) => void = () => undefined,
) {
  if (!dirs.includes(dataDir)) dirs.push(dataDir);
  const clock = fakeClock();
  const opened: string[] = [];
  const closed: string[] = [];
  const core = await testCore(dataDir, clock, {
    captureHost: {
      open: (id) => {
        opened.push(id);
        open(id);
      },
      close: (id) => void closed.push(id),
    },
  });
  cores.push(core);
  return { core, clock, dataDir, opened, closed };
}

async function newTherapist() {
  const made = await vaultWithHost();
  await call(made.core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  return made;
}

/** Everything the log holds, as text, to show that no device name or id reached it. */
async function logText(core: Core): Promise<string> {
  const log = await call(core, 'audit.recent', { limit: 500 });
  return JSON.stringify(log.entries);
}

describe('listing and choosing the microphone', () => {
  it('lists the inputs the capture window sees, then closes it', async () => {
    const { core, opened, closed } = await newTherapist();
    const listing = call(core, 'microphone.list');
    const command = await call(core, 'capture.next', {}, 'capture');
    expect(command.command).toBe('list-microphones');
    const checkId = command.check!.checkId;
    expect(opened).toEqual([checkId]);
    await call(core, 'capture.microphones', { checkId, microphones }, 'capture');
    expect(await listing).toEqual({ microphones, chosen: null });
    await until(() => closed.includes(checkId));
    // A second answer for the same check is refused: it is over.
    expect(
      (await refusal(core, 'capture.microphones', { checkId, microphones }, 'capture')).code,
    ).toBe('NOT_ALLOWED');
  });

  it('keeps the choice beside the vault, across a restart, and records with it', async () => {
    const { core, clock, dataDir } = await newTherapist();
    await call(core, 'microphone.choose', { deviceId: USB });
    expect(JSON.parse(readFileSync(join(dataDir, 'microphone.json'), 'utf8'))).toEqual({
      deviceId: USB,
    });
    core.close();
    cores.splice(cores.indexOf(core), 1);

    const again = await vaultWithHost(dataDir);
    await call(again.core, 'session.unlock', { passphrase: PASSPHRASE });
    const listing = call(again.core, 'microphone.list');
    const command = await call(again.core, 'capture.next', {}, 'capture');
    await call(
      again.core,
      'capture.microphones',
      { checkId: command.check!.checkId, microphones },
      'capture',
    );
    expect((await listing).chosen).toBe(USB);

    const client = await signedClient(again.core, clock.now());
    const { recordingId, command: record } = await startCapture(again.core, client.clientId);
    expect(record.command).toBe('record');
    expect(record.settings?.deviceId).toBe(USB);
    await stopCapture(again.core, recordingId);

    // Back to the system's default.
    await call(again.core, 'microphone.choose', { deviceId: null });
    const next = await startCapture(again.core, client.clientId);
    expect(next.command.settings?.deviceId).toBeNull();
    await stopCapture(again.core, next.recordingId);
  });

  it('refuses an id that is not one, and keeps the choice as it was', async () => {
    const { core, dataDir } = await newTherapist();
    await call(core, 'microphone.choose', { deviceId: USB });
    for (const deviceId of ['', 'has space', 'x'.repeat(257), 'tab\there', 'é', 7, {}]) {
      const error = await refusal(core, 'microphone.choose', { deviceId });
      expect(error.code).toBe('INVALID_REQUEST');
      expect(error.message).not.toContain('has space');
    }
    expect(JSON.parse(readFileSync(join(dataDir, 'microphone.json'), 'utf8')).deviceId).toBe(USB);
  });

  it('only the therapist chooses or tests; only the capture window answers', async () => {
    const { core } = await newTherapist();
    await call(core, 'session.lock');
    expect((await refusal(core, 'microphone.choose', { deviceId: USB })).code).toBe('VAULT_LOCKED');
    expect((await refusal(core, 'microphone.test', { deviceId: null })).code).toBe('VAULT_LOCKED');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    // The page cannot pose as the capture window, nor the capture window as the page.
    const ui = await refusal(core, 'capture.testDone', { checkId: 'a'.repeat(32) });
    expect(ui.code).toBe('FORBIDDEN_SENDER');
    const capture = await refusal(core, 'microphone.test', { deviceId: null }, 'capture');
    expect(capture.code).toBe('FORBIDDEN_SENDER');
  });
});

describe('testing the microphone', () => {
  it('hears a voice: live levels while it listens, then "We hear you."', async () => {
    const { core, closed } = await newTherapist();
    const testing = call(core, 'microphone.test', { deviceId: USB });
    const command = await call(core, 'capture.next', {}, 'capture');
    expect(command.command).toBe('test-microphone');
    expect(command.check).toMatchObject({ deviceId: USB, durationMs: MICROPHONE_TEST_MS });
    const checkId = command.check!.checkId;
    for (const rms of [0.001, 0.12, 0.04]) {
      await call(core, 'capture.testLevel', { checkId, rms }, 'capture');
      expect(await call(core, 'microphone.testLevel')).toEqual({ testing: true, level: rms });
    }
    // No recording may start while the test listens: its verdict is on its way.
    const client = await signedClient(core, Date.now());
    const start = await refusal(core, 'recording.start', {
      clientId: client.clientId,
      reconfirmedAloud: true,
    });
    expect(start.code).toBe('NOT_ALLOWED');
    await call(core, 'capture.testDone', { checkId }, 'capture');
    expect(await testing).toEqual({
      verdict: 'heard',
      message: microphoneSentences.heard,
      loudest: 0.12,
    });
    expect(await call(core, 'microphone.testLevel')).toEqual({ testing: false, level: 0 });
    await until(() => closed.includes(checkId));
    const log = await logText(core);
    expect(log).not.toContain(USB);
    expect(log).not.toContain('microphone');
  });

  it('hears nothing from a muted input: "Nothing heard"', async () => {
    const { core } = await newTherapist();
    const testing = call(core, 'microphone.test', { deviceId: null });
    const command = await call(core, 'capture.next', {}, 'capture');
    const checkId = command.check!.checkId;
    expect(command.check!.deviceId).toBeNull();
    for (const rms of [0, 0.002, 0])
      await call(core, 'capture.testLevel', { checkId, rms }, 'capture');
    await call(core, 'capture.testDone', { checkId }, 'capture');
    expect(await testing).toEqual({
      verdict: 'silent',
      message: microphoneSentences.silent,
      loudest: 0.002,
    });
  });

  it('says when the chosen input is gone, and when no capture window could open', async () => {
    const { core } = await newTherapist();
    const testing = call(core, 'microphone.test', { deviceId: USB });
    const command = await call(core, 'capture.next', {}, 'capture');
    await call(
      core,
      'capture.failed',
      { recordingId: command.check!.checkId, reason: 'no-microphone' },
      'capture',
    );
    expect(await testing).toMatchObject({
      verdict: 'failed',
      message: microphoneSentences['no-microphone'],
    });

    const broken = await vaultWithHost(undefined, () => {
      throw new Error('no window');
    });
    await call(broken.core, 'vault.create', {
      practiceName: 'Riverside',
      therapistName: 'Dr. Jane Example',
      passphrase: PASSPHRASE,
    });
    expect(await call(broken.core, 'microphone.test', { deviceId: null })).toMatchObject({
      verdict: 'failed',
      message: microphoneSentences['no-answer'],
    });
    expect((await refusal(broken.core, 'microphone.list')).message).toBe(
      microphoneSentences['no-answer'],
    );
  });

  it('is refused while a recording runs, and a second check waits for the first', async () => {
    const { core, clock } = await newTherapist();
    const client = await signedClient(core, clock.now());
    const { recordingId } = await startCapture(core, client.clientId);
    expect((await refusal(core, 'microphone.test', { deviceId: null })).message).toBe(
      microphoneSentences.busy,
    );
    expect((await refusal(core, 'microphone.list')).code).toBe('NOT_ALLOWED');
    await stopCapture(core, recordingId);

    const first = call(core, 'microphone.test', { deviceId: null });
    expect((await refusal(core, 'microphone.list')).message).toBe(microphoneSentences.busy);
    const command = await call(core, 'capture.next', {}, 'capture');
    await call(core, 'capture.testDone', { checkId: command.check!.checkId }, 'capture');
    expect((await first).verdict).toBe('silent');
  });
});

describe('a recording and a check share the capture window', () => {
  it('a recording started during a listing waits for the list, then gets the window', async () => {
    const { core, clock } = await newTherapist();
    const client = await signedClient(core, clock.now());
    const listing = call(core, 'microphone.list');
    const list = await call(core, 'capture.next', {}, 'capture');
    let started = false;
    const starting = call(core, 'recording.start', {
      clientId: client.clientId,
      reconfirmedAloud: true,
    }).then((reply) => {
      started = true;
      return reply;
    });
    // Every pending turn runs first: the start waits on the listing, not on time.
    for (let turn = 0; turn < 20; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(false);
    await call(
      core,
      'capture.microphones',
      { checkId: list.check!.checkId, microphones },
      'capture',
    );
    const { recordingId } = await starting;
    expect((await listing).microphones).toEqual(microphones);
    // The next poll (the recording's own window) is the recording's command, not the list's.
    const record = await call(core, 'capture.next', {}, 'capture');
    expect(record).toMatchObject({ command: 'record', recordingId });
    await call(
      core,
      'capture.started',
      { recordingId, mimeType: 'audio/webm;codecs=opus' },
      'capture',
    );
    await stopCapture(core, recordingId);
  });
});

/** Waits for the condition, giving up after 10 s on a loaded machine. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  expect(check()).toBe(true);
}
