// Choosing and testing the microphone before recording, in Chromium with its fake inputs (each
// plays the speech file): the Record screen lists them through main and the capture window,
// the therapist picks one, tests it (the meter moves, "We hear you."), records with it and hears
// back what was said. A silent microphone gets "Nothing heard". The UI page never opens the
// microphone: the test's spy sees getUserMedia only in capture pages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { microphoneSentences } from '../../shared/api';
import {
  bestLoopOffset,
  envelope,
  installOutputTap,
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
import { ensureSilenceWav, ensureSpeechWav } from './speech';

let host: TestHost | null = null;
afterEach(async () => {
  await host?.close();
  host = null;
});

interface MicrophoneOpened {
  page: string;
  asked: string | null;
  got: string | null;
}

/**
 * Test-side instrumentation, never in the app: every page's getUserMedia reports which input was
 * asked for and which Chromium opened, through a binding of the test's own.
 */
async function spyOnMicrophone(testHost: TestHost): Promise<MicrophoneOpened[]> {
  const opened: MicrophoneOpened[] = [];
  await testHost.context.exposeBinding('__microphoneOpened', (_source, seen: MicrophoneOpened) => {
    opened.push(seen);
  });
  await testHost.context.addInitScript(`(() => {
    const report = globalThis.__microphoneOpened;
    const devices = navigator.mediaDevices;
    const real = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await real(constraints);
      const asked = constraints && constraints.audio && constraints.audio.deviceId;
      const track = stream.getAudioTracks()[0];
      void report({
        page: location.pathname,
        asked: asked ? asked.exact : null,
        got: track ? track.getSettings().deviceId : null,
      });
      return stream;
    };
  })()`);
  return opened;
}

async function start(wav: string): Promise<{ testHost: TestHost; call: Dispatch }> {
  const testHost = await startTestHost({ capturePage: true, microphoneWav: wav });
  host = testHost;
  const call = callerFor(testHost.core.dispatch);
  await createVaultWithClient(call, testHost.clock.now());
  return { testHost, call };
}

function meterLevel(page: Page): Promise<number> {
  return page
    .getByTestId('level-meter')
    .getAttribute('aria-valuenow')
    .then((value) => Number(value ?? 0));
}

describe('choosing and testing the microphone', { timeout: 180_000 }, () => {
  it('lists the inputs, tests the chosen one, records with it and plays back what was said', async () => {
    const { testHost, call } = await start(ensureSpeechWav());
    const opened = await spyOnMicrophone(testHost);
    const page = testHost.page;
    await page.reload();
    await openRecordScreen(page, 'Alex Example');

    const choice = page.getByLabel('Record with');
    await visible(choice, SLOW_WAIT_MS);
    const names = await choice.locator('option').allInnerTexts();
    expect(names).toEqual(
      expect.arrayContaining([
        'Fake Default Audio Input',
        'Fake Audio Input 1',
        'Fake Audio Input 2',
      ]),
    );
    // Listing opened no microphone anywhere.
    expect(opened).toEqual([]);

    await choice.selectOption({ label: 'Fake Audio Input 2' });
    const chosen = await choice.inputValue();
    expect(chosen).toMatch(/^[0-9a-f]{64}$/);
    const kept = join(testHost.dataDir, 'microphone.json');
    await until('the choice to be kept', async () => {
      try {
        return JSON.parse(readFileSync(kept, 'utf8')).deviceId === chosen;
      } catch {
        return false;
      }
    });

    const test = page.getByRole('button', { name: 'Test microphone' });
    await test.click();
    await until('the meter to move during the test', async () => (await meterLevel(page)) > 5);
    const verdict = page.getByTestId('microphone-verdict');
    await visible(verdict, SLOW_WAIT_MS);
    expect(await verdict.innerText()).toBe(microphoneSentences.heard);
    expect(await announced(page)).toContain(microphoneSentences.heard);
    await snap(page, 'record-microphone-test');
    // The capture window tested the chosen input; nothing was recorded.
    expect(opened).toEqual([{ page: '/capture.html', asked: chosen, got: chosen }]);
    const before = (await call('clients.detail', { clientId: await clientIdOf(call) })).recordings;
    expect(before).toEqual([]);
    await until('the test window to close', async () => testHost.capturePages.size === 0);

    // Record with it, then hear it back.
    await page.getByLabel('I reconfirmed consent aloud at the start of this session').check();
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await visible(page.getByText('Recording', { exact: true }), SLOW_WAIT_MS);
    await until(
      '12 s recorded',
      async () => ((await recorderStatus(call))?.elapsedMs ?? 0) >= 12_000,
      12_000 + SLOW_WAIT_MS,
    );
    expect(opened.at(-1)).toEqual({ page: '/capture.html', asked: chosen, got: chosen });
    expect(opened.every((seen) => seen.page === '/capture.html')).toBe(true);
    await page.getByRole('button', { name: 'Stop and save' }).click();
    await visible(page.getByRole('heading', { name: /^Saved: / }), SLOW_WAIT_MS);

    await page.getByRole('button', { name: 'Play it back' }).click();
    await visible(page.getByRole('heading', { name: 'Listen to a session' }), SLOW_WAIT_MS);
    await installOutputTap(page);
    const playing = (condition: string) => () =>
      page.evaluate(
        `(() => { const a = document.querySelector('[data-testid="player-audio"]'); return !!a && (${condition}); })()`,
      ) as Promise<boolean>;
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await until('playback to start', playing('!a.paused && a.readyState >= 3'), SLOW_WAIT_MS);
    const tappedAtMs = await startTap(page);
    await until(
      '9 s of playback',
      playing(`a.currentTime * 1000 >= ${tappedAtMs + 9000}`),
      9000 + SLOW_WAIT_MS,
    );
    const out = await stopTap(page);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const speech = readWav(ensureSpeechWav());
    const perSecond = 1000 / WINDOW_MS;
    const aligned = bestLoopOffset(
      out.slice(perSecond, out.length - perSecond),
      envelope(speech.samples, speech.rate),
    );
    console.log(`played back from the chosen microphone: r = ${aligned.r.toFixed(3)}`);
    expect(aligned.r).toBeGreaterThanOrEqual(0.9);
  });

  it('says "Nothing heard" when the microphone hears only silence', async () => {
    const { testHost } = await start(ensureSilenceWav());
    const page = testHost.page;
    await page.reload();
    await openRecordScreen(page, 'Alex Example');
    await visible(page.getByLabel('Record with'), SLOW_WAIT_MS);
    await page.getByRole('button', { name: 'Test microphone' }).click();
    const verdict = page.getByTestId('microphone-verdict');
    await visible(verdict, SLOW_WAIT_MS);
    expect(await verdict.innerText()).toBe(microphoneSentences.silent);
    await snap(page, 'record-microphone-test-silent');
  });
});

async function clientIdOf(call: Dispatch): Promise<string> {
  const { clients } = await call('clients.list');
  return clients[0]!.clientId;
}
