// Where focus goes when a screen appears, and back to when a panel goes away.
import { useEffect, useLayoutEffect, useRef } from 'react';

export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return ref;
}

/**
 * When the focused control goes away with what it acted on (Stop in the header, a panel's last
 * button), focus would fall to the page body; the screen's heading is where a reader restarts.
 */
export function focusMainHeading(): void {
  const heading = document.querySelector<HTMLElement>('main h1');
  if (!heading) return;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus();
}

/** What opened a panel, remembered so it can be found again after React draws it anew. */
interface Opener {
  element: HTMLElement;
  tag: string;
  name: string;
}

function nameOf(element: HTMLElement): string {
  return (element.getAttribute('aria-label') ?? element.textContent ?? '').trim();
}

function isShown(element: HTMLElement): boolean {
  return element.isConnected && element.getClientRects().length > 0;
}

/** The opener itself, or the control drawn in its place (same kind, same name), if shown. */
function findOpener(opener: Opener): HTMLElement | null {
  if (isShown(opener.element)) return opener.element;
  if (!opener.name) return null;
  const candidates = document.querySelectorAll<HTMLElement>(`main ${opener.tag}`);
  return (
    [...candidates].find((element) => nameOf(element) === opener.name && isShown(element)) ?? null
  );
}

function openerOf(element: HTMLElement): Opener {
  return { element, tag: element.tagName.toLowerCase(), name: nameOf(element) };
}

// The control that opens a panel is often drawn away in the same render that draws the panel,
// so by then focus is on the body: the last control that had focus is remembered here.
let lastFocused: Opener | null = null;
if (typeof document !== 'undefined')
  document.addEventListener('focusin', (event) => {
    if (event.target instanceof HTMLElement && event.target !== document.body)
      lastFocused = openerOf(event.target);
  });

/**
 * For an inline panel (a confirmation, a form that opens in place): when it closes, focus goes
 * back to the control that opened it, or, when that is gone too, to the screen's heading, never
 * to the page body (WCAG 2.4.3). Focus that something else took on purpose is left where it is.
 * Call it in the panel; it remembers what had focus when the panel appeared.
 */
export function useReturnFocus(): void {
  const opener = useRef<Opener | null>(null);
  useLayoutEffect(() => {
    const active = document.activeElement;
    opener.current =
      active instanceof HTMLElement && active !== document.body ? openerOf(active) : lastFocused;
    return () => {
      const remembered = opener.current;
      // After React has drawn what replaces the panel.
      requestAnimationFrame(() => {
        const current = document.activeElement;
        if (current && current !== document.body && current.isConnected) return;
        const target = remembered ? findOpener(remembered) : null;
        if (target) target.focus();
        else focusMainHeading();
      });
    };
  }, []);
}

/** useReturnFocus for a panel drawn inline without a component of its own: render it inside. */
export function ReturnFocus(): null {
  useReturnFocus();
  return null;
}
