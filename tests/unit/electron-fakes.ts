import type { SafeStorage } from 'electron';

// A fake 'electron' module that records what the app asks of it. Tests install it with
// vi.mock('electron', () => import('./electron-fakes')) and drive the recorded handlers.
type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();

  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }

  once(name: string, listener: Listener): this {
    return this.on(name, listener);
  }

  emit(name: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(name) ?? []) listener(...args);
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
export const state = { session: new FakeSession() };

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
  static readonly instances: BrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  menuRemoved = false;
  destroyed = false;
  minimized = false;
  kiosk = false;
  fullScreen = false;
  menuBarVisible = true;
  menuBarAutoHide = false;
  readonly calls: string[] = [];

  constructor(
    readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> },
  ) {
    super();
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
    if (was && !flag) this.emit('leave-full-screen');
  }
  isMenuBarVisible(): boolean {
    return this.menuBarVisible;
  }
  setMenuBarVisibility(visible: boolean): void {
    this.menuBarVisible = visible;
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
  destroy(): void {
    this.destroyed = true;
    this.webContents.emit('destroyed');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.calls.push('restore');
  }
  show(): void {
    this.calls.push('show');
  }
  focus(): void {
    this.calls.push('focus');
  }
}

class FakeApp extends Emitter {
  isPackaged = false;
  gotLock = true;
  userData = '/nonexistent';
  readonly calls: string[] = [];
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.gotLock;
  }
  enableSandbox(): void {
    this.calls.push('enableSandbox');
  }
  quit(): void {
    this.calls.push('quit');
  }
  exit(code: number): void {
    this.calls.push(`exit:${code}`);
  }
  async whenReady(): Promise<void> {
    this.calls.push('whenReady');
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

export const safeStorage = {
  available: true,
  backend: 'gnome_libsecret' as ReturnType<SafeStorage['getSelectedStorageBackend']>,
  isEncryptionAvailable(): boolean {
    return this.available;
  },
  getSelectedStorageBackend(): ReturnType<SafeStorage['getSelectedStorageBackend']> {
    return this.backend;
  },
  // Reversible and visibly "encrypted": enough to prove the file never holds the secret itself.
  encryptString(plainText: string): Buffer {
    return Buffer.from(`sealed:${plainText}`, 'utf8');
  },
  decryptString(encrypted: Buffer): string {
    const text = encrypted.toString('utf8');
    if (!text.startsWith('sealed:'))
      throw new Error(
        'Error while decrypting the ciphertext provided to safeStorage.decryptString.',
      );
    return text.slice('sealed:'.length);
  },
};

export const powerMonitor = new Emitter();

export const dialog = {
  errors: [] as Array<{ title: string; content: string }>,
  /** Every save dialog shown: its parent window (if any) and options. */
  saves: [] as Array<{ parent: unknown; options: Record<string, unknown> }>,
  /** What the next save dialog answers. */
  saveAnswer: { canceled: true, filePath: '' } as { canceled: boolean; filePath: string },
  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  },
  async showSaveDialog(
    ...args: [unknown, Record<string, unknown>] | [Record<string, unknown>]
  ): Promise<{ canceled: boolean; filePath: string }> {
    const [parent, options] = args.length === 2 ? args : [null, args[0]];
    this.saves.push({ parent, options });
    return this.saveAnswer;
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
  BrowserWindow.instances.length = 0;
  app.listeners.clear();
  app.calls.length = 0;
  app.isPackaged = false;
  app.gotLock = true;
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  ipcMain.handlers.clear();
  safeStorage.available = true;
  safeStorage.backend = 'gnome_libsecret';
  powerMonitor.listeners.clear();
  dialog.errors.length = 0;
  dialog.saves.length = 0;
  dialog.saveAnswer = { canceled: true, filePath: '' };
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
  dialog,
  contextBridge,
  ipcRenderer,
};
