// Each role's main flow by keyboard alone: the therapist unlocks, opens the client, records,
// stops and plays back; the client types the PIN, agrees, plays and ends the review (the auditor's
// is auditor-hour.test.ts). Focus is checked after every action that hides or changes the control
// it was on. Then the therapist's main screens at 320 CSS px, with nothing to scroll sideways.
// No mouse click anywhere.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { SLOW_WAIT_MS, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import { focusLandsOn, focusNotLost, press, reflows, tabTo } from './keyboard';
import {
  PASSPHRASE,
  callerFor,
  createVaultWithClient,
  recorderStatus,
  type Dispatch,
} from './record-helpers';
import { snap } from './screens';

let host: TestHost;
let page: Page;
let call: Dispatch;

/** True once `condition` (an expression over the player's media element `a`) holds. */
function playerIs(condition: string): () => Promise<boolean> {
  return () =>
    page.evaluate(
      `(() => { const a = document.querySelector('[data-testid="player-audio"]'); return !!a && (${condition}); })()`,
    ) as Promise<boolean>;
}

describe('the therapist’s day, by keyboard alone', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost({ capturePage: true });
    page = host.page;
    call = callerFor(host.core.dispatch);
    await createVaultWithClient(call, host.clock.now());
    await call('session.lock');
    await page.reload();
    await visible(page.getByLabel('Passphrase', { exact: true }), SLOW_WAIT_MS);
  });

  afterAll(async () => {
    await host?.close();
  });

  it('unlocks, opens the client, records, stops and plays it back', async () => {
    await tabTo(page, page.getByLabel('Passphrase', { exact: true }));
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');
    // Home is the first screen after unlock; the Clients tab is a key press away.
    await focusLandsOn(page, page.getByRole('heading', { name: 'Home', level: 1 }), 'Home');
    await press(
      page,
      page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Clients' }),
    );
    await focusLandsOn(page, page.getByRole('heading', { name: 'Clients', level: 1 }), 'Clients');

    await press(page, page.getByRole('button', { name: /Alex Example/ }));
    await visible(page.getByRole('button', { name: 'Record a session' }), SLOW_WAIT_MS);
    await focusNotLost(page, 'opening the client');

    await press(page, page.getByRole('button', { name: 'Record a session' }));
    await visible(page.getByRole('heading', { name: /Record a session/ }));
    await focusNotLost(page, 'opening the Record screen');
    await press(
      page,
      page.getByLabel('I reconfirmed consent aloud at the start of this session'),
      'Space',
    );
    await press(page, page.getByRole('button', { name: 'Record', exact: true }));
    await visible(page.getByText('Recording', { exact: true }), SLOW_WAIT_MS);
    await focusNotLost(page, 'Record');
    await until(
      'three seconds of audio',
      async () => ((await recorderStatus(call))?.chunks ?? 0) >= 3,
      SLOW_WAIT_MS,
    );
    // Pause turns into Resume under the same finger, and stays focused while its request runs
    // (aria-disabled, not disabled, which would drop focus to the page body).
    const pauseOrResume = page.getByRole('button', { name: /^(Pause|Resume)$/ });
    await press(page, pauseOrResume);
    await focusLandsOn(page, pauseOrResume, 'Pause, while it is busy');
    await visible(page.getByTestId('record-state').getByText('Paused', { exact: true }));
    await focusLandsOn(page, page.getByRole('button', { name: 'Resume', exact: true }), 'Resume');
    await until('Resume to be ready', async () =>
      page
        .getByRole('button', { name: 'Resume', exact: true })
        .getAttribute('aria-disabled')
        .then((value) => value !== 'true'),
    );
    await page.keyboard.press('Enter');
    await visible(page.getByTestId('record-state').getByText('Recording', { exact: true }));
    await focusLandsOn(page, page.getByRole('button', { name: 'Pause', exact: true }), 'Pause');

    await press(page, page.getByRole('button', { name: 'Stop and save' }));
    await visible(page.getByRole('heading', { name: /^Saved: / }), SLOW_WAIT_MS);
    await focusNotLost(page, 'Stop and save');

    await press(page, page.getByRole('button', { name: 'Play it back' }));
    await visible(page.getByRole('heading', { name: 'Listen to a session' }), SLOW_WAIT_MS);
    await focusNotLost(page, 'Play it back');
    await press(page, page.getByRole('button', { name: 'Play', exact: true }));
    await until('playback to start', playerIs('!a.paused && a.currentTime > 0'), SLOW_WAIT_MS);
    // Play turns into Pause under the same finger: focus stays on the control.
    await focusNotLost(page, 'Play');
    await press(page, page.getByRole('button', { name: 'Pause', exact: true }));
    await until('playback to pause', playerIs('a.paused'));
    await focusNotLost(page, 'Pause');
    await snap(page, 'therapist-keyboard-player');
  });

  it('hands over; the client types the PIN, agrees, plays, closes the player and ends the review', async () => {
    await press(page, page.getByRole('button', { name: /Back to the client/ }));
    await press(page, page.getByRole('button', { name: 'Start client review' }));
    await press(page, page.getByRole('button', { name: 'Lock and hand over' }));
    const hello = page.getByRole('heading', { name: 'Hello, Alex', level: 1 });
    await visible(hello, SLOW_WAIT_MS);
    await tabTo(page, page.getByLabel('Your PIN', { exact: true }));
    await page.keyboard.type('482915');
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { name: 'Before you listen', level: 1 }), SLOW_WAIT_MS);
    await focusNotLost(page, 'the PIN');
    await press(page, page.getByRole('button', { name: 'I agree' }));
    await visible(page.getByRole('heading', { name: 'Your recordings', level: 1 }), SLOW_WAIT_MS);
    await focusNotLost(page, 'I agree');

    await press(page, page.getByRole('button', { name: 'Play', exact: true }));
    await visible(page.getByRole('button', { name: 'Close the player' }), SLOW_WAIT_MS);
    await focusNotLost(page, 'opening the player');
    await press(page, page.getByRole('button', { name: 'Play', exact: true }));
    await until(
      'the client’s playback to start',
      playerIs('!a.paused && a.currentTime > 0'),
      SLOW_WAIT_MS,
    );
    await press(page, page.getByRole('button', { name: 'Pause', exact: true }));
    await until('playback to pause', playerIs('a.paused'));
    await snap(page, 'client-keyboard-player');
    await press(page, page.getByRole('button', { name: 'Close the player' }));
    // Focus goes back to the Play that opened the player, not to the page body.
    await focusLandsOn(page, page.getByRole('button', { name: 'Play', exact: true }), 'Play');

    await press(page, page.getByRole('button', { name: 'End review' }));
    await visible(page.getByText('You ended your review.'), SLOW_WAIT_MS);
    await focusNotLost(page, 'End review');

    // The therapist takes the laptop back, still by keyboard.
    await press(page, page.getByRole('button', { name: 'I am the therapist' }));
    await tabTo(page, page.getByLabel('Passphrase', { exact: true }));
    await page.keyboard.type(PASSPHRASE);
    await page.keyboard.press('Enter');
    // Home is the first screen after unlock; the Clients tab is a key press away.
    await focusLandsOn(page, page.getByRole('heading', { name: 'Home', level: 1 }), 'Home');
    await press(
      page,
      page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Clients' }),
    );
    await focusLandsOn(page, page.getByRole('heading', { name: 'Clients', level: 1 }), 'Clients');
  });

  it('shows every main screen at 320 CSS px with nothing to scroll sideways', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    try {
      for (const tab of ['Clients', 'Access log', 'Auditors', 'Settings']) {
        await press(page, page.getByRole('button', { name: tab, exact: true }));
        await visible(page.getByRole('heading', { name: tab, level: 1 }), SLOW_WAIT_MS);
        await reflows(page);
        await snap(page, `therapist-${tab.toLowerCase().replace(' ', '-')}-320px`);
      }
      await press(page, page.getByRole('button', { name: 'Clients', exact: true }));
      await press(page, page.getByRole('button', { name: /Alex Example/ }));
      await visible(page.getByRole('button', { name: 'Record a session' }), SLOW_WAIT_MS);
      await reflows(page);
      await snap(page, 'therapist-client-320px');
    } finally {
      await page.setViewportSize({ width: 1200, height: 820 });
    }
  });

  it('an inline panel gives focus back to what opened it: Remove an auditor, then Keep', async () => {
    await call('auditors.add', {
      signInName: 'Pat Auditor',
      passphrase: 'granite meadow lighthouse violet 31',
    });
    await press(page, page.getByRole('button', { name: 'Clients', exact: true }));
    await press(page, page.getByRole('button', { name: 'Auditors', exact: true }));
    const remove = page.getByRole('button', { name: /^Remove Auditor (.+ \()?[0-9a-f]{6}…\)?$/ });
    await visible(remove, SLOW_WAIT_MS);
    await press(page, remove);
    await focusLandsOn(
      page,
      page.getByRole('heading', { name: /^Remove Auditor (.+ \()?[0-9a-f]{6}…\)?\?$/ }),
      'the panel',
    );
    await snap(page, 'auditors-remove-panel');
    await press(page, page.getByRole('button', { name: 'Keep', exact: true }));
    await focusLandsOn(page, remove, 'Remove, which opened the panel');
  });

  it('Add takeaway keeps focus while it saves and after (aria-disabled, not disabled)', async () => {
    await press(page, page.getByRole('button', { name: 'Clients', exact: true }));
    await press(page, page.getByRole('button', { name: /Alex Example/ }));
    const field = page.getByLabel('New takeaway');
    await visible(field, SLOW_WAIT_MS);
    await tabTo(page, field);
    await page.keyboard.type('Breathe out for six, in for four.');
    const add = page.getByRole('button', { name: 'Add takeaway' });
    await press(page, add);
    await visible(page.getByText('Breathe out for six, in for four.', { exact: true }).first());
    await focusLandsOn(page, add, 'Add takeaway');
    await focusNotLost(page, 'Add takeaway');
  });
});
