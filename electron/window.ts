// createSecureWindow(): the one window factory. Every window of the app comes from here, with the
// renderer sandboxed and isolated, navigation pinned to app://session-vault, and every permission
// refused except the microphone for an armed capture window.
import {
  app,
  BrowserWindow,
  type BrowserWindowConstructorOptions,
  type Event,
  type Session,
  type WebContents,
  type WebPreferences,
} from 'electron';
import { appOrigin, isAppUrl } from './app-origin';
import { isBlockedReviewShortcut } from './review-mode';

export { appOrigin, isBlockedReviewShortcut };

export type WindowMode = 'main' | 'review' | 'capture';

export interface SecureWindowOptions {
  mode: WindowMode;
  /** Absolute path of the bundled preload (out/preload/preload.cjs). */
  preloadPath: string;
}

/** webContents ids of windows made here: the only senders IPC listens to. */
const ownedContents = new Set<number>();
/** webContents ids of capture windows (mode 'capture'): the only ones that may ever be armed. */
const captureContents = new Set<number>();
/** webContents ids that main has armed for the microphone while a consented recording runs. */
const armedCapture = new Set<number>();
/** Sessions whose permission handlers are already installed. */
const hardenedSessions = new WeakSet<Session>();

export function isOwnedContents(contents: WebContents): boolean {
  return ownedContents.has(contents.id);
}

/** A capture window may call only the capture channels; every other window only the rest. */
export function isCaptureContents(contents: WebContents): boolean {
  return captureContents.has(contents.id);
}

/** Allows audio-only `media` for this capture window until disarmCapture(). */
export function armCapture(contents: WebContents): void {
  if (!captureContents.has(contents.id))
    throw new Error('Only a capture window can be armed for the microphone.');
  armedCapture.add(contents.id);
}

export function disarmCapture(contents: WebContents): void {
  armedCapture.delete(contents.id);
}

export function isCaptureArmed(contents: WebContents | null): boolean {
  return contents !== null && armedCapture.has(contents.id);
}

type MediaType = 'audio' | 'video' | 'unknown';

/** The one grant the app ever makes: audio only, from our origin, to an armed capture window. */
function mayUseMicrophone(
  contents: WebContents | null,
  permission: string,
  origins: ReadonlyArray<string | undefined>,
  mediaTypes: ReadonlyArray<MediaType> | undefined,
): boolean {
  const audioOnly =
    mediaTypes !== undefined &&
    mediaTypes.length > 0 &&
    mediaTypes.every((type) => type === 'audio');
  if (permission !== 'media' || !audioOnly) return false;
  if (!isCaptureArmed(contents) || !isAppUrl(contents?.getURL())) return false;
  // Every origin Chromium reports must be ours, and at least one must be reported.
  const reported = origins.filter((origin) => origin !== undefined);
  return reported.length > 0 && reported.every(isAppUrl);
}

function hardenSession(ses: Session): void {
  if (hardenedSessions.has(ses)) return;
  hardenedSessions.add(ses);
  ses.setPermissionRequestHandler((contents, permission, callback, details) => {
    const media =
      'mediaTypes' in details ? details : { mediaTypes: undefined, securityOrigin: undefined };
    callback(
      details.isMainFrame &&
        mayUseMicrophone(
          contents,
          permission,
          [details.requestingUrl, media.securityOrigin],
          media.mediaTypes,
        ),
    );
  });
  ses.setPermissionCheckHandler(
    (contents, permission, requestingOrigin, details) =>
      details.isMainFrame &&
      mayUseMicrophone(
        contents,
        permission,
        [requestingOrigin, details.securityOrigin, details.requestingUrl],
        details.mediaType ? [details.mediaType] : undefined,
      ),
  );
  ses.setDevicePermissionHandler(() => false);
  // A page never saves a file: whatever it calls a download (decrypted audio named "text/csv"
  // included) is refused. Access-log exports are written by main (core/audit/export-files.ts).
  ses.on('will-download', (event) => event.preventDefault());
  // Defence in depth behind the CSP: the app never talks to the network.
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );
}

function preferencesFor(options: SecureWindowOptions): WebPreferences {
  return {
    preload: options.preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    enableWebSQL: false,
    safeDialogs: true,
    // A client in review mode never gets devtools, not even in a development build.
    devTools: !app.isPackaged && options.mode !== 'review',
    // A hidden capture window must keep its MediaRecorder timeslices on time.
    backgroundThrottling: options.mode !== 'capture',
  };
}

function windowOptionsFor(mode: WindowMode): BrowserWindowConstructorOptions {
  const common = { title: 'Session Vault', backgroundColor: '#ffffff', show: false };
  switch (mode) {
    case 'main':
      return { ...common, width: 1100, height: 760, minWidth: 720, minHeight: 540 };
    case 'review':
      return { ...common, kiosk: true, fullscreen: true, autoHideMenuBar: true };
    case 'capture':
      return {
        ...common,
        width: 320,
        height: 240,
        skipTaskbar: true,
        focusable: false,
        paintWhenInitiallyHidden: false,
      };
  }
}

export function createSecureWindow(options: SecureWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...windowOptionsFor(options.mode),
    webPreferences: preferencesFor(options),
  });
  const contents = window.webContents;
  const id = contents.id;
  ownedContents.add(id);
  if (options.mode === 'capture') captureContents.add(id);
  contents.once('destroyed', () => {
    ownedContents.delete(id);
    captureContents.delete(id);
    armedCapture.delete(id);
  });

  hardenSession(contents.session);
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // A page that leaves our origin would keep the preload's window.vault: never let it leave.
  const stayOnAppOrigin = (event: Event, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event) => stayOnAppOrigin(event, event.url));
  contents.on('will-frame-navigate', (event) => stayOnAppOrigin(event, event.url));
  contents.on('will-redirect', (event) => stayOnAppOrigin(event, event.url));
  contents.on('will-attach-webview', (event) => event.preventDefault());

  if (options.mode === 'review') {
    window.removeMenu();
    contents.on('before-input-event', (event, input) => {
      if (isBlockedReviewShortcut(input)) event.preventDefault();
    });
  }
  if (options.mode !== 'capture') window.once('ready-to-show', () => window.show());
  return window;
}
