// Moves focus to a screen's heading when it appears, so a screen reader starts there.
import { useEffect, useRef } from 'react';

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
