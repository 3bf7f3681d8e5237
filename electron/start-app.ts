// startApp(): the app's lifecycle, wiring only. The core, IPC, protocol and windows each live in
// their own module; this one connects them in order and tears them down on quit.
import path from 'node:path';
import {
  app,
  dialog,
  ipcMain,
  powerMonitor,
  powerSaveBlocker,
  protocol,
  safeStorage,
  shell,
  systemPreferences,
  type BrowserWindow,
} from 'electron';
import type { Core, CoreOptions } from './core/create-core';
import { appScheme, appUrl } from './app-origin';
import { anchorKeyOf } from './core/platform/anchor-record';
import { KeychainAnchorStore } from './core/platform/anchor-store';
import { createAppProtocolHandler } from './app-protocol';
import { loadDeviceSecret } from './device-secret';
import { registerIpc } from './ipc';
import { closeCaptureWindow, openCaptureWindow } from './capture-window';
import { ensureMicrophoneAccess } from './microphone-access';
import { checkNativeModules, type NativeModuleCheck } from './native-modules';
import { choosePasswordStore, keychainStores, passwordStoreVariable } from './password-store';
import { createSleepBlocker, watchScreenLock } from './power';
import { createReviewMode } from './review-mode';
import { writeConsentPdf } from './consent-pdf';
import { createSecureWindow, isCaptureContents, isOwnedContents } from './window';

export interface StartOptions {
  createCore: (options: CoreOptions) => Promise<Core>;
  /** The built renderer (out/renderer): the only files app:// serves. */
  rendererDir: string;
  /** The bundled preload (out/preload/preload.cjs). */
  preloadPath: string;
  platform?: NodeJS.Platform;
  env?: NodeJS.ProcessEnv;
  argv?: readonly string[];
  /** Loads the native SQLite module once; tests hand in one that fails as a wrong build does. */
  checkNativeModules?: () => Promise<NativeModuleCheck>;
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
  const platform = options.platform ?? process.platform;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  app.enableSandbox();
  registerAppScheme();
  const passwordStore = choosePasswordStore({
    platform,
    env: options.env ?? process.env,
    argv: options.argv ?? process.argv,
  });
  // Before 'ready': Chromium reads the switch when it sets up safeStorage.
  if (passwordStore.kind === 'switch')
    app.commandLine.appendSwitch('password-store', passwordStore.store);

  let mainWindow: BrowserWindow | null = null;
  let openMainWindow: (() => Promise<BrowserWindow>) | null = null;
  // A second launch always ends with a window in front: this one, or a new one if it was closed.
  app.on('second-instance', () => {
    if (mainWindow && !mainWindow.isDestroyed()) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
    } else if (openMainWindow) {
      void openMainWindow().catch((error: unknown) => console.error('window failed', error));
    }
  });
  // Quitting locks the vault (will-quit below).
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();

  if (passwordStore.kind === 'invalid') {
    return refuseToRun(
      'Session Vault cannot start',
      `${passwordStoreVariable} is set to “${passwordStore.value}”, which is not a keychain Session Vault can use. Set it to one of ${keychainStores.join(', ')}, or remove it, then start Session Vault again.`,
    );
  }
  const native = await (options.checkNativeModules ?? checkNativeModules)();
  if (!native.ok) {
    console.error('better-sqlite3 does not load', native.detail);
    return refuseToRun(native.title, native.message);
  }

  const userData = app.getPath('userData');
  const secret = await loadDeviceSecret({
    safeStorage,
    file: path.join(userData, 'device-secret'),
    platform,
  });
  if (!secret.ok) return refuseToRun(secret.title, secret.message);

  protocol.handle(appScheme, createAppProtocolHandler(options.rendererDir));

  // The core decides when a consented recording starts and stops; these open and close the
  // hidden window that holds the microphone for exactly that long.
  const captureWindows = new Map<string, BrowserWindow>();
  const sleepBlocker = createSleepBlocker(powerSaveBlocker);
  let core: Core | null = null;
  /** Recordings whose macOS microphone check is still running; close() removes them. */
  const askingMicrophone = new Set<string>();
  const mayUseMicrophone = async (recordingId: string): Promise<boolean> => {
    askingMicrophone.add(recordingId);
    const microphone = await ensureMicrophoneAccess(platform, systemPreferences);
    // Stopped while macOS asked: nothing to open.
    if (!askingMicrophone.delete(recordingId)) return false;
    if (microphone.ok) return true;
    // Reported as the capture window would report it, so the recording ends as refused.
    await core?.dispatch('capture.failed', { recordingId, reason: 'permission-denied' }, 'capture');
    void showWarning('The microphone is not allowed', microphone.message);
    return false;
  };
  const captureHost = {
    open: async (recordingId: string) => {
      if (platform === 'darwin' && !(await mayUseMicrophone(recordingId))) return;
      sleepBlocker.hold(recordingId);
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
        sleepBlocker.release(recordingId);
        throw error;
      }
      if (closedMeanwhile()) closeCaptureWindow(window);
    },
    close: (recordingId: string) => {
      askingMicrophone.delete(recordingId);
      const window = captureWindows.get(recordingId);
      captureWindows.delete(recordingId);
      sleepBlocker.release(recordingId);
      if (window) closeCaptureWindow(window);
    },
  };

  const showWarning = async (title: string, message: string): Promise<void> => {
    const options = { type: 'warning' as const, title, message, buttons: ['OK'] };
    if (mainWindow && !mainWindow.isDestroyed()) await dialog.showMessageBox(mainWindow, options);
    else await dialog.showMessageBox(options);
  };

  // Main asks where an access-log export goes and writes it there; the page never saves a file.
  const chooseExportFile = async (suggestedName: string): Promise<string | null> => {
    const extension = path.extname(suggestedName).slice(1);
    const options = {
      defaultPath: path.join(app.getPath('documents'), suggestedName),
      filters: [
        extension === 'csv'
          ? { name: 'CSV (spreadsheet)', extensions: ['csv'] }
          : extension === 'ndjson'
            ? { name: 'FHIR AuditEvents (NDJSON)', extensions: ['ndjson'] }
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

  // The signed consent on screen, as a tagged PDF file where the therapist chooses.
  const saveConsentPdf = async (
    suggestedName: string,
    info: { title: string; author: string },
  ): Promise<string | null> => {
    if (!mainWindow || mainWindow.isDestroyed()) return null;
    const chosen = await dialog.showSaveDialog(mainWindow, {
      defaultPath: path.join(app.getPath('documents'), suggestedName),
      filters: [{ name: 'PDF document', extensions: ['pdf'] }],
      properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const],
    });
    if (chosen.canceled || !chosen.filePath || mainWindow.isDestroyed()) return null;
    await writeConsentPdf(mainWindow.webContents, chosen.filePath, info);
    return chosen.filePath;
  };

  // While a client reviews, the main window is a kiosk; the core says when that starts and ends.
  const reviewMode = createReviewMode();

  let running: Core;
  try {
    running = await options.createCore({
      dataDir: path.join(userData, 'vault'),
      deviceSecret: secret.deviceSecret,
      anchorStore: new KeychainAnchorStore((vaultId) => anchorKeyOf(secret.deviceSecret, vaultId)),
      captureHost,
      onSessionChange: (role) => reviewMode.follow(role),
      // Only ever a path main wrote itself (the core keeps it per export id).
      exportFiles: { choose: chooseExportFile, reveal: (file) => shell.showItemInFolder(file) },
      consentPdf: { save: saveConsentPdf },
    });
  } catch (error) {
    console.error('createCore failed', error);
    return refuseToRun(
      'Session Vault cannot start',
      'Session Vault could not open its vault folder. Nothing was changed. Check that the app folder can be read and written, then start Session Vault again.',
    );
  }
  core = running;

  registerIpc(
    ipcMain,
    running.dispatchWire,
    (event, frame) => frame.parent === null && isOwnedContents(event.sender),
    {
      callerOf: (event) => (isCaptureContents(event.sender) ? 'capture' : 'ui'),
      onForbidden: (channel, senderUrl) =>
        console.warn(`refused ${channel} from ${senderUrl ?? 'a closed frame'}`),
    },
  );

  const screenLock = watchScreenLock(powerMonitor, () => running.lock('screen-lock'));
  const ticker = setInterval(() => {
    running.tick();
    screenLock.tick();
  }, tickMs);
  powerMonitor.on('suspend', () => running.lock('suspend'));
  // macOS and Linux send this before a shutdown or log-out, which skips before-quit.
  powerMonitor.on('shutdown', () => running.lock('quit'));

  // Quitting during a recording first stops it the ordinary way, so the capture window sends its
  // last chunk and the recording is finalised, then quits again.
  let finishingRecordings = false;
  const finishRecordingsThenQuit = async (): Promise<void> => {
    const stops = [...captureWindows.keys()].map(async (recordingId) => {
      const stopped = await running.dispatch('recording.stop', { recordingId }, 'ui');
      // Not the therapist's to stop (locked meanwhile): the core's own quit path ends it.
      if (!stopped.ok) running.lock('quit');
    });
    await Promise.allSettled(stops);
    for (const recordingId of [...captureWindows.keys()]) captureHost.close(recordingId);
    app.quit();
  };
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    if (captureWindows.size > 0) {
      event.preventDefault();
      if (!finishingRecordings) {
        finishingRecordings = true;
        void finishRecordingsThenQuit();
      }
      return;
    }
    // Before any window closes, so review mode lets go of the main window.
    running.lock('quit');
  });
  app.on('will-quit', (event?: { preventDefault(): void }) => {
    if (closed) return;
    closed = true;
    clearInterval(ticker);
    running.lock('quit');
    running.close();
    // The rollback anchor's last write (the quit's log head) goes to the keychain asynchronously:
    // quit once it has landed, or a restart would read the anchor one step behind.
    if (!event) return;
    event.preventDefault();
    void running.settled().finally(() => app.quit());
  });

  openMainWindow = async () => {
    const window = createSecureWindow({ mode: 'main', preloadPath: options.preloadPath });
    mainWindow = window;
    reviewMode.attach(window);
    // The hidden capture window counts as a window, so window-all-closed would never come while
    // it records: closing the main window is quitting, which ends the recording cleanly and locks.
    window.on('close', (event) => {
      if (captureWindows.size === 0) return;
      event.preventDefault();
      app.quit();
    });
    window.on('closed', () => {
      if (mainWindow === window) app.quit();
    });
    await window.loadURL(appUrl('index.html'));
    return window;
  };
  return { core: running, mainWindow: await openMainWindow() };
}
