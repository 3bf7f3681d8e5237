// The consent wizard is read with the client, often slowly: "n of 9" is read at every step, the
// idle lock warns a minute ahead in a focused alert dialog ("Keep going" tells main and gives
// focus back), and after the idle lock the unlock brings the wizard back at its step with what
// was typed (main kept the draft, sealed, in memory).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openVault } from './consent-helpers';
import { SLOW_WAIT_MS, announced, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import { focusLandsOn, isFocused } from './keyboard';
import { snap } from './screens';

const passphrase = 'copper heron tidal lantern 47';
const otherReason = 'To hear my own voice again, calmly';

let host: TestHost;
let page: Page;

const titles = [
  'Why you want to record',
  'What recordings are for',
  'Who may listen',
  'Where recordings are kept',
  'How long recordings are kept',
  'When therapy ends, or you change your mind',
  'Risks, and other choices',
  'Your PIN for listening',
  'Read it all again, and sign',
];

/** The step's heading has focus and its accessible name carries the count. */
async function atStep(step: number): Promise<void> {
  const name = `${step} of 9 · ${titles[step - 1]}`;
  const heading = page.getByRole('heading', { level: 1, name, exact: true });
  await visible(heading);
  await focusLandsOn(page, heading, `the heading "${name}"`);
}

async function next(step: number): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await atStep(step);
}

async function back(step: number): Promise<void> {
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await atStep(step);
}

/** Main's clock moves until the idle lock is `msLeft` away. */
async function idleLeft(msLeft: number): Promise<void> {
  const { idleMsLeft } = await call(host, 'vault.status');
  host.clock.advance((idleMsLeft ?? 0) - msLeft);
}

const warning = () => page.getByRole('alertdialog', { name: 'Are you still there?' });

describe('the consent wizard and the idle lock', () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    await openVault(host);
    await call(host, 'clients.add', { displayName: 'Alex Example', otherParticipants: [] });
    await page.getByRole('button', { name: 'Home', exact: true }).click();
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    await page.getByRole('button', { name: /Alex Example/ }).click();
    await page.getByRole('button', { name: 'Walk through consent' }).click();
  }, 120_000);

  afterAll(async () => {
    await host?.close();
  });

  it('reads "n of 9" and the step’s name at every step, forward and back', async () => {
    await atStep(1);
    await page.getByLabel('To listen again to what we talked about').check();
    await page.getByLabel('Something else').check();
    await page.getByLabel('The other reason, in a few words').fill(otherReason);
    await next(2);
    await next(3);
    await next(4);
    await page.getByLabel('We understand that recordings stay on this laptop only.').check();
    await page.getByLabel('We agree not to share or copy the recordings.').check();
    await next(5);
    await page.getByLabel('Keep each recording for this many days').fill('40');
    await next(6);
    await next(7);
    await page.getByLabel('The risks were explained, and we understand them.').check();
    await page.getByLabel('We understand that care does not depend on agreeing to record.').check();
    await next(8);
    await page.getByLabel('Choose a PIN of 6 or more digits').fill('482915');
    await page.getByLabel('Type the PIN again').fill('482915');
    await next(9);
    for (const step of [8, 7, 6, 5]) await back(step);
  });

  it('warns a minute before the idle lock; Keep going tells main and gives focus back', async () => {
    const days = page.getByLabel('Keep each recording for this many days');
    await days.focus();
    await idleLeft(50_000);
    await visible(warning());
    const keepGoing = warning().getByRole('button', { name: 'Keep going' });
    await focusLandsOn(page, keepGoing, 'Keep going');
    const said = await warning().innerText();
    expect(said).toContain('the vault locks in 0:50');
    expect(said).toContain('after you unlock, the consent comes back at this step');
    // Described by its sentences, so a screen reader reads them when focus moves in.
    expect(await warning().getAttribute('aria-describedby')).toBe('time-limit-body');
    await snap(page, 'wizard-idle-warning');

    await page.keyboard.press('Enter');
    await until('the warning to close', async () => (await warning().count()) === 0);
    await focusLandsOn(page, days, 'the field it was on');
    expect((await call(host, 'vault.status')).idleMsLeft).toBe(10 * 60_000);
    await atStepStill(5);
  });

  it('after the idle lock, the unlock brings the wizard back at its step with what was typed', async () => {
    await idleLeft(50_000);
    await visible(warning());
    host.clock.advance(50_000);
    await visible(page.getByRole('heading', { name: 'Session Vault is locked' }), SLOW_WAIT_MS);
    expect(await page.getByText('Alex Example').count()).toBe(0);

    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await atStep(5);
    await visible(page.getByTestId('wizard-resumed'));
    expect(await page.getByLabel('Keep each recording for this many days').inputValue()).toBe('40');
    expect(await announced(page)).toContain('The consent is back where you left it');
    await snap(page, 'wizard-resumed-after-lock');
    for (const step of [4, 3, 2, 1]) await back(step);
    expect(await page.getByLabel('The other reason, in a few words').inputValue()).toBe(
      otherReason,
    );
    expect(await page.getByLabel('Something else').isChecked()).toBe(true);

    // Leaving without signing forgets it.
    await page.getByRole('button', { name: 'Leave without signing' }).click();
    await until(
      'main to forget the draft',
      async () => (await call(host, 'consent.keptDraft')) === null,
    );
  });

  it('past the PIN step, a resume stops at the PIN: the PIN and signatures are never kept', async () => {
    await page.getByRole('button', { name: 'Walk through consent' }).click();
    await atStep(1);
    await page.getByLabel('To listen again to what we talked about').check();
    await next(2);
    await next(3);
    await next(4);
    await page.getByLabel('We understand that recordings stay on this laptop only.').check();
    await page.getByLabel('We agree not to share or copy the recordings.').check();
    await next(5);
    await next(6);
    await next(7);
    await page.getByLabel('The risks were explained, and we understand them.').check();
    await page.getByLabel('We understand that care does not depend on agreeing to record.').check();
    await next(8);
    await page.getByLabel('Choose a PIN of 6 or more digits').fill('482915');
    await page.getByLabel('Type the PIN again').fill('482915');
    await next(9);
    await until(
      'main to keep step 9',
      async () => (await call(host, 'consent.keptDraft'))?.step === 8,
    );
    expect(JSON.stringify(await call(host, 'consent.keptDraft'))).not.toContain('482915');

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await atStep(8);
    await visible(page.getByText(/choose the PIN again, then sign/));
    expect(await page.getByLabel('Choose a PIN of 6 or more digits').inputValue()).toBe('');
  });
});

/** Still on this step after the warning, with nothing moved. */
async function atStepStill(step: number): Promise<void> {
  const heading = page.getByRole('heading', {
    level: 1,
    name: `${step} of 9 · ${titles[step - 1]}`,
  });
  expect(await heading.count()).toBe(1);
  expect(await isFocused(heading)).toBe(false);
}
