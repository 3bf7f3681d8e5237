// createSecureWindow(): every security option, the navigation guards, the permission handler,
// review mode and the capture window, against a fake 'electron' that records what it is asked.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  FakeEvent,
  app,
  resetFakes,
  state,
  type BrowserWindow,
  type FakeWebContents,
} from './electron-fakes';

vi.mock('electron', () => import('./electron-fakes'));

const { appOrigin, armCapture, createSecureWindow, disarmCapture, isOwnedContents } =
  await import('../../../electron/window');
const { armCaptureWindow, capturePage, closeCaptureWindow, openCaptureWindow } =
  await import('../../../electron/capture-window');

const preloadPath = '/app/out/preload/preload.cjs';
type Window = BrowserWindow;
const asFake = (window: unknown): Window => window as Window;

function open(mode: 'main' | 'review' | 'capture' = 'main'): Window {
  return asFake(createSecureWindow({ mode, preloadPath }));
}

function fire(contents: FakeWebContents, name: string, url: string): FakeEvent {
  const event = new FakeEvent(url);
  contents.emit(name, event, url);
  return event;
}

function requestPermission(
  contents: FakeWebContents,
  permission: string,
  details: Record<string, unknown> = {},
): boolean {
  let granted: boolean | undefined;
  state.session.handlers.request?.(contents, permission, (answer) => (granted = answer), {
    isMainFrame: true,
    requestingUrl: contents.getURL(),
    ...details,
  });
  if (granted === undefined) throw new Error('the permission handler never answered');
  return granted;
}

function checkPermission(
  contents: FakeWebContents | null,
  permission: string,
  origin: string,
  details: Record<string, unknown> = {},
): boolean {
  const check = state.session.handlers.check;
  if (!check) throw new Error('no permission check handler');
  return check(contents, permission, origin, { isMainFrame: true, ...details });
}

beforeEach(() => resetFakes());

describe('createSecureWindow: web preferences', () => {
  it('sets every security option and the bundled preload', () => {
    const prefs = open().options.webPreferences;
    expect(prefs).toMatchObject({
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    });
  });

  it('turns devtools off in a packaged app and on in development', () => {
    app.isPackaged = true;
    expect(open().options.webPreferences.devTools).toBe(false);
    app.isPackaged = false;
    expect(open().options.webPreferences.devTools).toBe(true);
  });

  it('registers the window as one of ours until it is destroyed', async () => {
    const window = open();
    expect(isOwnedContents(window.webContents as never)).toBe(true);
    window.destroy();
    // Electron destroys the web contents a task after the window.
    await vi.waitFor(() => expect(isOwnedContents(window.webContents as never)).toBe(false));
  });
});

describe('createSecureWindow: navigation and new windows', () => {
  it('denies window.open for every URL, our own included', () => {
    const { webContents } = open();
    for (const url of ['https://evil.example/', `${appOrigin}/index.html`, 'file:///etc/passwd']) {
      expect(webContents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    '%s: blocks other origins, allows our own',
    (name) => {
      const { webContents } = open();
      for (const url of [
        'https://evil.example/',
        'http://localhost:5173/',
        'file:///etc/passwd',
        'app://session-vault.evil.example/',
        'app://other/index.html',
        'app://user@session-vault/index.html',
        'javascript:alert(1)',
        'data:text/html,hi',
      ]) {
        expect(fire(webContents, name, url).defaultPrevented, url).toBe(true);
      }
      expect(fire(webContents, name, `${appOrigin}/index.html`).defaultPrevented).toBe(false);
      expect(fire(webContents, name, `${appOrigin}/capture.html#x`).defaultPrevented).toBe(false);
    },
  );

  it('refuses to attach a <webview>', () => {
    const { webContents } = open();
    const event = new FakeEvent();
    webContents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('blocks all network requests at the session', () => {
    open();
    const guard = state.session.handlers.beforeRequest;
    expect(guard?.filter.urls).toEqual(
      expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']),
    );
    const answer = vi.fn();
    guard?.listener({ url: 'https://evil.example/' }, answer);
    expect(answer).toHaveBeenCalledWith({ cancel: true });
  });

  it('refuses every download: the page never saves a file (main writes exports itself)', () => {
    open();
    open('review');
    const willDownload = state.session.sessionListeners.get('will-download');
    expect(willDownload).toBeTypeOf('function');
    const attempt = (url: string, mimeType: string) => {
      const event = new FakeEvent();
      willDownload?.(event, { getURL: () => url, getMimeType: () => mimeType });
      return !event.defaultPrevented;
    };
    const ours = `blob:${appOrigin}/6f1c0f3e-0000-4000-8000-000000000000`;
    // What the old guard let through: decrypted audio called "text/csv" looked the same.
    expect(attempt(ours, 'text/csv;charset=utf-8')).toBe(false);
    expect(attempt(ours, 'application/json;charset=utf-8')).toBe(false);
    expect(attempt(ours, 'text/csv')).toBe(false);
    expect(attempt(ours, 'audio/mp4')).toBe(false);
    expect(attempt(ours, 'application/octet-stream')).toBe(false);
    expect(attempt(`${appOrigin}/index.html`, 'text/html')).toBe(false);
    expect(attempt('blob:https://evil.example/1', 'text/csv')).toBe(false);
    expect(attempt('https://evil.example/log.csv', 'text/csv')).toBe(false);
    expect(attempt('data:text/csv,seq', 'text/csv')).toBe(false);
  });
});

describe('permissions', () => {
  async function armedCapture(): Promise<Window> {
    const window = asFake(await openCaptureWindow(preloadPath));
    armCaptureWindow(window as never);
    return window;
  }

  it('allows audio-only media for an armed capture window on our origin', async () => {
    const { webContents } = await armedCapture();
    expect(webContents.getURL()).toBe(capturePage);
    expect(
      requestPermission(webContents, 'media', {
        mediaTypes: ['audio'],
        securityOrigin: `${appOrigin}/`,
      }),
    ).toBe(true);
    expect(
      checkPermission(webContents, 'media', `${appOrigin}/`, {
        mediaType: 'audio',
        securityOrigin: `${appOrigin}/`,
      }),
    ).toBe(true);
  });

  it('denies camera, notifications, geolocation and every other permission, even to an armed capture window', async () => {
    const { webContents } = await armedCapture();
    for (const permission of [
      'notifications',
      'geolocation',
      'display-capture',
      'clipboard-read',
      'midi',
      'openExternal',
      'fullscreen',
    ]) {
      expect(requestPermission(webContents, permission), permission).toBe(false);
      expect(checkPermission(webContents, permission, appOrigin), permission).toBe(false);
    }
    expect(requestPermission(webContents, 'media', { mediaTypes: ['video'] })).toBe(false);
    expect(checkPermission(webContents, 'media', appOrigin, { mediaType: 'video' })).toBe(false);
  });

  it('denies media that asks for video with the audio', async () => {
    const { webContents } = await armedCapture();
    expect(requestPermission(webContents, 'media', { mediaTypes: ['audio', 'video'] })).toBe(false);
    expect(requestPermission(webContents, 'media', { mediaTypes: [] })).toBe(false);
    expect(requestPermission(webContents, 'media', {})).toBe(false);
    expect(checkPermission(webContents, 'media', appOrigin, { mediaType: 'unknown' })).toBe(false);
  });

  it('denies audio to a window that is not armed: the UI window, and a capture window before arming or after disarming', async () => {
    const ui = open();
    await ui.loadURL(`${appOrigin}/index.html`);
    expect(requestPermission(ui.webContents, 'media', { mediaTypes: ['audio'] })).toBe(false);
    expect(checkPermission(ui.webContents, 'media', appOrigin, { mediaType: 'audio' })).toBe(false);
    expect(() => armCapture(ui.webContents as never)).toThrow(/capture window/);

    const capture = asFake(await openCaptureWindow(preloadPath));
    expect(requestPermission(capture.webContents, 'media', { mediaTypes: ['audio'] })).toBe(false);
    armCaptureWindow(capture as never);
    expect(requestPermission(capture.webContents, 'media', { mediaTypes: ['audio'] })).toBe(true);
    disarmCapture(capture.webContents as never);
    expect(requestPermission(capture.webContents, 'media', { mediaTypes: ['audio'] })).toBe(false);
    expect(checkPermission(null, 'media', appOrigin, { mediaType: 'audio' })).toBe(false);
  });

  it('denies audio from a wrong origin, even to an armed capture window', async () => {
    const { webContents } = await armedCapture();
    for (const origin of [
      'https://evil.example',
      'file:///',
      'app://session-vault.evil',
      'app://other',
    ]) {
      expect(
        requestPermission(webContents, 'media', { mediaTypes: ['audio'], requestingUrl: origin }),
        origin,
      ).toBe(false);
      expect(
        requestPermission(webContents, 'media', { mediaTypes: ['audio'], securityOrigin: origin }),
        origin,
      ).toBe(false);
      expect(checkPermission(webContents, 'media', origin, { mediaType: 'audio' }), origin).toBe(
        false,
      );
    }
    // The window itself navigated elsewhere (the guards should make this impossible).
    webContents.url = 'https://evil.example/';
    expect(
      requestPermission(webContents, 'media', {
        mediaTypes: ['audio'],
        requestingUrl: capturePage,
      }),
    ).toBe(false);
  });

  it('denies audio to a subframe of the capture window', async () => {
    const { webContents } = await armedCapture();
    expect(
      requestPermission(webContents, 'media', { mediaTypes: ['audio'], isMainFrame: false }),
    ).toBe(false);
  });

  it('closing the capture window disarms it and destroys it', async () => {
    const window = await armedCapture();
    closeCaptureWindow(window as never);
    expect(window.destroyed).toBe(true);
    expect(requestPermission(window.webContents, 'media', { mediaTypes: ['audio'] })).toBe(false);
    expect(() => closeCaptureWindow(window as never)).not.toThrow();
  });

  it('denies every device (HID, serial, USB)', () => {
    open();
    expect(state.session.handlers.device?.({ deviceType: 'usb', origin: appOrigin })).toBe(false);
  });
});

describe('window modes', () => {
  it('capture: hidden, never shown, keeps its timers running', async () => {
    const window = asFake(await openCaptureWindow(preloadPath));
    expect(window.options.show).toBe(false);
    expect(window.count('ready-to-show')).toBe(0);
    expect(window.options.webPreferences.backgroundThrottling).toBe(false);
    expect(window.options.webPreferences.sandbox).toBe(true);
  });

  it('review: kiosk, fullscreen, no menu, no devtools even in development', () => {
    app.isPackaged = false;
    const window = open('review');
    expect(window.options).toMatchObject({ kiosk: true, fullscreen: true, autoHideMenuBar: true });
    expect(window.menuRemoved).toBe(true);
    expect(window.options.webPreferences.devTools).toBe(false);
  });

  it('review: blocks devtools, reload and new-window shortcuts, lets typing through', () => {
    const { webContents } = open('review');
    const press = (
      key: string,
      modifiers: Partial<Record<'control' | 'meta' | 'shift' | 'alt', boolean>> = {},
    ) => {
      const event = new FakeEvent();
      webContents.emit('before-input-event', event, {
        type: 'keyDown',
        key,
        control: false,
        meta: false,
        shift: false,
        alt: false,
        ...modifiers,
      });
      return event.defaultPrevented;
    };
    expect(press('F12')).toBe(true);
    expect(press('I', { control: true, shift: true })).toBe(true);
    expect(press('J', { control: true, shift: true })).toBe(true);
    expect(press('i', { meta: true, alt: true })).toBe(true);
    expect(press('r', { control: true })).toBe(true);
    expect(press('R', { meta: true, shift: true })).toBe(true);
    expect(press('F5')).toBe(true);
    expect(press('n', { control: true })).toBe(true);
    expect(press('t', { meta: true })).toBe(true);
    expect(press('a')).toBe(false);
    expect(press('I', { shift: true })).toBe(false);
    expect(press('Enter')).toBe(false);
  });

  it('main: shown when ready, with a menu and no shortcut filter', () => {
    const window = open('main');
    expect(window.options.show).toBe(false);
    expect(window.count('ready-to-show')).toBe(1);
    expect(window.webContents.count('before-input-event')).toBe(0);
    expect(window.options.kiosk).toBeUndefined();
  });
});
