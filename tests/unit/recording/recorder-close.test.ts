// core.close() while a recording runs (issue 13, item 7): the recording is finalised while the
// file is still open, and no stop timer outlives the core to throw NO_VAULT later.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';
import {
  call,
  sendSeconds,
  signedClient,
  startCapture,
  testCore,
} from '../helpers/practice-helpers';

const dirs: string[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test('closing the core during a recording finalises it and leaves no timer behind', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sv-recorder-close-'));
  dirs.push(dataDir);
  const clock = fakeClock();
  const deviceSecret = new Uint8Array(32).fill(7);
  const core = await testCore(dataDir, clock, { deviceSecret });
  await call(core, 'vault.create', {
    practiceName: 'Riverside Counselling',
    therapistName: 'Jane Example',
    passphrase: PASSPHRASE,
  });
  const client = await signedClient(core, clock.now());
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, 3);

  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  // A stop that the capture window never confirms arms the wait...
  void call(core, 'recording.stop', { recordingId });
  expect(vi.getTimerCount()).toBeGreaterThan(0);
  // ...and closing the app must not leave it to fire into a closed vault.
  core.close();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();

  const reopened = await testCore(dataDir, clock, { deviceSecret });
  await call(reopened, 'session.unlock', { passphrase: PASSPHRASE });
  const detail = await call(reopened, 'clients.detail', {
    clientId: client.clientId,
  });
  const recording = detail.recordings.find((r) => r.recordingId === recordingId);
  expect(recording?.state).toBe('finalised');
  expect(recording?.durationMs).toBe(3000);
  reopened.close();
});
