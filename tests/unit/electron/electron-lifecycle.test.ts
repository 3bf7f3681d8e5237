// What the operating system and the person do to a running app, against a fake 'electron' that
// behaves like Electron 45 (tests/unit/electron/electron-fakes.ts): closing the main window during a
// recording, a second launch, screen lock where no event comes, idle sleep, the macOS
// microphone prompt, the Linux keychain choice and a native module built for another runtime.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core, CoreOptions, LockReason } from '../../../electron/core/create-core';
import {
  BrowserWindow,
  app,
  dialog,
  powerMonitor,
  powerSaveBlocker,
  resetFakes,
  state,
  systemPreferences,
} from './electron-fakes';

vi.mock('electron', () => import('./electron-fakes'));

const { startApp } = await import('../../../electron/start-app');
const { capturePage } = await import('../../../electron/capture-window');
const { checkNativeModules, installationSentence } =
  await import('../../../electron/native-modules');
const { choosePasswordStore } = await import('../../../electron/password-store');

type Window = InstanceType<typeof BrowserWindow>;

let userData: string;

interface FakeCore extends Core {
  locks: LockReason[];
  closed: number;
  options: CoreOptions | null;
}

/** Stops a recording as the real recorder does: the capture window closes once it is finalised. */
function fakeCore(): FakeCore {
  const core: FakeCore = {
    locks: [],
    closed: 0,
    options: null,
    dispatch: vi.fn(async (channel: unknown, payload: unknown) => {
      if (channel === 'recording.stop') {
        const { recordingId } = payload as { recordingId: string };
        await Promise.resolve();
        await core.options?.captureHost?.close(recordingId);
      }
      return { ok: true as const, value: {} };
    }),
    dispatchWire: vi.fn(async () => ({ ok: true as const, value: {} })),
    handlers: {} as Core['handlers'],
    lock: (reason) => void core.locks.push(reason),
    tick: () => undefined,
    close: () => void core.closed++,
    settled: async () => undefined,
  };
  return core;
}

async function start(
  platform: NodeJS.Platform = 'linux',
  extra: Partial<Parameters<typeof startApp>[0]> = {},
) {
  state.platform = platform;
  const core = fakeCore();
  const createCore = vi.fn(async (options: CoreOptions) => {
    core.options = options;
    return core;
  });
  const running = await startApp({
    createCore,
    rendererDir: path.join(userData, 'renderer'),
    preloadPath: '/app/out/preload/preload.cjs',
    platform,
    env: { XDG_CURRENT_DESKTOP: 'GNOME' },
    argv: ['/usr/bin/session-vault'],
    ...extra,
  });
  const captureHost = () => {
    const host = core.options?.captureHost;
    if (!host) throw new Error('no capture host');
    return host;
  };
  return { core, createCore, running, captureHost };
}

const captureWindows = (): Window[] =>
  BrowserWindow.instances.filter((window) => window.webContents.getURL() === capturePage);

beforeEach(async () => {
  resetFakes();
  userData = await mkdtemp(path.join(tmpdir(), 'vault-lifecycle-'));
  app.userData = userData;
});

afterEach(async () => {
  vi.useRealTimers();
  // Ends the tickers of this test's app.
  if (!app.ended) app.emit('will-quit', { preventDefault: () => undefined });
  await rm(userData, { recursive: true, force: true });
});

describe('closing the main window', () => {
  it('during a recording: stops it the ordinary way, closes the capture window, locks and quits', async () => {
    const { core, running, captureHost } = await start();
    await captureHost().open('rec-1');
    const [capture] = captureWindows();
    expect(capture?.isDestroyed()).toBe(false);

    (running?.mainWindow as unknown as Window).close();
    await vi.waitFor(() => expect(app.ended).toBe(true));

    expect(core.dispatch).toHaveBeenCalledWith('recording.stop', { recordingId: 'rec-1' }, 'ui');
    expect(capture?.isDestroyed()).toBe(true);
    expect(BrowserWindow.getAllWindows()).toEqual([]);
    expect(core.locks).toContain('quit');
    expect(core.closed).toBe(1);
  });

  it('when the recording cannot be stopped by the page’s rules, the core’s quit path ends it', async () => {
    const { core, running, captureHost } = await start();
    await captureHost().open('rec-1');
    vi.mocked(core.dispatch).mockResolvedValueOnce({
      ok: false,
      error: { code: 'VAULT_LOCKED', message: 'locked' },
    });
    (running?.mainWindow as unknown as Window).close();
    await vi.waitFor(() => expect(app.ended).toBe(true));
    expect(core.locks[0]).toBe('quit');
    expect(captureWindows().every((window) => window.isDestroyed())).toBe(true);
  });

  it('with nothing recording: quits and locks', async () => {
    const { core, running } = await start();
    (running?.mainWindow as unknown as Window).close();
    await vi.waitFor(() => expect(app.ended).toBe(true));
    expect(core.locks).toContain('quit');
  });

  it('a second launch shows a window even when the first one was closed', async () => {
    const { running } = await start();
    // Something kept this instance alive after its window closed (a refused quit).
    app.on('before-quit', (event) => (event as { preventDefault(): void }).preventDefault());
    const first = running?.mainWindow as unknown as Window;
    first.close();
    await vi.waitFor(() => expect(first.isDestroyed()).toBe(true));
    expect(BrowserWindow.getAllWindows()).toEqual([]);

    app.launchAgain();
    await vi.waitFor(() => expect(BrowserWindow.getAllWindows()).toHaveLength(1));
    const [again] = BrowserWindow.getAllWindows();
    expect(again?.webContents.getURL()).toBe('app://session-vault/index.html');
  });
});

describe('screen lock and sleep', () => {
  it('on Linux, where no lock-screen event exists, the ticker finds the locked screen once', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { core } = await start('linux');
    powerMonitor.lockScreen();
    expect(core.locks).toEqual([]);
    vi.advanceTimersByTime(3000);
    expect(core.locks).toEqual(['screen-lock']);
    powerMonitor.unlockScreen();
    vi.advanceTimersByTime(1000);
    powerMonitor.lockScreen();
    vi.advanceTimersByTime(1000);
    expect(core.locks).toEqual(['screen-lock', 'screen-lock']);
  });

  it('on macOS the event locks at once, and the ticker does not lock twice', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { core } = await start('darwin');
    powerMonitor.lockScreen();
    expect(core.locks).toEqual(['screen-lock']);
    vi.advanceTimersByTime(3000);
    expect(core.locks).toEqual(['screen-lock']);
  });

  it('holds off idle sleep while a recording runs, and lets go when it ends', async () => {
    const { captureHost } = await start();
    await captureHost().open('rec-1');
    expect([...powerSaveBlocker.active.values()]).toEqual(['prevent-app-suspension']);
    await captureHost().close('rec-1');
    expect(powerSaveBlocker.active.size).toBe(0);
  });
});

describe('the macOS microphone permission', () => {
  it('asks macOS before the first recording, then opens the capture window', async () => {
    const { captureHost } = await start('darwin');
    await captureHost().open('rec-1');
    expect(systemPreferences.asked).toBe(1);
    expect(captureWindows()).toHaveLength(1);
  });

  it('refused: no capture window, the recording ends as not allowed, and a sentence says where to allow it', async () => {
    systemPreferences.answer = false;
    const { core, captureHost } = await start('darwin');
    await captureHost().open('rec-1');
    expect(captureWindows()).toEqual([]);
    expect(core.dispatch).toHaveBeenCalledWith(
      'capture.failed',
      { recordingId: 'rec-1', reason: 'permission-denied' },
      'capture',
    );
    await vi.waitFor(() => expect(dialog.messages).toHaveLength(1));
    expect(dialog.messages[0]?.options.message).toMatch(/Privacy & Security › Microphone/);
    expect(powerSaveBlocker.active.size).toBe(0);

    // Refused before: macOS shows no prompt again, and the answer stands.
    await captureHost().open('rec-2');
    expect(systemPreferences.asked).toBe(1);
    expect(captureWindows()).toEqual([]);
  });

  it('is not asked on Linux or Windows', async () => {
    const { captureHost } = await start('linux');
    await captureHost().open('rec-1');
    expect(systemPreferences.asked).toBe(0);
    expect(captureWindows()).toHaveLength(1);
  });
});

describe('the Linux keychain', () => {
  it('on Sway with a Secret Service running: chooses it before ready, and starts', async () => {
    state.desktop = 'sway';
    const { running } = await start('linux', { env: { XDG_CURRENT_DESKTOP: 'sway' } });
    expect(app.commandLine.getSwitchValue('password-store')).toBe('gnome-libsecret');
    expect(running).not.toBeNull();
    expect(dialog.errors).toEqual([]);
  });

  it('outranks the --password-store=basic a test loader appends before the app runs', async () => {
    // Playwright's Electron loader (server/electron/loader.js) appends it with appendSwitch;
    // Chromium's CommandLine keeps the last value appended for a switch.
    app.commandLine.appendSwitch('password-store', 'basic');
    const { running } = await start('linux');
    expect(running).not.toBeNull();
    expect(app.commandLine.getSwitchValue('password-store')).toBe('gnome-libsecret');
  });

  it('with no keychain at all: refuses, and says what to install or set', async () => {
    state.desktop = 'i3';
    state.secretService = false;
    const { running } = await start('linux', { env: { XDG_CURRENT_DESKTOP: 'i3' } });
    expect(running).toBeNull();
    expect(dialog.errors[0]?.content).toMatch(/gnome-keyring/);
    expect(dialog.errors[0]?.content).toMatch(/SESSION_VAULT_PASSWORD_STORE/);
  });

  it('a choice on the command line or in SESSION_VAULT_PASSWORD_STORE wins; a wrong one is refused', async () => {
    const linux = { platform: 'linux' as const, argv: ['app'] };
    expect(choosePasswordStore({ ...linux, env: { XDG_CURRENT_DESKTOP: 'Hyprland' } })).toEqual({
      kind: 'switch',
      store: 'gnome-libsecret',
    });
    expect(
      choosePasswordStore({
        ...linux,
        env: { XDG_CURRENT_DESKTOP: 'KDE', KDE_SESSION_VERSION: '6' },
      }),
    ).toEqual({ kind: 'switch', store: 'kwallet6' });
    expect(
      choosePasswordStore({ ...linux, env: { SESSION_VAULT_PASSWORD_STORE: 'kwallet5' } }),
    ).toEqual({ kind: 'switch', store: 'kwallet5' });
    expect(
      choosePasswordStore({ ...linux, env: {}, argv: ['app', '--password-store=kwallet6'] }),
    ).toEqual({ kind: 'as-given' });
    expect(choosePasswordStore({ platform: 'darwin', env: {}, argv: [] })).toEqual({
      kind: 'as-given',
    });

    const { running, createCore } = await start('linux', {
      env: { SESSION_VAULT_PASSWORD_STORE: 'basic' },
    });
    expect(running).toBeNull();
    expect(createCore).not.toHaveBeenCalled();
    expect(dialog.errors[0]?.content).toMatch(/SESSION_VAULT_PASSWORD_STORE is set to “basic”/);
  });
});

describe('the native SQLite module', () => {
  it('loads in this runtime', async () => {
    expect(await checkNativeModules()).toEqual({ ok: true });
  });

  it('built for another runtime: an installation sentence, not a damaged vault, and no core', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const wrongBuild = () =>
      checkNativeModules(() => {
        throw new Error(
          "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 127. This version of Node.js requires NODE_MODULE_VERSION 140.",
        );
      });
    const { running, createCore } = await start('linux', { checkNativeModules: wrongBuild });
    expect(running).toBeNull();
    expect(createCore).not.toHaveBeenCalled();
    expect(dialog.errors).toEqual([
      { title: 'Session Vault cannot start', content: installationSentence },
    ]);
    expect(dialog.errors[0]?.content).not.toMatch(/damaged/);
  });
});
