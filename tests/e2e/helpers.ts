// Small waits for the end-to-end tests: playwright-core has no expect(), so poll plainly.
import type { Locator, Page } from 'playwright-core';

/**
 * How long a step waits for the page before it fails. CI is a shared, noisy 2-core machine where
 * an Argon2id unlock or a query under another worker's load takes seconds, not milliseconds: a
 * wait is for the condition itself, with room, never a guess at how long it takes.
 */
export const WAIT_MS = 15_000;
/** For what takes real time or a fresh page: a reload, a recording's chunks, playback, a restart. */
export const SLOW_WAIT_MS = 30_000;

/** Polls until `check` returns true, or fails with `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

export function visible(locator: Locator, timeout = WAIT_MS): Promise<void> {
  return locator.waitFor({ state: 'visible', timeout });
}

/** The text of the app-wide polite live region. */
export async function announced(page: Page): Promise<string> {
  return (await page.getByTestId('announcer').textContent()) ?? '';
}

/** The alert under a form, where a refused request is explained. */
export function formAlert(page: Page): Locator {
  return page.locator('p[role="alert"]');
}

/** Types back the group of the recovery key the sheet asks for, as a therapist does from paper. */
export async function typeBackRecoveryKey(page: Page): Promise<void> {
  const group = await page.locator('.recovery-key-group').nth(1).innerText();
  await page.getByLabel('Type group 2 of the key, from your copy').fill(group);
}

/** The therapist lands on Home after unlocking; tests about clients go on to the Clients tab. */
export async function fromHomeToClients(page: Page, timeout = WAIT_MS): Promise<void> {
  await visible(page.getByRole('heading', { name: 'Home', exact: true }), timeout);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('button', { name: 'Clients' })
    .click();
}
