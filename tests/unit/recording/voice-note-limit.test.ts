// A closing voice note stops at two minutes of recorded time, counted by main from the chunks'
// durations, whatever the capture page goes on sending; a voice-notes-only consent refuses a
// full recording with its reason in words.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';
import {
  call,
  refusal,
  sendSeconds,
  signedClient,
  testCore,
  type ConsentDraft,
} from '../helpers/practice-helpers';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const voiceNotesOnly = {
  recordingKinds: {
    sessions: false,
    voiceNotes: {
      whoMayPlay: { client: true, therapist: true },
      retentionDays: 7,
      termination: { action: 'destroy-now' },
      revocationDestroys: 'all-recordings',
    },
  },
} satisfies Partial<ConsentDraft>;

test('main stops a voice note at 120 s of recorded time and keeps nothing past it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sv-voice-note-'));
  dirs.push(dataDir);
  const clock = fakeClock();
  const core = await testCore(dataDir, clock);
  await call(core, 'vault.create', {
    practiceName: 'Riverside Counselling',
    therapistName: 'Jane Example',
    passphrase: PASSPHRASE,
  });
  const client = await signedClient(core, clock.now(), { overrides: voiceNotesOnly });

  const session = await refusal(core, 'recording.start', {
    clientId: client.clientId,
    reconfirmedAloud: true,
  });
  expect(session.code).toBe('NOT_ALLOWED');
  expect(session.message).toContain('closing voice notes only');

  const { recordingId } = await call(core, 'recording.start', {
    clientId: client.clientId,
    reconfirmedAloud: true,
    kind: 'voice-note',
  });
  expect(await call(core, 'capture.next', {}, 'capture')).toMatchObject({ command: 'record' });
  await call(
    core,
    'capture.started',
    { recordingId, mimeType: 'audio/webm;codecs=opus' },
    'capture',
  );
  await sendSeconds(core, recordingId, 119);
  const before = await call(core, 'recording.status');
  expect(before).toMatchObject({ state: 'recording', elapsedMs: 119_000, limitMs: 120_000 });

  // The page ignores the limit and keeps sending: main stops at the 120th second.
  await sendSeconds(core, recordingId, 5, { from: 119 });
  const at = await call(core, 'recording.status');
  expect(at).toMatchObject({ state: 'stopping', elapsedMs: 120_000, kind: 'voice-note' });
  expect(await call(core, 'capture.next', {}, 'capture')).toMatchObject({ command: 'stop' });
  await call(core, 'capture.finished', { recordingId }, 'capture');

  const detail = await call(core, 'clients.detail', { clientId: client.clientId });
  const note = detail.recordings.find((r) => r.recordingId === recordingId);
  expect(note).toMatchObject({ kind: 'voice-note', state: 'finalised', durationMs: 120_000 });
  expect(note?.destroyAfter).toBe(note!.startedAt + 7 * 86_400_000);
  const log = await call(core, 'audit.query', { subject: recordingId, limit: 10 });
  const stop = log.entries.find((entry) => entry.action === 'recording.stop');
  expect(stop?.reason).toMatch(/^reached the two-minute limit of a closing voice note; 120 s/);

  // An edited row cannot move the note under the session terms: the sealed kind says otherwise.
  core.close();
  const db = new Database(join(dataDir, 'vault.sqlite'));
  db.prepare("UPDATE recordings SET kind = 'session' WHERE recording_id = ?").run(recordingId);
  db.close();
  const reopened = await testCore(dataDir, clock);
  await call(reopened, 'session.unlock', { passphrase: PASSPHRASE });
  const edited = await refusal(reopened, 'playback.open', { recordingId });
  expect(edited.message).toBe(
    'This recording’s details do not match what was recorded, so it stays locked.',
  );
  reopened.close();
});
