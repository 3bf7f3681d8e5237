// Small waits for the end-to-end tests: playwright-core has no expect(), so poll plainly.
import type { Locator, Page } from 'playwright-core';

/** Polls until `check` returns true, or fails with `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
}

export function visible(locator: Locator, timeout = 5_000): Promise<void> {
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
