import type { SafeStorage } from 'electron';

// A fake 'electron' module that records what the app asks of it. Tests install it with
// vi.mock('electron', () => import('./electron-fakes')) and drive the recorded handlers.
// It must never be kinder than Electron 45: where the real runtime counts windows, fires an event
// later, or only on some platforms, so does this (each difference cites electron.d.ts or the
// runtime's source, and tests/unit/electron/electron-fakes.test.ts checks it).
type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();

  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }

  once(name: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(name, wrapped);
      return listener(...args);
    };
    return this.on(name, wrapped);
  }

  off(name: string, listener: Listener): this {
    this.listeners.set(
      name,
      (this.listeners.get(name) ?? []).filter((known) => known !== listener),
    );
    return this;
  }

  emit(name: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) listener(...args);
  }

  count(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }
}

/** What a handler receives as its event: records preventDefault. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export interface PermissionHandlers {
  request?: (
    contents: unknown,
    permission: string,
    callback: (granted: boolean) => void,
    details: object,
  ) => void;
  check?: (contents: unknown, permission: string, origin: string, details: object) => boolean;
  device?: (details: object) => boolean;
  beforeRequest?: { filter: { urls: string[] }; listener: Listener };
}

export class FakeSession {
  readonly handlers: PermissionHandlers = {};
  setPermissionRequestHandler(handler: PermissionHandlers['request']): void {
    this.handlers.request = handler;
  }
  setPermissionCheckHandler(handler: PermissionHandlers['check']): void {
    this.handlers.check = handler;
  }
  setDevicePermissionHandler(handler: PermissionHandlers['device']): void {
    this.handlers.device = handler;
  }
  readonly sessionListeners = new Map<string, Listener>();
  on(event: string, listener: Listener): this {
    this.sessionListeners.set(event, listener);
    return this;
  }
  readonly webRequest = {
    onBeforeRequest: (filter: { urls: string[] }, listener: Listener) => {
      this.handlers.beforeRequest = { filter, listener };
    },
  };
}

let nextContentsId = 1;
export const state = {
  session: new FakeSession(),
  /** process.platform as the app's Electron would see it: events and APIs differ per platform. */
  platform: 'linux' as NodeJS.Platform,
  /** XDG_CURRENT_DESKTOP of the Linux session Chromium reads. */
  desktop: 'GNOME',
  /** Whether a Secret Service (GNOME Keyring, KeePassXC...) answers on the session bus. */
  secretService: true,
  kwallet: false,
};

type StorageBackend = ReturnType<SafeStorage['getSelectedStorageBackend']>;

/**
 * Chromium's choice (components/os_crypt/sync/key_storage_util_linux.cc): --password-store if
 * given, else from XDG_CURRENT_DESKTOP (unknown desktops such as sway, i3 or Hyprland get
 * basic_text); a chosen keychain that does not answer falls back to basic_text.
 */
function chromiumBackend(): Exclude<StorageBackend, 'unknown'> {
  const chosen = app.commandLine.getSwitchValue('password-store');
  const desktop = state.desktop.toUpperCase().split(':');
  const known = ['GNOME', 'UNITY', 'X-CINNAMON', 'XFCE', 'PANTHEON', 'DEEPIN', 'UKUI'];
  const guessed = desktop.includes('KDE')
    ? 'kwallet'
    : known.some((name) => desktop.includes(name))
      ? 'gnome-libsecret'
      : 'basic';
  const wanted = chosen || guessed;
  if (wanted === 'gnome-libsecret') return state.secretService ? 'gnome_libsecret' : 'basic_text';
  if (wanted === 'kwallet' || wanted === 'kwallet5' || wanted === 'kwallet6')
    return state.kwallet ? wanted : 'basic_text';
  return 'basic_text';
}

/** Electron defers these to a later task of its message loop: never within the caller's turn. */
function later(task: () => void): void {
  setImmediate(task);
}

export class FakeWebContents extends Emitter {
  readonly id = nextContentsId++;
  readonly session = state.session;
  url = '';
  devToolsOpened = false;
  isDevToolsOpened(): boolean {
    return this.devToolsOpened;
  }
  openDevTools(): void {
    this.devToolsOpened = true;
    this.emit('devtools-opened');
  }
  closeDevTools(): void {
    this.devToolsOpened = false;
  }
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
}

export class BrowserWindow extends Emitter {
  /** Every window ever made in this test, closed ones included. */
  static readonly instances: BrowserWindow[] = [];
  /** Electron's WindowList: the windows not yet closed, hidden ones included. */
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((window) => !window.destroyed);
  }
  readonly webContents = new FakeWebContents();
  menuRemoved = false;
  destroyed = false;
  minimized = false;
  visible = false;
  kiosk = false;
  fullScreen = false;
  menuBarVisible = true;
  menuBarAutoHide = false;
  alwaysOnTop = false;
  readonly calls: string[] = [];

  constructor(
    readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> },
  ) {
    super();
    this.visible = options.show !== false;
    BrowserWindow.instances.push(this);
  }
  removeMenu(): void {
    this.menuRemoved = true;
  }
  isKiosk(): boolean {
    return this.kiosk;
  }
  setKiosk(flag: boolean): void {
    this.kiosk = flag;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  setFullScreen(flag: boolean): void {
    const was = this.fullScreen;
    this.fullScreen = flag;
    // The window manager answers later; the event follows the transition, not the call.
    if (was && !flag) later(() => !this.destroyed && this.emit('leave-full-screen'));
    if (!was && flag) later(() => !this.destroyed && this.emit('enter-full-screen'));
  }
  isMenuBarVisible(): boolean {
    return this.menuBarVisible;
  }
  setMenuBarVisibility(visible: boolean): void {
    this.menuBarVisible = visible;
  }
  isAlwaysOnTop(): boolean {
    return this.alwaysOnTop;
  }
  setAlwaysOnTop(flag: boolean): void {
    this.alwaysOnTop = flag;
  }
  isMenuBarAutoHide(): boolean {
    return this.menuBarAutoHide;
  }
  setAutoHideMenuBar(hide: boolean): void {
    this.menuBarAutoHide = hide;
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.url = url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /**
   * No 'close' event and no beforeunload, but 'closed' and the window list as for any close
   * (BaseWindow::OnWindowClosed, WindowList::RemoveWindow); the web contents go a task later.
   */
  destroy(): void {
    if (this.destroyed) return;
    this.finishClose();
  }
  /** close() and the window manager's close button: 'close' may be prevented. */
  close(): void {
    if (this.destroyed) return;
    const event = new FakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) {
      app.emit('window-close-cancelled', this);
      return;
    }
    // The page's unload runs first; the window closes on a later task.
    later(() => {
      if (!this.destroyed) this.finishClose();
    });
  }
  private finishClose(): void {
    this.destroyed = true;
    this.visible = false;
    this.emit('closed');
    later(() => this.webContents.emit('destroyed'));
    app.windowRemoved();
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  restore(): void {
    this.calls.push('restore');
    this.minimized = false;
  }
  show(): void {
    this.calls.push('show');
    this.visible = true;
  }
  hide(): void {
    this.calls.push('hide');
    this.visible = false;
  }
  focus(): void {
    this.calls.push('focus');
  }
  /** The window manager moved focus elsewhere (Alt+Tab, the Super key, a click outside). */
  loseFocus(): void {
    this.emit('blur');
  }
}

class FakeCommandLine {
  readonly switches = new Map<string, string>();
  appendSwitch(name: string, value = ''): void {
    this.switches.set(name, value);
  }
  hasSwitch(name: string): boolean {
    return this.switches.has(name);
  }
  getSwitchValue(name: string): string {
    return this.switches.get(name) ?? '';
  }
}

class FakeApp extends Emitter {
  isPackaged = false;
  gotLock = true;
  userData = '/nonexistent';
  ready = false;
  quitting = false;
  /** True once will-quit and quit have been emitted: the process would end here. */
  ended = false;
  commandLine = new FakeCommandLine();
  readonly calls: string[] = [];
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.gotLock;
  }
  enableSandbox(): void {
    this.calls.push('enableSandbox');
  }
  /**
   * Browser::Quit: before-quit, then every window is asked to close; once the list is empty,
   * will-quit and quit. While quitting, window-all-closed is not emitted.
   */
  quit(): void {
    this.calls.push('quit');
    if (this.quitting || this.ended) return;
    const event = new FakeEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.quitting = true;
    const open = BrowserWindow.getAllWindows();
    if (open.length === 0) this.shutDown();
    else for (const window of open) window.close();
  }
  exit(code: number): void {
    this.calls.push(`exit:${code}`);
  }
  async whenReady(): Promise<void> {
    this.calls.push('whenReady');
    this.ready = true;
  }
  isReady(): boolean {
    return this.ready;
  }
  /** WindowList::RemoveWindow → Browser::OnWindowAllClosed. */
  windowRemoved(): void {
    if (BrowserWindow.getAllWindows().length > 0) return;
    if (this.quitting) this.shutDown();
    // Without a listener Electron quits by itself; with one, the app decides.
    else if (this.count('window-all-closed') === 0) this.quit();
    else this.emit('window-all-closed');
  }
  private shutDown(): void {
    if (this.ended) return;
    const event = new FakeEvent();
    this.emit('will-quit', event);
    if (event.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.ended = true;
    this.emit('quit');
  }
  /** Another launch of the app: Electron tells the first instance (it holds the lock). */
  launchAgain(argv: string[] = []): void {
    this.emit('second-instance', new FakeEvent(), argv, process.cwd());
  }
  getPath(name: string): string {
    if (name === 'documents') return `${this.userData}/Documents`;
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return this.userData;
  }
}
export const app = new FakeApp();

export const protocol = {
  privileged: [] as unknown[],
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    this.handlers.set(scheme, handler);
  },
};

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  },
};

/**
 * As electron_api_safe_storage.cc: nothing before ready; on Linux the sync API refuses basic_text
 * (unless setUsePlainTextEncryption) while the async one falls back to a built-in key and says it
 * is available; getSelectedStorageBackend exists on Linux only and is 'unknown' before ready.
 */
export const safeStorage = {
  /** Whether the OS keychain answers (macOS Keychain, Windows DPAPI, a Secret Service). */
  available: true,
  /** A test's fixed answer; null lets Chromium's own choice decide. */
  backend: null as Exclude<StorageBackend, 'unknown'> | null,
  selected(): Exclude<StorageBackend, 'unknown'> {
    return this.backend ?? chromiumBackend();
  },
  usePlainText: false,
  /** Set by a test to make the next async decrypt ask for re-encryption (a rotated key). */
  rotated: false,
  /** The keychain is locked or still starting: decrypts are refused as "temporarily unavailable". */
  busy: false,
  syncCalls: 0,
  setUsePlainTextEncryption(usePlainText: boolean): void {
    this.usePlainText = usePlainText;
  },
  isEncryptionAvailable(): boolean {
    this.syncCalls++;
    if (!app.ready) return false;
    if (state.platform === 'linux' && this.selected() === 'basic_text') return this.usePlainText;
    return this.available;
  },
  async isAsyncEncryptionAvailable(): Promise<boolean> {
    if (!app.ready) return false;
    if (state.platform === 'linux' && this.selected() === 'basic_text') return true;
    return this.available;
  },
  get getSelectedStorageBackend(): (() => StorageBackend) | undefined {
    if (state.platform !== 'linux') return undefined;
    return () => (app.ready ? this.selected() : 'unknown');
  },
  // Reversible and visibly "encrypted": enough to prove the file never holds the secret itself.
  encryptString(plainText: string): Buffer {
    this.syncCalls++;
    if (!this.isEncryptionAvailable())
      throw new Error('Error while encrypting the text provided to safeStorage.encryptString.');
    return Buffer.from(`sealed:${plainText}`, 'utf8');
  },
  decryptString(encrypted: Buffer): string {
    this.syncCalls++;
    return unseal(encrypted);
  },
  async encryptStringAsync(plainText: string): Promise<Buffer> {
    if (!(await this.isAsyncEncryptionAvailable()))
      throw new Error(
        'Error while encrypting the text provided to safeStorage.encryptStringAsync.',
      );
    return Buffer.from(`sealed:${plainText}`, 'utf8');
  },
  async decryptStringAsync(
    encrypted: Buffer,
  ): Promise<{ shouldReEncrypt: boolean; result: string }> {
    if (this.busy || !(await this.isAsyncEncryptionAvailable()))
      throw new Error(
        'safeStorage.decryptStringAsync is temporarily unavailable. Please try again.',
      );
    return { shouldReEncrypt: this.rotated, result: unseal(encrypted) };
  },
};

function unseal(encrypted: Buffer): string {
  const text = encrypted.toString('utf8');
  if (!text.startsWith('sealed:'))
    throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  return text.slice('sealed:'.length);
}

type IdleState = 'active' | 'idle' | 'locked' | 'unknown';

/** 'lock-screen' and 'unlock-screen' exist on macOS and Windows only (electron.d.ts). */
class FakePowerMonitor extends Emitter {
  idleState: IdleState = 'active';
  getSystemIdleState(idleThresholdSeconds: number): IdleState {
    if (!Number.isInteger(idleThresholdSeconds) || idleThresholdSeconds < 1)
      throw new Error('Invalid idle threshold');
    return this.idleState;
  }
  /** The person locks the screen: what this platform's Electron reports. */
  lockScreen(): void {
    this.idleState = 'locked';
    if (state.platform === 'darwin' || state.platform === 'win32') this.emit('lock-screen');
  }
  unlockScreen(): void {
    this.idleState = 'active';
    if (state.platform === 'darwin' || state.platform === 'win32') this.emit('unlock-screen');
  }
}
export const powerMonitor = new FakePowerMonitor();

/** Ids as Electron hands them out; a stopped id is not started again. */
export const powerSaveBlocker = {
  nextId: 0,
  active: new Map<number, 'prevent-app-suspension' | 'prevent-display-sleep'>(),
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number {
    const id = this.nextId++;
    this.active.set(id, type);
    return id;
  },
  stop(id: number): boolean {
    return this.active.delete(id);
  },
  isStarted(id: number): boolean {
    return this.active.has(id);
  },
};

type MediaAccess = 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown';

/** The microphone functions are macOS only: elsewhere they do not exist. */
export const systemPreferences = {
  microphone: 'not-determined' as MediaAccess,
  /** What the person answers macOS's prompt. */
  answer: true,
  asked: 0,
  get getMediaAccessStatus(): ((type: string) => MediaAccess) | undefined {
    if (state.platform !== 'darwin' && state.platform !== 'win32') return undefined;
    return (type) => (type === 'microphone' ? this.microphone : 'granted');
  },
  get askForMediaAccess(): ((type: string) => Promise<boolean>) | undefined {
    if (state.platform !== 'darwin') return undefined;
    return async (type) => {
      if (type !== 'microphone') return true;
      this.asked++;
      // macOS asks once; after that the answer stands until changed in System Settings.
      if (this.microphone === 'not-determined')
        this.microphone = this.answer ? 'granted' : 'denied';
      return this.microphone === 'granted';
    };
  },
};

export const dialog = {
  errors: [] as Array<{ title: string; content: string }>,
  /** Every save dialog shown: its parent window (if any) and options. */
  saves: [] as Array<{ parent: unknown; options: Record<string, unknown> }>,
  /** What the next save dialog answers. */
  saveAnswer: { canceled: true, filePath: '' } as { canceled: boolean; filePath: string },
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  },
  messages: [] as Array<{ parent: unknown; options: Record<string, unknown> }>,
  async showMessageBox(
    ...args: [unknown, Record<string, unknown>] | [Record<string, unknown>]
  ): Promise<{ response: number; checkboxChecked: boolean }> {
    const [parent, options] = args.length === 2 ? args : [null, args[0]];
    this.messages.push({ parent, options });
    return { response: 0, checkboxChecked: false };
  },
  async showSaveDialog(
    ...args: [unknown, Record<string, unknown>] | [Record<string, unknown>]
  ): Promise<{ canceled: boolean; filePath: string }> {
    const [parent, options] = args.length === 2 ? args : [null, args[0]];
    this.saves.push({ parent, options });
    return this.saveAnswer;
  },
};

export const shell = {
  /** Every file shown in its folder. */
  shown: [] as string[],
  showItemInFolder(fullPath: string): void {
    this.shown.push(fullPath);
  },
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  },
};

export const ipcRenderer = {
  invocations: [] as Array<{ channel: string; request: unknown }>,
  async invoke(channel: string, request: unknown): Promise<unknown> {
    this.invocations.push({ channel, request });
    return { ok: true, value: { echoed: channel } };
  },
};

/** Fresh recorders for the next test (module-level registries inside the app stay as they are). */
export function resetFakes(): void {
  state.session = new FakeSession();
  state.platform = 'linux';
  BrowserWindow.instances.length = 0;
  app.listeners.clear();
  app.calls.length = 0;
  app.isPackaged = false;
  app.gotLock = true;
  app.ready = false;
  app.quitting = false;
  app.ended = false;
  app.commandLine = new FakeCommandLine();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  ipcMain.handlers.clear();
  safeStorage.available = true;
  safeStorage.backend = null;
  state.desktop = 'GNOME';
  state.secretService = true;
  state.kwallet = false;
  safeStorage.usePlainText = false;
  safeStorage.rotated = false;
  safeStorage.busy = false;
  safeStorage.syncCalls = 0;
  powerMonitor.listeners.clear();
  powerMonitor.idleState = 'active';
  powerSaveBlocker.active.clear();
  systemPreferences.microphone = 'not-determined';
  systemPreferences.answer = true;
  systemPreferences.asked = 0;
  dialog.errors.length = 0;
  dialog.messages.length = 0;
  dialog.saves.length = 0;
  dialog.saveAnswer = { canceled: true, filePath: '' };
  shell.shown.length = 0;
  contextBridge.exposed.clear();
  ipcRenderer.invocations.length = 0;
}

export default {
  app,
  BrowserWindow,
  protocol,
  ipcMain,
  safeStorage,
  powerMonitor,
  powerSaveBlocker,
  systemPreferences,
  dialog,
  shell,
  contextBridge,
  ipcRenderer,
};
