// The disk fills during a recording (a small tmpfs as the vault folder): recording stops with a
// sentence that says what was kept, and everything recorded before is still there and playable.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playback, RecordingSummary } from '../../shared/api';
import { SLOW_WAIT_MS, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import {
  callerFor,
  createVaultWithClient,
  openRecordScreen,
  PASSPHRASE,
  type Dispatch,
} from './record-helpers';
import { snap } from './screens';

const mountPoint = mkdtempSync(join(tmpdir(), 'session-vault-full-'));
let mounted = false;
try {
  // Roomy while the vault is created; shrunk to what it holds plus a little before recording.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mountPoint], { stdio: 'pipe' });
  mounted = true;
} catch (error) {
  console.warn(
    `Skipping the disk-full test: cannot mount a small tmpfs here (${String(error).split('\n')[0]}).`,
  );
}

let host: TestHost;
let call: Dispatch;

// Records in real time until the disk is full, then starts the core again.
describe.skipIf(!mounted)('a full disk during a recording', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost({ dataDir: mountPoint, capturePage: true });
  });

  afterAll(async () => {
    // Locking on close is logged: give the log room first.
    if (mounted) execFileSync('mount', ['-o', 'remount,size=32m', mountPoint]);
    await host?.close();
    if (mounted) execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('stops with a clear sentence; what came before is kept and playable', async () => {
    call = callerFor(host.core.dispatch);
    const { clientId } = await createVaultWithClient(call, host.clock.now());
    const page = host.page;
    await page.reload();
    await openRecordScreen(page, 'Alex Example');
    await page.getByLabel('I reconfirmed consent aloud at the start of this session').check();
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await visible(page.getByText('Recording', { exact: true }), SLOW_WAIT_MS);
    // Since 0070 the audio goes to its own file at about its own size (4 KB a second at 32 kb/s),
    // so the disk is shrunk once recording has begun (its start needs room in the WAL): 192 KiB is
    // under a minute. (In SQLite, 1.5 MB left before the start was a few seconds.)
    const usedKiB = Number(
      execFileSync('df', ['--output=used', '-k', mountPoint]).toString().split('\n')[1],
    );
    const sizeKiB = usedKiB + 192;
    execFileSync('mount', ['-o', `remount,size=${sizeKiB}k`, mountPoint]);
    console.log(`vault folder: ${usedKiB} KiB used, tmpfs shrunk to ${sizeKiB} KiB`);
    // Nearly full from the start: the warning shows while it records.
    await visible(page.getByText(/disk is nearly full/));
    await visible(
      page.locator('.notice', { hasText: /disk is full, so recording stopped/ }),
      120_000,
    );
    await snap(page, 'record-disk-full');
    await until('the capture page to close', async () => host.capturePages.size === 0);

    const recordingId = ((await call('recording.status')) as { recordingId: string }).recordingId;
    const acked = host.ackedChunks.get(recordingId) ?? 0;
    console.log(`disk full after ${acked} chunks`);
    expect(acked).toBeGreaterThanOrEqual(2);

    // With no room even to mark it, start-up recovery marks it interrupted: restart on the same
    // folder with room again (playing is logged first, so the log needs room too).
    execFileSync('mount', ['-o', 'remount,size=32m', mountPoint]);
    await host.close();
    host = await startTestHost({ dataDir: mountPoint, capturePage: true });
    call = callerFor(host.core.dispatch);
    await call('session.unlock', { passphrase: PASSPHRASE });
    const detail = (await call('clients.detail', { clientId })) as {
      recordings: RecordingSummary[];
    };
    const recording = detail.recordings.find((r) => r.recordingId === recordingId)!;
    expect(recording.state).toBe('interrupted');
    const playback = (await call('playback.open', {
      recordingId: recording!.recordingId,
    })) as Playback;
    expect(playback.chunks.length).toBe(acked);
    for (const chunk of playback.chunks) {
      const { data } = (await call('playback.chunk', {
        playbackId: playback.playbackId,
        seq: chunk.seq,
      })) as { data: Uint8Array };
      expect(data.byteLength).toBeGreaterThan(0);
    }
    await call('playback.close', { playbackId: playback.playbackId, heardMs: 0 });
    expect(((await call('audit.verify')) as { intact: boolean }).intact).toBe(true);
  });
});
