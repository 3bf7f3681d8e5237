// The auditor's hour by keyboard alone, and the app at 320 CSS px and in forced colours. The
// auditor signs in, reads subjects in words (a recording by its date), filters by typing a day
// as en-GB writes it, exports only the filtered entries as CSV (main filters; the bundle stays
// whole), and opens the file's folder. Focus is checked after every action that hides or changes
// the control it was on. No mouse click anywhere.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openVault, recordSeconds, signThroughCore } from './consent-helpers';
import { SLOW_WAIT_MS, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import { focusLandsOn, focusNotLost, press, reflows, tabTo } from './keyboard';
import { screenshotDir, snap } from './screens';

const auditorName = 'Pat Auditor';
const auditorPassphrase = 'granite meadow lighthouse violet 31';

let host: TestHost;
let page: Page;
let recordingId = '';

const summary = () => page.getByTestId('log-summary');
const filter = (label: string) => page.getByRole('search').getByLabel(label, { exact: true });

async function indexed(): Promise<void> {
  await until(
    'the log read in whole',
    async () =>
      (await summary().getAttribute('aria-busy')) === 'false' &&
      (await page.getByTestId('log-indexing').count()) === 0,
    SLOW_WAIT_MS,
  );
}

describe('the auditor’s hour, by keyboard alone', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    await openVault(host);
    const client = await call(host, 'clients.add', {
      displayName: 'Robin Example',
      otherParticipants: [],
    });
    await signThroughCore(host, client);
    recordingId = await recordSeconds(host, client.clientId, 3);
    await call(host, 'auditors.add', { signInName: auditorName, passphrase: auditorPassphrase });
    await call(host, 'session.lock');
    await page.reload();
    await visible(page.getByRole('button', { name: 'Sign in as an auditor' }), SLOW_WAIT_MS);
  });

  afterAll(async () => {
    await host?.close();
  });

  it('signs in from the lock screen', async () => {
    await press(page, page.getByRole('button', { name: 'Sign in as an auditor' }));
    await focusLandsOn(
      page,
      page.getByRole('heading', { name: 'Sign in as an auditor' }),
      'the form',
    );
    await tabTo(page, page.getByLabel('Name', { exact: true }));
    await page.keyboard.type(auditorName);
    await page.keyboard.press('Tab');
    await page.keyboard.type(auditorPassphrase);
    await page.keyboard.press('Enter');
    await focusLandsOn(
      page,
      page.getByRole('heading', { name: 'Access log — signed in as auditor' }),
      'the log’s heading',
    );
    await indexed();
  });

  it('names the therapist and the auditors, never a client', async () => {
    // The names come from the list sealed to the audit key, asked for once as the screen opens.
    await visible(page.getByText(/^Auditor Pat Auditor \([0-9a-f]{6}…\)$/).first());
    const who = await page.locator('.log-screen tbody tr td:nth-child(2)').allInnerTexts();
    expect(who).toContain('Therapist Dr. Jane Example');
    expect(who.filter((text) => text.startsWith('Auditor '))).not.toHaveLength(0);
    for (const text of who.filter((one) => one.startsWith('Auditor ')))
      expect(text).toMatch(/^Auditor Pat Auditor \([0-9a-f]{6}…\)$/);
    await visible(
      page.getByRole('button', {
        name: /^auditor Pat Auditor \([0-9a-f]{6}…\) \(show only entries about it\)$/,
      }),
    );
    expect(await page.locator('.shell-person').innerText()).toMatch(
      /^Auditor Pat Auditor \([0-9a-f]{6}…\)$/,
    );
    expect(await page.locator('.log-screen').innerText()).not.toContain('Robin Example');
    // The whole table fits a 1200 px window: nothing hides to the side, so nothing says it does.
    const region = page.getByRole('region', { name: /^Access log\./ });
    expect(await region.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
    expect(await page.getByTestId('log-scroll-hint').count()).toBe(0);
    await snap(page, 'auditor-log-names-1200px');
  });

  it('reads a recording by its date and client, and shows only the entries about it', async () => {
    const recording = page.getByRole('button', {
      name: /^recording of 14 Mar 2025, \d\d:\d\d CET, client [0-9a-f]{6}… \(show only entries about it\)$/,
    });
    await visible(recording.first());
    // No name on the auditor's screen, and the consent is named by its version.
    const text = await page.locator('.log-screen').innerText();
    expect(text).not.toContain('Robin Example');
    expect(text).toMatch(/consent version 1 of client [0-9a-f]{6}…/);
    await press(page, recording);
    await until(
      'the subject filter',
      async () => (await filter('Subject id').inputValue()) === recordingId,
    );
    await until('entries about the recording', async () =>
      /of [\d,]+ matching/.test(await summary().innerText()),
    );
    await focusNotLost(page, 'choosing a subject');
    const titles = await page
      .locator('.log-screen tbody tr td:nth-child(4) button')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('title')));
    expect(new Set(titles)).toEqual(new Set([recordingId]));
  });

  it('takes days typed as 14/03/2025, and says beside the field when one is not a day', async () => {
    const matching = await summary().innerText();
    await tabTo(page, filter('From'), { backwards: true });
    await page.keyboard.type('31/02/2025');
    await page.keyboard.press('Tab');
    await visible(page.getByText('Not a day. Type it as 30/11/2026.'));
    expect(await filter('From').getAttribute('aria-invalid')).toBe('true');
    await snap(page, 'auditor-day-not-a-day');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('15/03/2025');
    await until('nothing from the next day on', async () =>
      (await summary().innerText()).startsWith('No entries match'),
    );
    await page.keyboard.press('Control+A');
    await page.keyboard.type('14/03/2025');
    await page.keyboard.press('Tab');
    await page.keyboard.type('14/03/2025');
    await until(
      'the recording’s day again',
      async () => (await summary().innerText()) === matching,
    );
    expect(await page.getByText('Not a day.').count()).toBe(0);
  });

  it('exports only the filtered entries as CSV, and shows the file in its folder', async () => {
    const scope = await page.getByTestId('export-scope').innerText();
    expect(scope).toContain('The signed bundle always holds the whole log');
    expect(scope).toMatch(/CSV and FHIR hold only the \d+ entries the filters below show\./);
    const matched = Number(/only the (\d+) entries/.exec(scope)![1]);
    await press(page, page.getByRole('button', { name: 'Export CSV (filtered)' }));
    const done = page.getByTestId('export-done');
    await visible(done, SLOW_WAIT_MS);
    await focusLandsOn(page, done, 'what to do next');
    expect(await done.innerText()).toContain(
      `with ${matched} entries, only those the filters showed.`,
    );
    const file = host.exportedFiles.at(-1)!;
    const rows = readFileSync(file, 'utf8').trim().split('\r\n').slice(1);
    expect(rows).toHaveLength(matched);
    expect(rows.every((row) => row.split(',')[5] === recordingId)).toBe(true);
    await snap(page, 'auditor-export-filtered');

    await press(page, page.getByRole('button', { name: 'Show in folder' }));
    await until('main to show the file', async () => host.revealedFiles.length === 1);
    expect(host.revealedFiles).toEqual([file]);
    await focusNotLost(page, 'Show in folder');
  });

  it('Clear filters puts focus on the first filter, not the page body', async () => {
    await press(page, page.getByRole('button', { name: 'Clear filters' }));
    await focusLandsOn(page, filter('From'), 'the first filter');
    await until('the whole log', async () => /^Entries 1–/.test(await summary().innerText()));
    expect(await page.getByRole('button', { name: 'Clear filters' }).count()).toBe(0);
  });

  it('reflows at 320 CSS px with nothing to scroll sideways', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    try {
      await reflows(page);
      await snap(page, 'auditor-log-320px');
    } finally {
      await page.setViewportSize({ width: 1200, height: 820 });
    }
  });

  it('at 800 and 320 px the table scrolls inside its region, and says so', async () => {
    const region = page.getByRole('region', { name: /^Access log\./ });
    const frame = page.locator('.log-table-edges');
    const hiddenAtSides = () =>
      frame.evaluate((element) => ({
        left: element.hasAttribute('data-hidden-left'),
        right: element.hasAttribute('data-hidden-right'),
      }));
    try {
      await page.setViewportSize({ width: 800, height: 820 });
      await reflows(page);
      // Earlier steps focused rows far down the region; the pictures start at its top.
      await region.evaluate((element) => element.scrollTo(0, 0));
      // Whether it fits at 800 depends on the font; the sentence is there exactly when it does not.
      const hidden = await region.evaluate((element) => element.scrollWidth - element.clientWidth);
      await until(
        'the sentence to match the table',
        async () => (await page.getByTestId('log-scroll-hint').count()) === (hidden > 1 ? 1 : 0),
      );
      await snap(page, 'auditor-log-800px');

      await page.setViewportSize({ width: 320, height: 800 });
      await reflows(page);
      await visible(page.getByTestId('log-scroll-hint'));
      expect(await region.getAttribute('aria-describedby')).toBe('log-scroll-hint');
      await until('a shadow at the right edge', async () => (await hiddenAtSides()).right);
      expect((await hiddenAtSides()).left).toBe(false);
      await region.scrollIntoViewIfNeeded();
      await snap(page, 'auditor-log-table-320px');
      // The whole page is tall at 320 px: the table's own picture shows its edge.
      await frame.screenshot({ path: join(screenshotDir, 'auditor-log-table-320px-close.png') });
      // The keyboard scrolls it: focus the region, then the arrow keys.
      await tabTo(page, region);
      for (let step = 0; step < 8; step += 1) await page.keyboard.press('ArrowRight');
      await until('a shadow at the left edge too', async () => (await hiddenAtSides()).left);
      await snap(page, 'auditor-log-table-320px-scrolled');
      await frame.screenshot({
        path: join(screenshotDir, 'auditor-log-table-320px-scrolled-close.png'),
      });
    } finally {
      await page.setViewportSize({ width: 1200, height: 820 });
    }
  });

  it('keeps borders and the focus ring in forced colours', async () => {
    await page.emulateMedia({ forcedColors: 'active' });
    try {
      await tabTo(page, page.getByRole('button', { name: 'Export CSV' }));
      const ring = await page.evaluate<{ outline: string; width: string; border: string }>(`(() => {
        const style = getComputedStyle(document.activeElement);
        return { outline: style.outlineStyle, width: style.outlineWidth, border: style.borderTopStyle };
      })()`);
      expect(ring.outline).toBe('solid');
      expect(ring.width).toBe('3px');
      expect(ring.border).toBe('solid');
      await snap(page, 'auditor-log-forced-colours');
    } finally {
      await page.emulateMedia({ forcedColors: 'none' });
    }
  });
});
