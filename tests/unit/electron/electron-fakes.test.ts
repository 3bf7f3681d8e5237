// The fake 'electron' must not be kinder than Electron 45: each case is a behaviour of the real
// runtime (its typings, its source or its own spec) that a test of the app could otherwise miss.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeEvent } from './electron-fakes';
import {
  BrowserWindow,
  app,
  powerMonitor,
  resetFakes,
  safeStorage,
  state,
  systemPreferences,
} from './electron-fakes';

const window = (show = true) => new BrowserWindow({ show, webPreferences: {} });
const nextTask = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => resetFakes());
afterEach(() => resetFakes());

describe('windows', () => {
  it('counts hidden windows: window-all-closed waits for the last one, hidden or not', async () => {
    let allClosed = 0;
    app.on('window-all-closed', () => allClosed++);
    const shown = window();
    const hidden = window(false);
    shown.close();
    await nextTask();
    expect(shown.isDestroyed()).toBe(true);
    expect(allClosed).toBe(0);
    hidden.destroy();
    expect(allClosed).toBe(1);
  });

  it('without a window-all-closed listener, the last window closing quits', async () => {
    window().destroy();
    expect(app.calls).toContain('quit');
    expect(app.ended).toBe(true);
  });

  it('close() can be prevented; destroy() cannot, and skips the close event', async () => {
    const target = window();
    let closeEvents = 0;
    target.on('close', (event) => {
      closeEvents++;
      (event as FakeEvent).preventDefault();
    });
    target.close();
    await nextTask();
    expect(target.isDestroyed()).toBe(false);
    target.destroy();
    expect(target.isDestroyed()).toBe(true);
    expect(closeEvents).toBe(1);
  });

  it('destroys the web contents a task after the window', async () => {
    const target = window();
    let destroyed = false;
    target.webContents.on('destroyed', () => (destroyed = true));
    target.destroy();
    expect(destroyed).toBe(false);
    await nextTask();
    expect(destroyed).toBe(true);
  });

  it('emits full-screen events after the call returns', async () => {
    const target = window();
    const events: string[] = [];
    target.on('enter-full-screen', () => events.push('enter'));
    target.on('leave-full-screen', () => events.push('leave'));
    target.setFullScreen(true);
    expect(events).toEqual([]);
    await nextTask();
    target.setFullScreen(false);
    await nextTask();
    expect(events).toEqual(['enter', 'leave']);
  });

  it('quitting closes every window first, then will-quit; no window-all-closed on the way', async () => {
    const events: string[] = [];
    app.on('window-all-closed', () => events.push('window-all-closed'));
    app.on('before-quit', () => events.push('before-quit'));
    app.on('will-quit', () => events.push('will-quit'));
    const [one, two] = [window(), window(false)];
    app.quit();
    expect(events).toEqual(['before-quit']);
    await nextTask();
    expect(one.isDestroyed() && two.isDestroyed()).toBe(true);
    expect(events).toEqual(['before-quit', 'will-quit']);
  });
});

describe('platform', () => {
  it('lock-screen fires only on macOS and Windows; the idle state says locked everywhere', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      resetFakes();
      state.platform = platform;
      let events = 0;
      powerMonitor.on('lock-screen', () => events++);
      powerMonitor.lockScreen();
      expect(events, platform).toBe(platform === 'linux' ? 0 : 1);
      expect(powerMonitor.getSystemIdleState(60)).toBe('locked');
    }
  });

  it('the microphone prompt exists on macOS only', () => {
    state.platform = 'linux';
    expect(systemPreferences.askForMediaAccess).toBeUndefined();
    state.platform = 'darwin';
    expect(systemPreferences.askForMediaAccess).toBeTypeOf('function');
  });
});

describe('safeStorage', () => {
  it('answers nothing before ready', async () => {
    expect(safeStorage.isEncryptionAvailable()).toBe(false);
    expect(await safeStorage.isAsyncEncryptionAvailable()).toBe(false);
    expect(safeStorage.getSelectedStorageBackend?.()).toBe('unknown');
    await app.whenReady();
    expect(safeStorage.getSelectedStorageBackend?.()).toBe('gnome_libsecret');
  });

  it('basic_text: the sync API refuses, the async one falls back and says yes', async () => {
    state.desktop = 'sway';
    await app.whenReady();
    expect(safeStorage.getSelectedStorageBackend?.()).toBe('basic_text');
    expect(safeStorage.isEncryptionAvailable()).toBe(false);
    expect(await safeStorage.isAsyncEncryptionAvailable()).toBe(true);
    safeStorage.setUsePlainTextEncryption(true);
    expect(safeStorage.isEncryptionAvailable()).toBe(true);
  });

  it('the password-store switch chooses the keychain; one that does not answer falls back', async () => {
    state.desktop = 'Hyprland';
    app.commandLine.appendSwitch('password-store', 'gnome-libsecret');
    await app.whenReady();
    expect(safeStorage.getSelectedStorageBackend?.()).toBe('gnome_libsecret');
    state.secretService = false;
    expect(safeStorage.getSelectedStorageBackend?.()).toBe('basic_text');
  });

  it('getSelectedStorageBackend exists on Linux only', () => {
    state.platform = 'darwin';
    expect(safeStorage.getSelectedStorageBackend).toBeUndefined();
  });
});
