// Keyboard-only driving for the e2e tests: Tab to a control and press it, and ask where focus is.
// A test that uses only these (and typing) proves a flow can be finished without a mouse.
import type { Locator, Page } from 'playwright-core';
import { until } from './helpers';

/** Whether the element this locator finds has focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate(
    (element) =>
      element ===
      (element as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument
        .activeElement,
  );
}

/** A short description of what has focus now: tag, role and accessible text. */
export function focusedElement(page: Page): Promise<string> {
  // A string, run in the page: these tests have no DOM types.
  return page.evaluate(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'body';
    const name = element.getAttribute('aria-label') ?? (element.textContent ?? '').trim().slice(0, 60);
    return element.tagName.toLowerCase() + (element.id ? '#' + element.id : '') + ' ' + name;
  })()`);
}

/** Presses Tab (or Shift+Tab) until the locator's element has focus; fails after `max` presses. */
export async function tabTo(
  page: Page,
  locator: Locator,
  options: { max?: number; backwards?: boolean } = {},
): Promise<void> {
  const max = options.max ?? 80;
  for (let i = 0; i < max; i += 1) {
    if (await isFocused(locator.first())) return;
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  if (await isFocused(locator.first())) return;
  throw new Error(
    `Tab never reached ${locator.toString()}; focus is on ${await focusedElement(page)}`,
  );
}

/** Tabs to a control and presses Enter on it. */
export async function press(page: Page, locator: Locator, key = 'Enter'): Promise<void> {
  await tabTo(page, locator);
  await page.keyboard.press(key);
}

/** Waits until focus is on the locator's element (after an action moved it). */
export async function focusLandsOn(page: Page, locator: Locator, what: string): Promise<void> {
  await until(`focus on ${what}`, () => isFocused(locator.first()));
}

/** Focus is somewhere on the page, never dropped to the body. */
export async function focusNotLost(page: Page, after: string): Promise<void> {
  const where = await focusedElement(page);
  if (where === 'body') throw new Error(`Focus fell to the page body after ${after}`);
}

/** The page is no wider than the window: nothing to scroll sideways (WCAG 1.4.10). */
export async function scrollsSideways(page: Page): Promise<number> {
  return page.evaluate(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
}

/** The elements that reach past the window's right edge, for a failing reflow check to name. */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5)
      .slice(0, 12)
      .map((element) => element.tagName.toLowerCase() + '.' + [...element.classList].join('.') +
        ' ' + Math.round(element.getBoundingClientRect().right) + 'px');
  })()`);
}

/** Waits for the page to reflow into the window; fails naming what is still too wide. */
export async function reflows(page: Page): Promise<void> {
  try {
    await until('the page to reflow', async () => (await scrollsSideways(page)) <= 0);
  } catch {
    const by = await scrollsSideways(page);
    throw new Error(`${by}px wider than the window: ${(await overflowing(page)).join(', ')}`);
  }
}
