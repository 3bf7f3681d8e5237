// Main killed (SIGKILL) in the middle of a recording, ten times at random moments: each time a
// new process opens the same vault folder, the access log is intact, and the recording is kept,
// marked interrupted, holding every chunk main acknowledged (and at most the one in flight).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playback, RecordingSummary } from '../../shared/api';
import { SLOW_WAIT_MS, until, visible } from './helpers';
import { snap } from './screens';
import { decodeWire } from './wire';
import { launchBrowserHost, type BrowserHost } from './host';
import { removeChildBundle, startCoreProcess, type CoreProcess } from './host-process';
import { callerFor, createVaultWithClient, PASSPHRASE } from './record-helpers';

const KILLS = 10;
let browserHost: BrowserHost;
let core: CoreProcess | null = null;
const dataDir = mkdtempSync(join(tmpdir(), 'session-vault-crash-'));
const deviceSecret = new Uint8Array(randomBytes(32));

async function startCore(): Promise<CoreProcess> {
  core = await startCoreProcess(dataDir, deviceSecret, (event) => {
    if (event === 'open') void browserHost.openCapturePage();
    else void browserHost.closeCapturePages();
  });
  return core;
}

// Eleven starts of the core and ten recordings in real time: minutes on a loaded machine.
describe('a killed main process during a recording', { timeout: 600_000 }, () => {
  beforeAll(async () => {
    browserHost = await launchBrowserHost(
      async (channel, payload, caller) =>
        core?.dispatch(channel, payload, caller) ?? {
          ok: false,
          error: { code: 'INTERNAL', message: 'No vault process.' },
        },
    );
  });

  afterAll(async () => {
    await core?.kill();
    await browserHost?.close();
    await removeChildBundle();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.anchor.json`, { force: true });
  });

  it(`keeps every acknowledged chunk, ${KILLS} kills at random moments`, async () => {
    let clientId = '';
    let previous: string | null = null;
    const report: string[] = [];
    for (let round = 0; round <= KILLS; round += 1) {
      const running = await startCore();
      const call = callerFor((channel, request, caller) =>
        running.dispatch(channel, request, caller ?? 'ui'),
      );
      if (round === 0) {
        clientId = (await createVaultWithClient(call, Date.now())).clientId;
      } else {
        await call('session.unlock', { passphrase: PASSPHRASE });
        const verdict = (await call('audit.verify')) as { intact: boolean; entries: number };
        expect(verdict.intact).toBe(true);
        const detail = (await call('clients.detail', { clientId })) as {
          recordings: RecordingSummary[];
        };
        const recovered = detail.recordings.find((r) => r.recordingId === previous)!;
        expect(recovered.state).toBe('interrupted');
        const acked = browserHost.ackedChunks.get(previous!) ?? 0;
        const playback = (await call('playback.open', { recordingId: previous! })) as Playback;
        const stored = playback.chunks.length;
        // The waveform survived with the audio: its levels rode in the same synced writes.
        expect(playback.levels).not.toBeNull();
        // Bytes from the core's process come in the wire's form (tests/e2e/wire.ts).
        const sent: unknown = playback.levels!.peaks;
        const peaks = (sent instanceof Uint8Array ? sent : decodeWire(sent)) as Uint8Array;
        const levelsMs = peaks.length * playback.levels!.binMs;
        expect(Math.abs(levelsMs - playback.durationMs)).toBeLessThanOrEqual(2500);
        for (const chunk of playback.chunks)
          await call('playback.chunk', { playbackId: playback.playbackId, seq: chunk.seq });
        await call('playback.close', { playbackId: playback.playbackId, heardMs: 0 });
        report.push(`round ${round}: acknowledged ${acked}, stored ${stored}`);
        // Acknowledged means committed; at most the chunk in flight may be there as well.
        expect(stored).toBeGreaterThanOrEqual(acked);
        expect(stored).toBeLessThanOrEqual(acked + 1);
        expect(stored).toBeGreaterThanOrEqual(1);
      }
      if (round === KILLS) break;
      const { recordingId } = (await call('recording.start', {
        clientId,
        reconfirmedAloud: true,
      })) as { recordingId: string };
      previous = recordingId;
      await until(
        'the first chunk',
        async () => (browserHost.ackedChunks.get(recordingId) ?? 0) >= 1,
        SLOW_WAIT_MS,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2500));
      await running.kill();
      await browserHost.closeCapturePages();
    }
    console.log(report.join('\n'));
    // The library (the client screen) says so too.
    const page = browserHost.page;
    await page.reload();
    await visible(page.getByRole('button', { name: 'Clients', exact: true }), SLOW_WAIT_MS);
    await page
      .getByRole('button', { name: /Alex Example/ })
      .first()
      .click();
    await until(
      'the client screen to list the interrupted recordings',
      async () => (await page.getByText(/Interrupted/).count()) >= KILLS,
      SLOW_WAIT_MS,
    );
    // One that kept audio past its header plays with its waveform.
    await page
      .locator('li.recording')
      .filter({ has: page.locator('.recording-facts', { hasText: /^0:0[1-9]/ }) })
      .first()
      .getByRole('button', { name: /^Play/ })
      .click();
    await visible(page.getByTestId('waveform'), SLOW_WAIT_MS);
    expect(await page.locator('[data-testid="waveform"] rect').count()).toBeGreaterThan(2);
    await snap(page, 'player-crash-recovered-waveform');
  });
});
