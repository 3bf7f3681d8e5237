// startApp(): the app's lifecycle, wiring only. The core, IPC, protocol and windows each live in
// their own module; this one connects them in order and tears them down on quit.
import path from 'node:path';
import {
  app,
  dialog,
  ipcMain,
  powerMonitor,
  protocol,
  safeStorage,
  type BrowserWindow,
} from 'electron';
import type { Core, CoreOptions } from './core/create-core';
import { appScheme, appUrl } from './app-origin';
import { createAppProtocolHandler } from './app-protocol';
import { loadDeviceSecret } from './device-secret';
import { registerIpc } from './ipc';
import { closeCaptureWindow, openCaptureWindow } from './capture-window';
import { createReviewMode } from './review-mode';
import { createSecureWindow, isCaptureContents, isOwnedContents } from './window';

export interface StartOptions {
  createCore: (options: CoreOptions) => Promise<Core>;
  /** The built renderer (out/renderer): the only files app:// serves. */
  rendererDir: string;
  /** The bundled preload (out/preload/preload.cjs). */
  preloadPath: string;
  platform?: NodeJS.Platform;
}

export interface RunningApp {
  core: Core;
  mainWindow: BrowserWindow;
}

const tickMs = 1000;

/** Must run before 'ready': app:// behaves like https (standard, secure) so ES modules and fetch work. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: appScheme,
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        stream: true,
      },
    },
  ]);
}

function refuseToRun(title: string, message: string): null {
  dialog.showErrorBox(title, message);
  app.quit();
  return null;
}

/** Resolves to null when the app does not run (second instance, no keychain, vault folder unusable). */
export async function startApp(options: StartOptions): Promise<RunningApp | null> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  app.enableSandbox();
  registerAppScheme();

  let mainWindow: BrowserWindow | null = null;
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  // Closing the window ends the app, and quitting locks the vault.
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();

  const userData = app.getPath('userData');
  const secret = await loadDeviceSecret({
    safeStorage,
    file: path.join(userData, 'device-secret'),
    platform: options.platform ?? process.platform,
  });
  if (!secret.ok) return refuseToRun(secret.title, secret.message);

  protocol.handle(appScheme, createAppProtocolHandler(options.rendererDir));

  // The core decides when a consented recording starts and stops; these open and close the
  // hidden window that holds the microphone for exactly that long.
  const captureWindows = new Map<string, BrowserWindow>();
  const captureHost = {
    open: async (recordingId: string) => {
      // Stored before its page loads: a close() during the load (a recording stopped at once)
      // must disarm and destroy it then, not leave it armed to take the next recording's command.
      let created: BrowserWindow | undefined;
      const closedMeanwhile = () => captureWindows.get(recordingId) !== created;
      let window: BrowserWindow;
      try {
        window = await openCaptureWindow(options.preloadPath, true, (opening) => {
          created = opening;
          captureWindows.set(recordingId, opening);
        });
      } catch (error) {
        // The load failed because close() destroyed the window: nothing went wrong.
        if (created && closedMeanwhile()) return;
        captureWindows.delete(recordingId);
        throw error;
      }
      if (closedMeanwhile()) closeCaptureWindow(window);
    },
    close: (recordingId: string) => {
      const window = captureWindows.get(recordingId);
      captureWindows.delete(recordingId);
      if (window) closeCaptureWindow(window);
    },
  };

  // Main asks where an access-log export goes and writes it there; the page never saves a file.
  const chooseExportFile = async (suggestedName: string): Promise<string | null> => {
    const extension = path.extname(suggestedName).slice(1);
    const options = {
      defaultPath: path.join(app.getPath('documents'), suggestedName),
      filters: [
        extension === 'csv'
          ? { name: 'CSV (spreadsheet)', extensions: ['csv'] }
          : { name: 'Signed access-log bundle (JSON)', extensions: ['json'] },
      ],
      properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
    };
    const chosen =
      mainWindow && !mainWindow.isDestroyed()
        ? await dialog.showSaveDialog(mainWindow, options)
        : await dialog.showSaveDialog(options);
    return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
  };

  // While a client reviews, the main window is a kiosk; the core says when that starts and ends.
  const reviewMode = createReviewMode();

  let core: Core;
  try {
    core = await options.createCore({
      dataDir: path.join(userData, 'vault'),
      deviceSecret: secret.deviceSecret,
      captureHost,
      onSessionChange: (role) => reviewMode.follow(role),
      exportFiles: { choose: chooseExportFile },
    });
  } catch (error) {
    console.error('createCore failed', error);
    return refuseToRun(
      'Session Vault cannot start',
      'Session Vault could not open its vault folder. Nothing was changed. Check that the app folder can be read and written, then start Session Vault again.',
    );
  }

  registerIpc(
    ipcMain,
    core.dispatch,
    (event, frame) => frame.parent === null && isOwnedContents(event.sender),
    {
      callerOf: (event) => (isCaptureContents(event.sender) ? 'capture' : 'ui'),
      onForbidden: (channel, senderUrl) =>
        console.warn(`refused ${channel} from ${senderUrl ?? 'a closed frame'}`),
    },
  );

  const ticker = setInterval(() => core.tick(), tickMs);
  powerMonitor.on('suspend', () => core.lock('suspend'));
  powerMonitor.on('lock-screen', () => core.lock('screen-lock'));

  let closed = false;
  app.on('will-quit', () => {
    if (closed) return;
    closed = true;
    clearInterval(ticker);
    core.lock('quit');
    core.close();
  });

  mainWindow = createSecureWindow({ mode: 'main', preloadPath: options.preloadPath });
  reviewMode.attach(mainWindow);
  await mainWindow.loadURL(appUrl('index.html'));
  return { core, mainWindow };
}
