// Client review mode for the main window. While a client reviews, the window is a kiosk: full
// screen, no menu, no devtools, and none of the shortcuts that reload, open a window, print, save
// or close. When the review ends (End review, idle, time up, any lock) it is put back as it was.
// Keys the page never sees (Alt+F4, the window manager's close, Alt+Tab, the Super key) are met
// by refusing 'close' and taking focus back on 'blur'; what each OS still lets through is in the
// README.
import type { BrowserWindow, Input } from 'electron';
import type { Role } from '../shared/api';

type ShortcutInput = Pick<Input, 'type' | 'key' | 'control' | 'meta' | 'shift' | 'alt'> & {
  code?: string;
};

/** The letter a key stands for, from the physical key too, so another keyboard layout gets none. */
function lettersOf(input: ShortcutInput): string[] {
  const letters = [input.key.toLowerCase()];
  const physical = /^Key([A-Z])$/.exec(input.code ?? '');
  if (physical?.[1]) letters.push(physical[1].toLowerCase());
  return letters;
}

/**
 * Keys a client in review never gets: devtools (F12, Ctrl/Cmd+Shift+I/J/C, Cmd+Alt+I/J/C),
 * reload (F5, Ctrl/Cmd+R, Ctrl+Shift+R), a new window or tab (Ctrl/Cmd+N/T), closing or quitting
 * (Ctrl/Cmd+W, Ctrl/Cmd+Q, Alt+F4, Ctrl+F4), leaving full screen (F11), hiding or minimising
 * (Cmd+H, Cmd+M), printing (Ctrl/Cmd+P), saving (Ctrl/Cmd+S) and opening a file (Ctrl/Cmd+O).
 * Zoom and ordinary typing pass.
 */
export function isBlockedReviewShortcut(input: ShortcutInput): boolean {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return false;
  const key = input.key.toLowerCase();
  const command = input.control || input.meta;
  if (['f5', 'f11', 'f12', 'browserrefresh', 'print'].includes(key)) return true;
  if (key === 'f4' && (input.alt || input.control)) return true;
  if (!command) return false;
  const letters = lettersOf(input);
  const has = (...keys: string[]) => letters.some((letter) => keys.includes(letter));
  if ((input.shift || input.alt) && has('i', 'j', 'c')) return true;
  return has('r', 'n', 't', 'w', 'q', 'p', 's', 'o', 'h', 'm');
}

/** The parts of a BrowserWindow review mode uses (so tests can hand in a fake). */
export type ReviewModeWindow = Pick<
  BrowserWindow,
  | 'isDestroyed'
  | 'isFullScreen'
  | 'isMenuBarVisible'
  | 'isMenuBarAutoHide'
  | 'setKiosk'
  | 'setFullScreen'
  | 'setAlwaysOnTop'
  | 'isAlwaysOnTop'
  | 'setMenuBarVisibility'
  | 'setAutoHideMenuBar'
  | 'focus'
  | 'on'
> & {
  webContents: Pick<BrowserWindow['webContents'], 'on' | 'closeDevTools' | 'isDevToolsOpened'>;
};

export interface ReviewMode {
  /** The window to switch; a role reported before it exists is applied when it arrives. */
  attach(window: ReviewModeWindow): void;
  /** Called with the signed-in role after every change: review mode exactly while it is 'client'. */
  follow(role: Role | null): void;
  readonly active: boolean;
}

interface SavedWindowState {
  fullScreen: boolean;
  menuBarVisible: boolean;
  menuBarAutoHide: boolean;
  alwaysOnTop: boolean;
}

export function createReviewMode(): ReviewMode {
  let window: ReviewModeWindow | null = null;
  let wanted = false;
  let saved: SavedWindowState | null = null;

  const usable = (): ReviewModeWindow | null => (window && !window.isDestroyed() ? window : null);

  function enter(target: ReviewModeWindow): void {
    if (saved) return;
    saved = {
      fullScreen: target.isFullScreen(),
      menuBarVisible: target.isMenuBarVisible(),
      menuBarAutoHide: target.isMenuBarAutoHide(),
      alwaysOnTop: target.isAlwaysOnTop(),
    };
    if (target.webContents.isDevToolsOpened()) target.webContents.closeDevTools();
    // Hidden, and not brought back by Alt: the menu's own shortcuts are filtered below too.
    target.setAutoHideMenuBar(false);
    target.setMenuBarVisibility(false);
    target.setKiosk(true);
    target.setFullScreen(true);
    // Above other windows, so one switched to with Alt+Tab cannot cover the review.
    target.setAlwaysOnTop(true, 'screen-saver');
    target.focus();
  }

  function leave(target: ReviewModeWindow): void {
    const before = saved;
    if (!before) return;
    saved = null;
    target.setKiosk(false);
    target.setAlwaysOnTop(before.alwaysOnTop);
    target.setFullScreen(before.fullScreen);
    target.setAutoHideMenuBar(before.menuBarAutoHide);
    target.setMenuBarVisibility(before.menuBarVisible);
  }

  function apply(): void {
    const target = usable();
    if (!target) return;
    if (wanted) enter(target);
    else leave(target);
  }

  return {
    attach(next) {
      window = next;
      saved = null;
      const contents = next.webContents;
      contents.on('before-input-event', (event, input) => {
        if (saved && isBlockedReviewShortcut(input)) event.preventDefault();
      });
      // Devtools cannot be switched off at run time; they are closed the moment they open.
      contents.on('devtools-opened', () => {
        if (saved) contents.closeDevTools();
      });
      next.on('leave-full-screen', () => {
        if (saved && usable()) next.setFullScreen(true);
      });
      // Alt+F4 and the window manager's close button reach the window, not the page. Quitting
      // locks first (start-app's before-quit), which ends the review, so a quit still closes.
      next.on('close', (event) => {
        if (saved) event.preventDefault();
      });
      // Alt+Tab, the Super key or a click elsewhere: the review takes the focus back.
      next.on('blur', () => {
        if (saved && usable()) next.focus();
      });
      apply();
    },
    follow(role) {
      wanted = role === 'client';
      apply();
    },
    get active() {
      return saved !== null;
    },
  };
}
