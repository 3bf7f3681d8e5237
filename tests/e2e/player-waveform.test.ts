// The player's one scrubber and its keys: a recording of speech and then silence from the fake
// microphone shows high waveform bars where the speech was and flat ones where it was silent (the
// levels measured at capture and sealed with the recording, nothing decoded); the heading names
// the client and the date; space, the arrows and 1–5 drive the player, as the screen lists them.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW_WAIT_MS, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import {
  callerFor,
  createVaultWithClient,
  openRecordScreen,
  recorderStatus,
  type Dispatch,
} from './record-helpers';
import { snap } from './screens';
import { ensureSpeechThenSilenceWav } from './speech';

let host: TestHost;
let page: Page;
let call: Dispatch;

/** The player's media element, read in the page. */
function media<T>(expression: string): Promise<T> {
  return page.evaluate(
    `(() => { const a = document.querySelector('[data-testid="player-audio"]'); return ${expression}; })()`,
  ) as Promise<T>;
}

const atSecond = (seconds: number) => () =>
  media<boolean>(`!a.seeking && Math.abs(a.currentTime - ${seconds}) < 0.6`);

describe('the player’s waveform and keyboard shortcuts', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost({ capturePage: true, microphoneWav: ensureSpeechThenSilenceWav() });
    page = host.page;
    call = callerFor(host.core.dispatch);
    await createVaultWithClient(call, host.clock.now());
    await page.reload();
  });

  afterAll(async () => {
    await host?.close();
  });

  it('draws high bars where there was speech and flat ones where there was silence', async () => {
    await openRecordScreen(page, 'Alex Example');
    await page.getByLabel('I reconfirmed consent aloud at the start of this session').check();
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await visible(page.getByText('Recording', { exact: true }), SLOW_WAIT_MS);
    // One key marks the moment; its words come later, while recording goes on.
    await page.getByRole('button', { name: 'Pause', exact: true }).focus();
    await page.keyboard.press('m');
    const momentLabel = page.getByLabel(/^Label for the moment at \d:\d\d$/);
    await visible(momentLabel);
    await momentLabel.fill('Opening words');
    await page.getByRole('button', { name: 'Save label' }).click();
    await until(
      'the label to be saved',
      async () =>
        (await page.getByRole('button', { name: 'Save label' }).getAttribute('aria-disabled')) ===
        'true',
    );
    await snap(page, 'record-marked-moment');
    // 7.5 s of speech, then silence until 20 s, when the fake microphone starts the file again.
    await until(
      '16 s recorded',
      async () => ((await recorderStatus(call))?.elapsedMs ?? 0) >= 16_000,
      16_000 + SLOW_WAIT_MS,
    );
    await page.getByRole('button', { name: 'Stop and save' }).click();
    const saved = page.getByRole('heading', { name: /^Saved: / });
    await visible(saved, SLOW_WAIT_MS);
    expect(await saved.innerText()).toMatch(/^Saved: 0:(1[6-9]|[2-5]\d)$/);
    await visible(page.getByTestId('record-saved-destroy'));
    expect(await page.getByTestId('record-saved-destroy').innerText()).toMatch(
      /^It will be destroyed on \d{1,2} \w{3} \d{4}, as the consent says\.$/,
    );
    await snap(page, 'record-saved');
    await page.getByRole('button', { name: 'Play it back' }).click();
    await visible(page.getByTestId('waveform'), SLOW_WAIT_MS);

    const columnMs = Number(await page.getByTestId('waveform').getAttribute('data-column-ms'));
    const columns = await page.locator('[data-testid="waveform"] rect').evaluateAll((rects) =>
      rects.map((rect) => ({
        atMs: Number(rect.getAttribute('data-at-ms')),
        level: Number(rect.getAttribute('data-level')),
      })),
    );
    expect(columnMs).toBe(250);
    expect(columns.length).toBeGreaterThanOrEqual(60);
    const within = (from: number, to: number) =>
      columns.filter((c) => c.atMs >= from && c.atMs < to).map((c) => c.level);
    // The recording starts a moment after the file does, so the speech sits at 0.5–7.3 s of the
    // file and at most about a second earlier in the recording; its one pause is 1.25 s long.
    const speech = within(1000, 5000);
    const loud = speech.filter((level) => level >= 150).length;
    expect(loud / speech.length).toBeGreaterThanOrEqual(0.4);
    const silence = within(9000, 15_000);
    expect(silence.length).toBeGreaterThan(20);
    expect(Math.max(...silence)).toBeLessThanOrEqual(40);

    const title = page.getByRole('heading', { level: 1 });
    expect(await title.innerText()).toMatch(
      /^Listen to a session with Alex Example\s+recorded \d{1,2} \w{3} \d{4}, \d\d:\d\d CET$/,
    );
    await visible(page.getByTestId('player-time-left'));
    // At the start, all of it is left.
    const left = await page.getByTestId('player-time-left').innerText();
    expect(left).toMatch(/^0:(1[5-9]|[2-5]\d) left of 0:(1[5-9]|[2-5]\d)$/);
    expect(left.split(' left of ')[0]).toBe(left.split(' left of ')[1]);
    await visible(page.locator('.player-marks').getByRole('button', { name: /Opening words/ }));
    expect(await page.locator('.timeline-marker').count()).toBe(1);
    await snap(page, 'player-waveform');
  });

  it('moves with the keys the screen lists: arrows, Shift with arrows, 1–5 and space', async () => {
    const shortcuts = page.locator('.player-keys');
    for (const words of [
      'Play or pause',
      'Back or forward 5 seconds',
      'Back or forward 15 seconds',
      'Speed 0.75×, 1×, 1.25×, 1.5×, 2×',
    ])
      await visible(shortcuts.getByText(words));

    // Focus is on the player's heading; the keys act from anywhere inside the player.
    await page.keyboard.press('ArrowRight');
    await until('the playhead at 5 s', atSecond(5));
    await visible(page.getByTestId('player-position').getByText('0:05'));
    await page.keyboard.press('ArrowRight');
    await until('the playhead at 10 s', atSecond(10));
    await page.keyboard.press('Shift+ArrowLeft');
    await until('the playhead back 15 s, at the start', atSecond(0));
    await page.keyboard.press('Shift+ArrowRight');
    await until('the playhead at 15 s', atSecond(15));
    await page.keyboard.press('ArrowLeft');
    await until('the playhead at 10 s again', atSecond(10));

    await page.keyboard.press('4');
    expect(await media<number>('a.playbackRate')).toBe(1.5);
    expect(await page.getByRole('radio', { name: '1.5×' }).isChecked()).toBe(true);

    // The position control takes the same keys, and space there plays.
    await page.getByRole('slider', { name: 'Position' }).focus();
    await page.keyboard.press('ArrowLeft');
    await until('the playhead at 5 s', atSecond(5));
    await page.keyboard.press(' ');
    await until('playing', () => media<boolean>('!a.paused'));
    await visible(page.getByRole('button', { name: 'Pause', exact: true }));
    await page.keyboard.press(' ');
    await until('paused', () => media<boolean>('a.paused'));
    await page.keyboard.press('1');
    expect(await media<number>('a.playbackRate')).toBe(0.75);
    await snap(page, 'player-keys');
  });
  it('opens at a marked moment from the client’s screen, its heading naming the recording', async () => {
    // A second recording, with a moment marked a few seconds in (the first one's is at 0:00).
    const clientId = (await call('recordings.library')).recordings[0]!.clientId;
    const { recordingId } = await call('recording.start', { clientId, reconfirmedAloud: true });
    const recorded = (ms: number) => async () =>
      ((await recorderStatus(call))?.elapsedMs ?? 0) >= ms;
    await until('4 s recorded', recorded(4000), 4000 + SLOW_WAIT_MS);
    const { atMs } = await call('recording.mark', { recordingId, label: 'The plan' });
    await until('9 s recorded', recorded(9000), 5000 + SLOW_WAIT_MS);
    await call('recording.stop', { recordingId });
    await until('saved', async () => (await recorderStatus(call))?.state === 'stopped');
    await call('recording.annotate', { recordingId, title: 'Anxiety plan' });

    await page.getByRole('button', { name: 'Back to the client' }).click();
    await visible(page.getByRole('heading', { name: 'Alex Example', exact: true }));
    const row = page.locator('li.recording').filter({
      has: page.getByRole('heading', { name: 'Anxiety plan' }),
    });
    const moment = row
      .locator('.recording-moments')
      .getByRole('button', { name: /The plan.*listen from here/ });
    await visible(moment, SLOW_WAIT_MS);
    await snap(page, 'client-marked-moments');
    const atText = (await moment.locator('.recording-mark-time').innerText()).trim();
    expect(atText).toBe(`0:0${Math.floor(atMs / 1000)}`);
    await moment.click();
    await visible(page.getByTestId('waveform'), SLOW_WAIT_MS);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toMatch(
      /^Listen to “Anxiety plan”\s+Alex Example, \d{1,2} \w{3} \d{4}, \d\d:\d\d CET$/,
    );
    // Opened there, not at the start: the playhead sits at the marked second.
    await until(`the playhead at the marked moment (${atText})`, async () => {
      const position = await media<number>('a.seeking ? -1 : a.currentTime');
      return position >= atMs / 1000 - 1.1 && position <= atMs / 1000 + 0.1;
    });
    await visible(page.getByTestId('player-position').getByText(atText));
    await snap(page, 'player-at-moment');
  });

  it('keeps markers, removed parts and the playhead visible in forced colours', async () => {
    const { recordings } = await call('recordings.library');
    const { recordingId } = recordings[0]!;
    await call('recording.removeRange', { recordingId, fromMs: 1000, toMs: 2500 });
    await page.getByRole('button', { name: 'Back to the client' }).click();
    await page
      .locator('.recording-moments')
      .getByRole('button', { name: /The plan.*listen from here/ })
      .click();
    await visible(page.locator('.timeline-gap'), SLOW_WAIT_MS);
    // Played on past the marked moment, so the marker and the playhead are apart in the picture.
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await until('the playhead past the marked moment', () =>
      media<boolean>('a.currentTime >= 6.5'),
    );
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await until('paused', () => media<boolean>('a.paused'));
    await page.emulateMedia({ forcedColors: 'active' });
    try {
      expect(await page.evaluate("matchMedia('(forced-colors: active)').matches")).toBe(true);
      // Each part is drawn in a system colour of its own, not dropped with the author's colours.
      const drawn = (selector: string) =>
        page.evaluate(`(() => {
          const element = document.querySelector('${selector}');
          const style = getComputedStyle(element);
          return {
            adjust: style.getPropertyValue('forced-color-adjust'),
            background: style.backgroundColor,
            image: style.backgroundImage,
            width: element.getBoundingClientRect().width,
          };
        })()`) as Promise<{ adjust: string; background: string; image: string; width: number }>;
      const marker = await drawn('.timeline-marker');
      const head = await drawn('.timeline-head');
      const gap = await drawn('.timeline-gap');
      const bar = await drawn('.timeline-bar');
      expect(marker.adjust).toBe('none');
      expect(marker.width).toBeGreaterThanOrEqual(6);
      expect(marker.background).not.toBe(bar.background);
      expect(head.background).not.toBe(bar.background);
      expect(head.background).not.toBe(marker.background);
      expect(gap.image).toContain('repeating-linear-gradient');
      await snap(page, 'player-forced-colours');
    } finally {
      await page.emulateMedia({ forcedColors: 'none' });
    }
  });
});
