// startApp(): the lifecycle wiring, with a fake 'electron' and a fake core. Also the device secret.
// The fuses flipped into packaged builds are in electron-packaging.test.ts.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { channels } from '../../../shared/api';
import { encodeRequest } from '../../../shared/wire';
import type { Core, CoreOptions, LockReason } from '../../../electron/core/create-core';
import {
  BrowserWindow,
  app,
  dialog,
  ipcMain,
  powerMonitor,
  protocol,
  resetFakes,
  safeStorage,
  shell,
  state,
} from './electron-fakes';

vi.mock('electron', () => import('./electron-fakes'));

const { startApp } = await import('../../../electron/start-app');
const { loadDeviceSecret } = await import('../../../electron/device-secret');

let userData: string;

interface FakeCore extends Core {
  locks: LockReason[];
  ticks: number;
  closed: number;
  options: CoreOptions | null;
}

function fakeCore(): FakeCore {
  const core: FakeCore = {
    locks: [],
    ticks: 0,
    closed: 0,
    options: null,
    dispatch: vi.fn(async (channel: unknown) => ({ ok: true as const, value: { channel } })),
    dispatchWire: vi.fn(async (channel: unknown) => ({ ok: true as const, value: { channel } })),
    handlers: {} as Core['handlers'],
    lock: (reason) => void core.locks.push(reason),
    tick: () => void core.ticks++,
    close: () => void core.closed++,
    settled: async () => undefined,
  };
  return core;
}

async function start(platform: NodeJS.Platform = 'linux') {
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
  });
  return { core, createCore, running };
}

beforeEach(async () => {
  resetFakes();
  userData = await mkdtemp(path.join(tmpdir(), 'vault-shell-'));
  app.userData = userData;
});

afterEach(async () => {
  vi.useRealTimers();
  await rm(userData, { recursive: true, force: true });
});

describe('startApp', () => {
  it('takes the single-instance lock, enables the sandbox and registers app:// before ready', async () => {
    const { running } = await start();
    expect(running).not.toBeNull();
    expect(app.calls.slice(0, 3)).toEqual([
      'requestSingleInstanceLock',
      'enableSandbox',
      'whenReady',
    ]);
    expect(protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect([...protocol.handlers.keys()]).toEqual(['app']);
  });

  it('a second instance quits at once, and the first one focuses its window', async () => {
    const { running } = await start();
    const window = running?.mainWindow as unknown as InstanceType<typeof BrowserWindow>;
    window.minimized = true;
    app.emit('second-instance');
    expect(window.calls).toEqual(['restore', 'show', 'focus']);

    resetFakes();
    app.gotLock = false;
    const second = await start();
    expect(second.running).toBeNull();
    expect(second.createCore).not.toHaveBeenCalled();
    expect(app.calls).toEqual(['requestSingleInstanceLock', 'quit']);
  });

  it('opens the core in userData/vault with the device secret, and loads only app://session-vault', async () => {
    const { core, running } = await start();
    expect(core.options?.dataDir).toBe(path.join(userData, 'vault'));
    expect(core.options?.deviceSecret).toBeInstanceOf(Uint8Array);
    expect(core.options?.deviceSecret.length).toBe(32);
    const window = running?.mainWindow as unknown as InstanceType<typeof BrowserWindow>;
    expect(window.webContents.getURL()).toBe('app://session-vault/index.html');
    expect(window.options.webPreferences.preload).toBe('/app/out/preload/preload.cjs');
  });

  it('gives the core a save dialog for exports: in Documents, on the main window, null if cancelled', async () => {
    const { core, running } = await start();
    const choose = core.options?.exportFiles?.choose;
    expect(choose).toBeTypeOf('function');
    expect(await choose!('access-log-2026-11-26-0930.json')).toBeNull();
    expect(dialog.saves).toHaveLength(1);
    expect(dialog.saves[0]?.parent).toBe(running?.mainWindow);
    expect(dialog.saves[0]?.options).toMatchObject({
      defaultPath: path.join(userData, 'Documents', 'access-log-2026-11-26-0930.json'),
      filters: [{ extensions: ['json'] }],
    });
    dialog.saveAnswer = { canceled: false, filePath: '/home/pat/log.csv' };
    expect(await choose!('access-log-2026-11-26-0930.csv')).toBe('/home/pat/log.csv');
    expect(dialog.saves[1]?.options).toMatchObject({ filters: [{ extensions: ['csv'] }] });
  });

  it('shows a finished export in its folder through the OS shell, with the path the core gives', async () => {
    const { core } = await start();
    const reveal = core.options?.exportFiles?.reveal;
    expect(reveal).toBeTypeOf('function');
    reveal!('/home/pat/log.csv');
    expect(shell.shown).toEqual(['/home/pat/log.csv']);
  });

  it('registers every channel, and only the main frame of one of our windows reaches the core', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { core, running } = await start();
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...channels].sort());
    const window = running?.mainWindow as unknown as InstanceType<typeof BrowserWindow>;
    const handler = ipcMain.handlers.get('vault.status');
    const event = (sender: unknown, parent: unknown) =>
      ({
        sender,
        senderFrame: { url: 'app://session-vault/index.html', parent },
      }) as unknown as IpcMainInvokeEvent;

    // The page's request arrives as the preload encodes it, and goes to the door that reads bytes.
    const request = encodeRequest({});
    await expect(handler?.(event(window.webContents, null), request)).resolves.toMatchObject({
      ok: true,
    });
    expect(core.dispatchWire).toHaveBeenCalledWith('vault.status', request, 'ui');
    expect(core.dispatch).not.toHaveBeenCalled();

    vi.mocked(core.dispatchWire).mockClear();
    await expect(handler?.(event(window.webContents, {}), request)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    await expect(handler?.(event({ id: 9999 }, null), request)).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(core.dispatchWire).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('locks the core on system suspend and on screen lock', async () => {
    // lock-screen is a macOS and Windows event; Linux is in electron-lifecycle.test.ts.
    const { core } = await start('darwin');
    powerMonitor.emit('suspend');
    powerMonitor.lockScreen();
    expect(core.locks).toEqual(['suspend', 'screen-lock']);
  });

  it('ticks the core every second, and stops, locks and closes it on quit', async () => {
    vi.useFakeTimers();
    const { core } = await start();
    vi.advanceTimersByTime(3000);
    expect(core.ticks).toBe(3);
    app.emit('will-quit');
    app.emit('will-quit');
    vi.advanceTimersByTime(3000);
    expect(core.ticks).toBe(3);
    expect(core.locks).toEqual(['quit']);
    expect(core.closed).toBe(1);
  });

  it('quits when the last window closes', async () => {
    await start();
    app.calls.length = 0;
    app.emit('window-all-closed');
    expect(app.calls).toEqual(['quit']);
  });

  it('refuses to run on Linux with the basic_text backend: a clear dialog, quit, no core', async () => {
    safeStorage.backend = 'basic_text';
    const { running, createCore } = await start('linux');
    expect(running).toBeNull();
    expect(createCore).not.toHaveBeenCalled();
    expect(dialog.errors).toHaveLength(1);
    expect(dialog.errors[0]?.title).toBe('Session Vault cannot start');
    expect(dialog.errors[0]?.content).toMatch(/plain text/);
    expect(app.calls).toContain('quit');
    expect(BrowserWindow.instances).toHaveLength(0);
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('refuses to run when safeStorage has no encryption', async () => {
    safeStorage.available = false;
    const { running, createCore } = await start('darwin');
    expect(running).toBeNull();
    expect(createCore).not.toHaveBeenCalled();
    expect(dialog.errors[0]?.content).toMatch(/keychain/);
    expect(app.calls).toContain('quit');
  });

  it('shows a dialog and quits when the core cannot open', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const running = await startApp({
      createCore: async () => {
        throw new Error('disk full');
      },
      rendererDir: userData,
      preloadPath: '/p.cjs',
      platform: 'linux',
    });
    expect(running).toBeNull();
    expect(dialog.errors[0]?.content).toMatch(/could not open its vault folder/);
    expect(app.calls).toContain('quit');
  });
});

describe('device secret', () => {
  // safeStorage answers nothing before 'ready'.
  beforeEach(() => app.whenReady());
  const options = () => ({
    safeStorage,
    file: path.join(userData, 'device-secret'),
    platform: 'linux' as const,
  });

  it('creates 32 random bytes once, stores them only encrypted, and reads the same bytes back', async () => {
    const first = await loadDeviceSecret({
      ...options(),
      random: () => new Uint8Array(32).fill(7),
    });
    expect(first).toMatchObject({ ok: true, created: true });
    const stored = await readFile(options().file, 'utf8');
    expect(Buffer.from(stored, 'base64').toString('utf8')).toMatch(/^sealed:/);
    expect(stored).not.toContain(Buffer.alloc(32, 7).toString('base64'));

    const again = await loadDeviceSecret(options());
    expect(again).toMatchObject({ ok: true, created: false });
    expect(again.ok && Array.from(again.deviceSecret)).toEqual(Array(32).fill(7));
  });

  it('never replaces a secret it cannot decrypt', async () => {
    await writeFile(options().file, Buffer.from('not sealed').toString('base64'));
    const result = await loadDeviceSecret(options());
    expect(result).toMatchObject({ ok: false, title: 'Session Vault cannot start' });
    expect(await readFile(options().file, 'utf8')).toBe(
      Buffer.from('not sealed').toString('base64'),
    );
  });

  it('says the keychain did not answer when it is locked, and keeps the secret', async () => {
    await loadDeviceSecret(options());
    const stored = await readFile(options().file, 'utf8');
    safeStorage.busy = true;
    expect(await loadDeviceSecret(options())).toMatchObject({
      ok: false,
      message: expect.stringMatching(/did not answer/),
    });
    expect(await readFile(options().file, 'utf8')).toBe(stored);
  });

  it('uses only the async safeStorage methods (the sync ones are deprecated in Electron 45)', async () => {
    const first = await loadDeviceSecret(options());
    safeStorage.rotated = true;
    const again = await loadDeviceSecret(options());
    expect(again.ok && Array.from(again.deviceSecret)).toEqual(
      first.ok && Array.from(first.deviceSecret),
    );
    expect(safeStorage.syncCalls).toBe(0);
  });

  it('refuses a stored secret of the wrong length', async () => {
    await writeFile(
      options().file,
      safeStorage.encryptString(Buffer.alloc(16).toString('base64')).toString('base64'),
    );
    expect(await loadDeviceSecret(options())).toMatchObject({ ok: false });
  });

  it('accepts basic_text-free backends and ignores the backend off Linux', async () => {
    safeStorage.backend = 'basic_text';
    expect(await loadDeviceSecret({ ...options(), platform: 'win32' })).toMatchObject({ ok: true });
    safeStorage.backend = 'kwallet6';
    expect(await loadDeviceSecret(options())).toMatchObject({ ok: true });
  });
});
