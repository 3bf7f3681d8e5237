// The built main bundle (out/main/main.js), run in plain Node with a stand-in 'electron' and the
// real core: proves the entry resolves out/renderer and the preload from its own location, that
// the externals load, and that a request from our page reaches the real core while another is refused.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const mainBundle = path.join(projectRoot, 'out/main/main.js');
const built =
  existsSync(mainBundle) && existsSync(path.join(projectRoot, 'out/renderer/index.html'));
if (!built) console.log('electron-main-bundle SKIPPED: the app is not built yet (npm run build).');

// Just enough of Electron for startApp(); it reports what happened as one JSON line.
const fakeElectron = `
const listeners = new Map();
const on = (scope) => (name, listener) => { listeners.set(scope + ':' + name, listener); };
const ipc = new Map();
const protocols = new Map();
const windows = [];
let nextId = 1;
const session = {
  setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, setDevicePermissionHandler() {},
  webRequest: { onBeforeRequest() {} }, on() {},
};
export const app = {
  isPackaged: true, requestSingleInstanceLock: () => true, enableSandbox() {}, quit() {}, exit() {},
  whenReady: async () => {}, getPath: () => process.env.SV_USER_DATA, on: on('app'),
  commandLine: { appendSwitch() {}, hasSwitch: () => false, getSwitchValue: () => '' },
};
export const protocol = { registerSchemesAsPrivileged() {}, handle(scheme, handler) { protocols.set(scheme, handler); } };
export class BrowserWindow {
  constructor(options) {
    this.options = options;
    const contents = { id: nextId++, session, url: '', on() {}, once() {}, setWindowOpenHandler() {} };
    contents.getURL = () => contents.url;
    this.webContents = contents;
    windows.push(this);
  }
  async loadURL(url) {
    this.webContents.url = url;
    this.loaded = (await protocols.get('app')(new Request(url))).status;
  }
  on() {}
  once() {}
  removeMenu() {}
  isDestroyed() { return false; }
}
export const ipcMain = { handle(channel, handler) { ipc.set(channel, handler); } };
export const safeStorage = {
  isAsyncEncryptionAvailable: async () => true, getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptStringAsync: async (text) => Buffer.from('sealed:' + text),
  decryptStringAsync: async (data) => ({ result: data.toString().slice(7), shouldReEncrypt: false }),
};
export const powerMonitor = { on: on('power'), getSystemIdleState: () => 'active' };
export const powerSaveBlocker = { start: () => 1, stop: () => true };
export const shell = { showItemInFolder() {} };
export const utilityProcess = { fork() { throw new Error('no utility process in this stand-in'); } };
export const systemPreferences = {};
export const dialog = { showErrorBox(title, message) { console.log(JSON.stringify({ dialog: message })); } };
export const contextBridge = {};
export const ipcRenderer = {};
export default { app, protocol, BrowserWindow, ipcMain, safeStorage, powerMonitor, dialog };
globalThis.__fakeElectron = { ipc, windows, listeners };
`;

const hooks = `
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: new URL('./electron.mjs', import.meta.url).href, shortCircuit: true };
  return next(specifier, context);
}
`;

const register = `
import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
`;

const drive = (bundleUrl: string) => `
await import(${JSON.stringify(bundleUrl)});
const fake = globalThis.__fakeElectron;
for (let i = 0; i < 200 && !(fake.windows[0] && fake.windows[0].loaded); i++) await new Promise((r) => setTimeout(r, 50));
const window = fake.windows[0];
// {} as the preload sends it (shared/wire.ts): the JSON text's length, little-endian, then the text.
const empty = new Uint8Array([2, 0, 0, 0, 0x7b, 0x7d]);
const ask = (url) => fake.ipc.get('vault.status')({ sender: window.webContents, senderFrame: { url, parent: null } }, empty);
const report = {
  loaded: window.loaded,
  url: window.webContents.getURL(),
  preload: window.options.webPreferences.preload,
  devTools: window.options.webPreferences.devTools,
  channels: [...fake.ipc.keys()],
  ours: await ask('app://session-vault/index.html'),
  evil: await ask('https://evil.example/'),
};
fake.listeners.get('power:suspend')();
fake.listeners.get('app:will-quit')();
console.log(JSON.stringify(report));
process.exit(0);
`;

let scratch: string;
let userData: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'vault-bundle-'));
  userData = path.join(scratch, 'user-data');
  await writeFile(path.join(scratch, 'electron.mjs'), fakeElectron);
  await writeFile(path.join(scratch, 'hooks.mjs'), hooks);
  await writeFile(path.join(scratch, 'register.mjs'), register);
  await writeFile(path.join(scratch, 'drive.mjs'), drive(pathToFileURL(mainBundle).href));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe.skipIf(!built)('built main bundle', () => {
  it('starts, serves the renderer, and answers only our own page', async () => {
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(path.join(scratch, 'register.mjs')).href,
        path.join(scratch, 'drive.mjs'),
      ],
      {
        cwd: projectRoot,
        encoding: 'utf8',
        env: { ...process.env, SV_USER_DATA: userData },
        timeout: 60_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const report = JSON.parse(lines[lines.length - 1] ?? '{}') as Record<string, unknown>;
    expect(report).toMatchObject({
      loaded: 200,
      url: 'app://session-vault/index.html',
      preload: path.join(projectRoot, 'out/preload/preload.cjs'),
      devTools: false,
      ours: { ok: true, value: { state: 'absent' } },
      evil: { ok: false, error: { code: 'FORBIDDEN_SENDER' } },
    });
    expect((report.channels as string[]).length).toBeGreaterThan(0);
    // The device secret and the vault folder live in userData.
    expect(await readdir(userData)).toEqual(expect.arrayContaining(['device-secret', 'vault']));
  });
});
