// The therapist's screens say what a wrong clock did: set back (the vault keeps its own time), or
// leapt forward (nothing is destroyed by date until the therapist confirms it, with one button).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockText, uiText } from '../../shared/ui-text';
import { announced, until, visible, fromHomeToClients } from './helpers';
import { startTestHost, type TestClock, type TestHost } from './host';
import { snap } from './screens';

const DAY = 24 * 60 * 60_000;

/** The host's clocks, with a wall clock a person can set on its own. */
function settableClock(): TestClock & { setWall(to: number): void } {
  let wall = Date.UTC(2025, 2, 14, 9, 30);
  let monotonic = 0;
  return {
    now: () => wall,
    monotonicNow: () => monotonic,
    advance: (ms) => {
      wall += ms;
      monotonic += ms;
    },
    setWall: (to) => {
      wall = to;
    },
  };
}

let host: TestHost;
let page: Page;
const clock = settableClock();

describe('what a wrong clock did, on the therapist’s screens', () => {
  beforeAll(async () => {
    host = await startTestHost({ clock });
    page = host.page;
    const created = await host.core.dispatch('vault.create', {
      practiceName: 'Riverside Counselling',
      therapistName: 'Dr. Jane Example',
      passphrase: 'copper heron tidal lantern 47',
    });
    expect(created.ok).toBe(true);
    await page.reload();
    await fromHomeToClients(page);
    await visible(page.getByRole('heading', { name: 'Clients' }));
  });

  afterAll(async () => {
    await host?.close();
  });

  it('a clock set back a year: one sentence, nothing to confirm', async () => {
    clock.setWall(clock.now() - 365 * DAY);
    host.core.tick();
    const behind = page.getByTestId('clock-behind');
    await visible(behind);
    expect(await behind.textContent()).toBe(clockText.behind(365 * DAY));
    expect(await page.getByTestId('clock-held').count()).toBe(0);
    await snap(page, 'clock-set-back');
    clock.setWall(clock.now() + 365 * DAY);
    await until(
      'the sentence goes once the clock is right',
      async () => (await page.getByTestId('clock-behind').count()) === 0,
    );
  });

  it('a clock leapt ten years: destruction held until the therapist confirms the date', async () => {
    const leapTo = clock.now() + 10 * 365 * DAY;
    clock.setWall(leapTo);
    host.core.tick();
    const held = page.getByTestId('clock-held');
    await visible(held);
    expect(await held.getByRole('paragraph').first().textContent()).toBe(clockText.held(leapTo));
    await snap(page, 'clock-leapt-forward');
    await held.getByRole('button', { name: clockText.confirm(leapTo) }).click();
    await until(
      'the confirmation is announced',
      async () => (await announced(page)) === clockText.confirmed,
    );
    await until(
      'the notice goes once the date is confirmed',
      async () => (await page.getByTestId('clock-notice').count()) === 0,
    );
    await snap(page, 'clock-date-confirmed');
  });

  it('the lock screen shows the held date too, and says who can confirm it', async () => {
    const leapTo = clock.now() + 10 * 365 * DAY;
    clock.setWall(leapTo);
    host.core.tick();
    expect((await host.core.dispatch('session.lock', {})).ok).toBe(true);
    await visible(page.getByRole('heading', { name: uiText.lockedTitle }));
    const held = page.getByTestId('clock-held');
    await visible(held);
    expect(await held.getByRole('paragraph').first().textContent()).toBe(clockText.held(leapTo));
    expect(await held.getByRole('paragraph').nth(1).textContent()).toBe(
      clockText.confirmAfterUnlock,
    );
    expect(await held.getByRole('button').count()).toBe(0);
    await snap(page, 'clock-held-lock-screen');
  });
});
