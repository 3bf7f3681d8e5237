// The player's keyboard shortcuts: one table, used both to act on a key and to list the keys on
// the screen, so the list can never promise a key that does nothing.

export const SPEEDS = [0.75, 1, 1.25, 1.5, 2] as const;
export const SMALL_SKIP_MS = 5_000;
export const LARGE_SKIP_MS = 15_000;

export type PlayerAction =
  { kind: 'toggle' } | { kind: 'skip'; ms: number } | { kind: 'speed'; speed: number };

export const shortcutList: { keys: string; does: string }[] = [
  { keys: 'Space', does: 'Play or pause' },
  { keys: '← →', does: 'Back or forward 5 seconds' },
  { keys: 'Shift + ← →', does: 'Back or forward 15 seconds' },
  { keys: '1 to 5', does: `Speed ${SPEEDS.map((s) => `${s}×`).join(', ')}` },
];

/** Where a key already means something of its own (typing, choosing a speed, pressing a button). */
function keyBelongsToTarget(key: string, target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  if (target instanceof HTMLInputElement) {
    if (target.type === 'range') return false;
    if (target.type === 'radio') return key !== ' ' && !/^[1-5]$/.test(key);
    return true;
  }
  if (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement)
    return key === ' ' || key === 'Enter';
  return false;
}

/** The action for a key pressed inside the player, or null to leave the key alone. */
export function playerActionFor(event: {
  key: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  target: EventTarget | null;
}): PlayerAction | null {
  if (event.altKey || event.ctrlKey || event.metaKey) return null;
  if (keyBelongsToTarget(event.key, event.target)) return null;
  if (event.key === ' ') return { kind: 'toggle' };
  const step = event.shiftKey ? LARGE_SKIP_MS : SMALL_SKIP_MS;
  if (event.key === 'ArrowLeft') return { kind: 'skip', ms: -step };
  if (event.key === 'ArrowRight') return { kind: 'skip', ms: step };
  const digit = /^[1-5]$/.test(event.key) ? Number(event.key) : 0;
  if (digit > 0) return { kind: 'speed', speed: SPEEDS[digit - 1]! };
  return null;
}
