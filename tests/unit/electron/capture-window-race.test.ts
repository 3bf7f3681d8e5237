// startApp()'s capture host when the core closes a capture window while its page still loads (a
// recording stopped at once): the window must go, disarmed, then and there, and never be stored
// armed where the next recording's command could reach it. Against a fake 'electron'.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core, CoreOptions } from '../../../electron/core/create-core';
import { BrowserWindow, app, resetFakes } from './electron-fakes';

vi.mock('electron', () => import('./electron-fakes'));

const { startApp } = await import('../../../electron/start-app');
const { capturePage } = await import('../../../electron/capture-window');
const { isCaptureArmed } = await import('../../../electron/window');

type CaptureHost = NonNullable<CoreOptions['captureHost']>;
type Window = InstanceType<typeof BrowserWindow>;

let userData: string;
/** Capture page loads the test settles by hand, oldest first. */
let pendingLoads: { window: Window; resolve: () => void; reject: (error: Error) => void }[];

async function startWithCaptureHost(): Promise<CaptureHost> {
  let captureHost: CaptureHost | undefined;
  const core: Core = {
    dispatch: vi.fn(async () => ({ ok: true as const, value: {} })),
    dispatchWire: vi.fn(async () => ({ ok: true as const, value: {} })),
    handlers: {} as Core['handlers'],
    lock: () => undefined,
    tick: () => undefined,
    close: () => undefined,
    settled: async () => undefined,
  };
  const running = await startApp({
    createCore: async (options) => {
      captureHost = options.captureHost;
      return core;
    },
    rendererDir: path.join(userData, 'renderer'),
    preloadPath: '/app/out/preload/preload.cjs',
    platform: 'linux',
  });
  expect(running).not.toBeNull();
  if (!captureHost) throw new Error('startApp gave the core no capture host');
  return captureHost;
}

function captureWindows(): Window[] {
  return BrowserWindow.instances.filter((window) => window.webContents.getURL() === capturePage);
}

function armed(window: Window): boolean {
  return isCaptureArmed(window.webContents as never);
}

beforeEach(async () => {
  resetFakes();
  userData = await mkdtemp(path.join(tmpdir(), 'vault-capture-race-'));
  app.userData = userData;
  pendingLoads = [];
  const load = BrowserWindow.prototype.loadURL;
  vi.spyOn(BrowserWindow.prototype, 'loadURL').mockImplementation(function (
    this: Window,
    url: string,
  ) {
    if (url !== capturePage) return load.call(this, url);
    this.webContents.url = url;
    return new Promise<void>((resolve, reject) =>
      pendingLoads.push({ window: this, resolve, reject }),
    );
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(userData, { recursive: true, force: true });
});

describe('capture window closed while its page loads', () => {
  it('is disarmed and destroyed at once, and the finished load does not keep it', async () => {
    const captureHost = await startWithCaptureHost();
    const opening = Promise.resolve(captureHost.open('rec-1'));
    const [window] = captureWindows();
    expect(window).toBeDefined();
    expect(armed(window!)).toBe(true);

    await captureHost.close('rec-1');
    expect(window!.destroyed).toBe(true);
    expect(armed(window!)).toBe(false);

    pendingLoads.shift()!.resolve();
    await expect(opening).resolves.toBeUndefined();
    expect(window!.destroyed).toBe(true);
    expect(armed(window!)).toBe(false);

    // The next recording gets a window of its own; closing it leaves nothing armed behind.
    const next = Promise.resolve(captureHost.open('rec-2'));
    const nextWindow = captureWindows().find((w) => w !== window)!;
    pendingLoads.shift()!.resolve();
    await next;
    expect(armed(nextWindow)).toBe(true);
    await captureHost.close('rec-2');
    expect(nextWindow.destroyed).toBe(true);
    expect(captureWindows().filter((w) => !w.destroyed || armed(w))).toEqual([]);
  });

  it('a load that fails because close() destroyed the window is not an error', async () => {
    const captureHost = await startWithCaptureHost();
    const opening = Promise.resolve(captureHost.open('rec-1'));
    const [window] = captureWindows();
    await captureHost.close('rec-1');
    expect(window!.destroyed).toBe(true);
    pendingLoads.shift()!.reject(new Error('ERR_ABORTED (-3) loading capture.html'));
    await expect(opening).resolves.toBeUndefined();
  });

  it('a load that fails on its own still fails, and leaves no window stored or armed', async () => {
    const captureHost = await startWithCaptureHost();
    const opening = Promise.resolve(captureHost.open('rec-1'));
    const [window] = captureWindows();
    pendingLoads.shift()!.reject(new Error('ERR_FILE_NOT_FOUND (-6) loading capture.html'));
    await expect(opening).rejects.toThrow(/ERR_FILE_NOT_FOUND/);
    expect(window!.destroyed).toBe(true);
    expect(armed(window!)).toBe(false);
    await expect(Promise.resolve(captureHost.close('rec-1'))).resolves.toBeUndefined();
  });

  it('opened normally, it stays armed until the recording closes it', async () => {
    const captureHost = await startWithCaptureHost();
    const opening = Promise.resolve(captureHost.open('rec-1'));
    pendingLoads.shift()!.resolve();
    await opening;
    const [window] = captureWindows();
    expect(window!.destroyed).toBe(false);
    expect(armed(window!)).toBe(true);
    await captureHost.close('rec-1');
    expect(window!.destroyed).toBe(true);
    expect(armed(window!)).toBe(false);
  });
});
