// The passphrase in Chromium against the real core: changed from Settings (a wrong current one is
// said beside its field, Change waits for a strong new one typed twice), shown or hidden on
// request, a Caps Lock warning, and the lock screen saying why it locked.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openVault } from './consent-helpers';
import { fromHomeToClients, until, visible, WAIT_MS } from './helpers';
import { startTestHost, type TestHost } from './host';
import { snap } from './screens';

let host: TestHost;
let page: Page;
const OLD = 'copper heron tidal lantern 47';
const NEW = 'orchard velvet comet ninety seagull';
const changeButton = () => page.getByRole('button', { name: 'Change passphrase' });

describe('the passphrase, in Chromium', () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    page.setDefaultTimeout(WAIT_MS);
    await openVault(host);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Settings' })
      .click();
    await visible(page.getByRole('heading', { name: 'Passphrase', exact: true }));
  });

  afterAll(async () => {
    await host?.close();
  });

  it('says a wrong current passphrase beside its field, and changes nothing', async () => {
    const current = page.getByLabel('Passphrase in use');
    await current.fill('not my passphrase at all');
    expect(await changeButton().isDisabled()).toBe(true);
    await page.getByLabel('New passphrase', { exact: true }).fill(NEW);
    expect(await changeButton().isDisabled()).toBe(true);
    await page.getByLabel('Repeat the new passphrase').fill(NEW);
    await until('Change to wake up', () => changeButton().isEnabled());
    await changeButton().click();
    await until(
      'the field to be marked',
      async () => (await current.getAttribute('aria-invalid')) === 'true',
    );
    const describedBy = (await current.getAttribute('aria-describedby')) ?? '';
    const hint = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).innerText();
    expect(hint).toBe('That is not the passphrase in use. Nothing was changed.');

    // Show and hide, so a mistyped passphrase can be seen.
    const show = page.getByRole('button', { name: 'Show passphrase in use' });
    await show.click();
    expect(await current.getAttribute('type')).toBe('text');
    const hide = page.getByRole('button', { name: 'Hide passphrase in use' });
    expect(await hide.getAttribute('aria-pressed')).toBe('true');
    await snap(page, 'settings-passphrase-wrong');
    await hide.click();
    expect(await current.getAttribute('type')).toBe('password');
  });

  it('warns when Caps Lock is on', async () => {
    const current = page.getByLabel('Passphrase in use');
    await current.focus();
    await current.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true });
    await visible(page.getByText('Caps Lock is on.'));
    const describedBy = (await current.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator('.caps-lock-warning').getAttribute('id')).toSatisfy((id: string) =>
      describedBy.split(' ').includes(id),
    );
    await snap(page, 'settings-passphrase-caps-lock');
    await current.dispatchEvent('keyup', { key: 'A', modifierCapsLock: false });
    await until(
      'the warning to go',
      async () => (await page.getByText('Caps Lock is on.').count()) === 0,
    );
  });

  it('changes the passphrase, and the lock screen says why it locked', async () => {
    await page.getByLabel('Passphrase in use').fill(OLD);
    await changeButton().click();
    await visible(page.getByText('The passphrase is changed.', { exact: false }).first());
    expect(await page.getByLabel('Passphrase in use').inputValue()).toBe('');

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    const reason = page.getByTestId('lock-reason');
    await visible(reason);
    expect(await reason.innerText()).toMatch(/^Locked with the Lock button at \d\d:\d\d CES?T\.$/);
    await snap(page, 'lock-reason-button');

    await page.getByLabel('Passphrase', { exact: true }).fill(OLD);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await visible(
      page
        .getByText('The passphrase is not right', { exact: false })
        .or(page.locator('p[role="alert"]:not(:empty)')),
    );
    await page.getByLabel('Passphrase', { exact: true }).fill(NEW);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await fromHomeToClients(page);
  });
});
