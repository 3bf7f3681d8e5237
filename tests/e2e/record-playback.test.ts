// Record through the Record screen with the speech file as the microphone, play it back through
// the Player, and prove by loudness envelope that what comes out is what went in; then the same
// after a seek. Also: a UI reload does not stop a recording; bad capture input is refused.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Playback, RecordingSummary } from '../../shared/api';
import {
  bestLoopOffset,
  envelope,
  installOutputTap,
  near,
  readWav,
  startTap,
  stopTap,
  WINDOW_MS,
} from './audio';
import { announced, SLOW_WAIT_MS, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import {
  callerFor,
  createVaultWithClient,
  openRecordScreen,
  recorderStatus,
  type Dispatch,
} from './record-helpers';
import { snap } from './screens';
import { formatDate } from '../../shared/format';
import { ensureSpeechWav } from './speech';

let host: TestHost;
let page: Page;
let call: Dispatch;
let clientId = '';
let recordingId = '';
let markerAtMs = 0;
let recordedMs = 0;
const speech = readWav(ensureSpeechWav());
const speechEnvelope = envelope(speech.samples, speech.rate);
const perSecond = 1000 / WINDOW_MS;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const status = () => recorderStatus(call);

/** True once `condition` (an expression over the player's media element `a`) holds. */
function playerIs(condition: string): () => Promise<boolean> {
  return () =>
    page.evaluate(
      `(() => { const a = document.querySelector('[data-testid="player-audio"]'); return ${condition}; })()`,
    ) as Promise<boolean>;
}

/**
 * Plays from `fromMs` for `seconds` of the recording and returns the output envelope, with where
 * in the recording the tap began (on a loaded machine that is later than `fromMs`).
 */
async function listen(
  fromMs: number,
  seconds: number,
): Promise<{ out: number[]; tappedAtMs: number }> {
  const range = page.getByRole('slider', { name: 'Position' });
  await range.fill(String(fromMs));
  await until(
    `the player to seek to ${fromMs} ms`,
    playerIs(`!a.seeking && Math.abs(a.currentTime * 1000 - ${fromMs}) < 500`),
    SLOW_WAIT_MS,
  );
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await until('playback to start', playerIs('!a.paused && a.readyState >= 3'), SLOW_WAIT_MS);
  const tappedAtMs = await startTap(page);
  // Played time, not wall time: a busy machine takes longer to play the same seconds.
  await until(
    `${seconds} s of playback`,
    playerIs(`a.currentTime * 1000 >= ${tappedAtMs + seconds * 1000}`),
    seconds * 1000 + SLOW_WAIT_MS,
  );
  const out = await stopTap(page);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  return { out, tappedAtMs };
}

// Each test records or plays in real time (20 s of speech, 24 s of listening), and waits for
// each step with room: more than the default minute on a loaded machine.
describe('recording and playback in Chromium', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost({ capturePage: true });
    page = host.page;
    call = callerFor(host.core.dispatch);
    const client = await createVaultWithClient(call, host.clock.now());
    clientId = client.clientId;
    await page.reload();
  });

  afterAll(async () => {
    await host?.close();
  });

  it('records about 20 s of speech from the Record screen', async () => {
    await openRecordScreen(page, 'Alex Example');
    const record = page.getByRole('button', { name: 'Record', exact: true });
    expect(await record.isDisabled()).toBe(true);
    await visible(page.getByTestId('record-consent-summary'));
    expect(await page.getByTestId('record-consent-summary').textContent()).toContain('may listen');
    await snap(page, 'record-before');
    await page.getByLabel('I reconfirmed consent aloud at the start of this session').check();
    expect(await record.isEnabled()).toBe(true);
    const clickedAt = Date.now();
    await record.click();
    await visible(page.getByText('Recording', { exact: true }), SLOW_WAIT_MS);
    expect(await announced(page)).toContain('Recording started');
    expect(host.capturePages.size).toBe(1);
    await until('the first chunks', async () => ((await status())?.chunks ?? 0) >= 3, SLOW_WAIT_MS);
    await page.getByLabel('Label for the moment (optional)').fill('Talked about the walks');
    await page.getByRole('button', { name: 'Mark this moment' }).click();
    await until('the level meter to move', async () => {
      const now = Number(await page.getByTestId('level-meter').getAttribute('aria-valuenow'));
      return now > 5;
    });
    await snap(page, 'record-during');
    await until(
      '20 s recorded',
      async () => ((await status())?.elapsedMs ?? 0) >= 20_000,
      20_000 + SLOW_WAIT_MS,
    );
    await page.getByRole('button', { name: 'Stop and save' }).click();
    const saved = page.getByRole('heading', { name: /^Saved: / });
    await visible(saved, SLOW_WAIT_MS);
    const savedText = await saved.innerText();
    const wallMs = Date.now() - clickedAt;
    expect(await announced(page)).toContain('Recording stopped and saved');
    await snap(page, 'record-after');
    await until('the capture page to close', async () => host.capturePages.size === 0);
    const detail = (await call('clients.detail', { clientId })) as {
      recordings: RecordingSummary[];
    };
    const recording = detail.recordings.at(-1)!;
    expect(recording.state).toBe('finalised');
    // How far past 20 s it got depends on the machine, but never past the time it ran (a chunk's
    // rounding aside); and the screen says what the vault holds.
    expect(recording.durationMs).toBeGreaterThanOrEqual(20_000);
    expect(recording.durationMs).toBeLessThanOrEqual(wallMs + 1000);
    // The length as a clock reads it ("Saved: 0:22"), and the day it will be destroyed.
    const seconds = Math.floor(recording.durationMs / 1000);
    expect(savedText).toBe(
      `Saved: ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
    );
    expect(await page.getByTestId('record-saved-destroy').innerText()).toBe(
      `It will be destroyed on ${formatDate(recording.destroyAfter!)}, as the consent says.`,
    );
    expect(recording.markers.map((m) => m.label)).toEqual(['Talked about the walks']);
    recordingId = recording.recordingId;
    markerAtMs = recording.markers[0]!.atMs;
    recordedMs = recording.durationMs;
  });

  it('plays back what was said (envelope correlation), also after a seek to 12 s', async () => {
    await page.getByRole('button', { name: 'Play it back' }).click();
    await visible(page.getByRole('heading', { name: 'Listen to a session' }));
    await visible(page.getByTestId('player-consent'));
    const playback = (await page.evaluate(`(() => {
      const a = document.querySelector('[data-testid="player-audio"]');
      return { duration: a.duration, src: a.src };
    })()`)) as { duration: number; src: string };
    expect(Number.isFinite(playback.duration)).toBe(true);
    expect(playback.src.startsWith('blob:')).toBe(true);
    await installOutputTap(page);

    const whole = await listen(0, 18);
    const trim = whole.out.slice(perSecond, whole.out.length - perSecond);
    const aligned = bestLoopOffset(trim, speechEnvelope);
    console.log(
      `playback from 0 (tapped at ${whole.tappedAtMs.toFixed(0)} ms): r = ${aligned.r.toFixed(3)} at ${((aligned.offset * WINDOW_MS) / 1000).toFixed(2)} s into the speech loop (${trim.length} windows)`,
    );
    expect(aligned.r).toBeGreaterThanOrEqual(0.9);

    // Where the recording starts in the loop, from the first alignment (+1 s trimmed, and where
    // the tap began); then where the seek should land, from where its own tap began.
    const windowsAt = (ms: number) => Math.round(ms / WINDOW_MS);
    const startOfRecording = aligned.offset - perSecond - windowsAt(whole.tappedAtMs);
    const fromTwelve = await listen(12_000, 6);
    const trimmed = fromTwelve.out.slice(perSecond / 2);
    const expected = startOfRecording + windowsAt(fromTwelve.tappedAtMs) + perSecond / 2;
    const seeked = bestLoopOffset(trimmed, speechEnvelope, near(expected, 2 * perSecond));
    console.log(
      `playback after seek to 12 s (tapped at ${fromTwelve.tappedAtMs.toFixed(0)} ms): r = ${seeked.r.toFixed(3)}, lag ${(((seeked.offset - expected) * WINDOW_MS) / 1000).toFixed(2)} s`,
    );
    expect(seeked.r).toBeGreaterThanOrEqual(0.9);
  });

  it('shows markers and a removed part, skips the gap, and closes with heard time logged', async () => {
    // Remove 3 s that start 2 s after the marker (a removed part takes its markers with it, and
    // on a slow machine the marker lands later than planned).
    const fromMs = Math.ceil((markerAtMs + 2000) / 1000) * 1000;
    expect(fromMs + 3000 + 1500).toBeLessThan(recordedMs);
    await call('recording.removeRange', { recordingId, fromMs, toMs: fromMs + 3000 });
    await page.getByRole('button', { name: /Back to the client/ }).click();
    await page.getByRole('button', { name: /^Play/ }).first().click();
    await visible(
      page.getByText(/A part\s+was removed here at the client’s request/),
      SLOW_WAIT_MS,
    );
    await visible(page.getByRole('button', { name: /Talked about the walks/ }));
    await snap(page, 'player-markers-gap');
    const playback = (await call('playback.open', { recordingId })) as Playback;
    const gap = playback.removedRanges[0]!;
    await call('playback.close', { playbackId: playback.playbackId, heardMs: 0 });
    await page.getByRole('slider', { name: 'Position' }).fill(String(gap.fromMs - 2000));
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await until(
      'playback to pass the removed part',
      async () =>
        ((await page.evaluate(
          `document.querySelector('[data-testid="player-audio"]').currentTime`,
        )) as number) *
          1000 >
        gap.toMs + 500,
      SLOW_WAIT_MS,
    );
    expect(await announced(page)).toContain('removed at the client’s request');
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await page.getByRole('button', { name: /Back to the client/ }).click();
    await until(
      'the player to let go of its blob URL',
      async () =>
        (await page.evaluate(`document.querySelectorAll('audio').length === 0`)) as boolean,
    );
    const log = (await call('audit.recent', { limit: 20 })) as {
      entries: { action: string; reason: string | null }[];
    };
    const stop = log.entries.find((e) => e.action === 'playback.stop');
    expect(stop?.reason).toMatch(/\d+ s heard/);
    expect(Number(/(\d+) s heard/.exec(stop!.reason!)![1])).toBeGreaterThan(0);
  });

  it('goes on recording while the UI page reloads, and is complete after stop', async () => {
    const { recordingId: id } = (await call('recording.start', {
      clientId,
      reconfirmedAloud: true,
    })) as { recordingId: string };
    await until('chunks', async () => ((await status())?.chunks ?? 0) >= 2, SLOW_WAIT_MS);
    const before = (await status())!.chunks;
    await page.reload();
    await sleep(3000);
    await page.reload();
    await until(
      'chunks after reloads',
      async () => ((await status())?.chunks ?? 0) >= before + 4,
      SLOW_WAIT_MS,
    );
    const stopped = (await call('recording.stop', { recordingId: id })) as {
      elapsedMs: number;
      chunks: number;
    };
    // The capture page itself confirmed the stop, after the reloads: had main given up waiting
    // for it (after 5 s) the log would say "the recorder did not confirm". Asked of the log, not
    // of a stopwatch, which a loaded machine can run past while the confirmation is on its way.
    const stopLog = (await call('audit.recent', { limit: 20 })) as {
      entries: { action: string; subject: string | null; reason: string | null }[];
    };
    const stopEntry = stopLog.entries.find(
      (e) => e.action === 'recording.stop' && e.subject === id,
    );
    expect(stopEntry?.reason).toMatch(/^stopped; \d+ s in \d+ chunks; finalised$/);
    expect(stopped.chunks).toBe(host.ackedChunks.get(id));
    const detail = (await call('clients.detail', { clientId })) as {
      recordings: RecordingSummary[];
    };
    const recording = detail.recordings.find((r) => r.recordingId === id)!;
    expect(recording.state).toBe('finalised');
    expect(Math.abs(recording.durationMs - stopped.elapsedMs)).toBeLessThan(1500);
    const playback = (await call('playback.open', { recordingId: id })) as Playback;
    expect(playback.chunks.length).toBe(stopped.chunks);
    for (const chunk of playback.chunks)
      await call('playback.chunk', { playbackId: playback.playbackId, seq: chunk.seq });
    await call('playback.close', { playbackId: playback.playbackId, heardMs: 0 });
  });

  it('refuses bad input from the capture page: not armed, out of order, oversized, after stop', async () => {
    const capture = await host.openCapturePage();
    const send = (request: object) =>
      capture.evaluate(
        `(async (r) => { r.data = new Uint8Array(r.size); delete r.size; return window.vault.capture.chunk(r); })(${JSON.stringify(request)})`,
      ) as Promise<{ ok: boolean; error?: { code: string } }>;
    const auditBefore = ((await call('audit.recent', { limit: 1 })) as { total: number }).total;
    const countBefore = (await call('clients.detail', { clientId })) as {
      recordings: RecordingSummary[];
    };
    // After stop (the recording above is finalised) and never armed.
    expect((await send({ recordingId, seq: 0, durationMs: 1000, size: 100 })).error?.code).toBe(
      'RECORDING_NOT_ARMED',
    );
    expect(
      (await send({ recordingId: 'f'.repeat(32), seq: 0, durationMs: 1000, size: 100 })).error
        ?.code,
    ).toBe('RECORDING_NOT_ARMED');
    // The UI may not call capture.*, whatever it sends: its preload has no such method, and main
    // refuses the channel from any window but the capture window.
    expect(await page.evaluate('typeof window.vault.capture')).toBe('undefined');
    const fromUi = (await host.core.dispatch(
      'capture.chunk',
      { recordingId, seq: 0, durationMs: 1000, data: new Uint8Array(10) },
      'ui',
    )) as { error: { code: string } };
    expect(fromUi.error.code).toBe('FORBIDDEN_SENDER');
    await capture.close();
    // Armed, but out of order and oversized: a real recording with its own capture page.
    const { recordingId: id } = (await call('recording.start', {
      clientId,
      reconfirmedAloud: true,
    })) as {
      recordingId: string;
    };
    await until('chunks', async () => ((await status())?.chunks ?? 0) >= 2, SLOW_WAIT_MS);
    const [live] = [...host.capturePages];
    const sendLive = (request: object) =>
      live!.evaluate(
        `(async (r) => { r.data = new Uint8Array(r.size); delete r.size; return window.vault.capture.chunk(r); })(${JSON.stringify(request)})`,
      ) as Promise<{ ok: boolean; error?: { code: string } }>;
    expect(
      (await sendLive({ recordingId: id, seq: 999, durationMs: 1000, size: 100 })).error?.code,
    ).toBe('CHUNK_OUT_OF_SEQUENCE');
    expect(
      (await sendLive({ recordingId: id, seq: 0, durationMs: 1000, size: 300 * 1024 })).error?.code,
    ).toBe('INVALID_REQUEST');
    const stopped = (await call('recording.stop', { recordingId: id })) as { chunks: number };
    expect(stopped.chunks).toBe(host.ackedChunks.get(id));
    const log = (await call('audit.recent', { limit: 50 })) as {
      entries: { action: string; subject: string | null; outcome: string; reason: string | null }[];
      total: number;
    };
    const refused = log.entries.filter((e) => e.outcome === 'refused');
    expect(refused.some((e) => e.reason?.startsWith('CHUNK_OUT_OF_SEQUENCE'))).toBe(true);
    expect(refused.filter((e) => e.reason === 'RECORDING_NOT_ARMED').length).toBeGreaterThanOrEqual(
      2,
    );
    expect(
      refused.some((e) => e.subject === 'capture.chunk' && e.reason === 'INVALID_REQUEST'),
    ).toBe(true);
    expect(
      refused.some((e) => e.subject === 'capture.chunk' && e.reason === 'FORBIDDEN_SENDER'),
    ).toBe(true);
    expect(log.total).toBeGreaterThan(auditBefore);
    // Nothing changed: the old recording still verifies with the same chunks.
    const after = (await call('clients.detail', { clientId })) as {
      recordings: RecordingSummary[];
    };
    const old = after.recordings.find((r) => r.recordingId === recordingId)!;
    expect(old).toEqual(countBefore.recordings.find((r) => r.recordingId === recordingId));
    expect(((await call('audit.verify')) as { intact: boolean }).intact).toBe(true);
  });
});
