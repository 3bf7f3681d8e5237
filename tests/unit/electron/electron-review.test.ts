// Client review mode in main: startApp() with a fake 'electron' and the real core. When a client
// signs in with their PIN the main window becomes a kiosk with every escape shortcut filtered; any
// way the review ends (End review, idle, time up, screen lock) puts the window back as it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../../electron/core/create-core';
import { REVIEW_IDLE_MINUTES } from '../../../shared/review-policy';
import {
  BrowserWindow,
  FakeEvent,
  app,
  powerMonitor,
  resetFakes,
  type FakeWebContents,
} from './electron-fakes';
import { LIGHT_KDF, PASSPHRASE, fakeClock } from '../helpers/kernel-helpers';
import { call, consentDraft, refusal } from '../helpers/practice-helpers';

vi.mock('electron', () => import('./electron-fakes'));

const { startApp } = await import('../../../electron/start-app');
const { createReviewMode, isBlockedReviewShortcut } = await import('../../../electron/review-mode');

const PIN = '482915';
let userData: string;
let clock: ReturnType<typeof fakeClock>;
let core: Core | null = null;

type Modifiers = Partial<Record<'control' | 'meta' | 'shift' | 'alt', boolean>>;

function press(contents: FakeWebContents, key: string, modifiers: Modifiers = {}, code = '') {
  const event = new FakeEvent();
  contents.emit('before-input-event', event, {
    type: 'keyDown',
    key,
    code,
    control: false,
    meta: false,
    shift: false,
    alt: false,
    ...modifiers,
  });
  return event.defaultPrevented;
}

/** Every shortcut the brief names, on both Windows/Linux (Ctrl) and macOS (Cmd) spellings. */
const blocked: Array<[string, string, Modifiers]> = [
  ['devtools', 'F12', {}],
  ...(['control', 'meta'] as const).flatMap((mod): Array<[string, string, Modifiers]> => [
    ['devtools', 'I', { [mod]: true, shift: true }],
    ['devtools console', 'J', { [mod]: true, shift: true }],
    ['inspect element', 'C', { [mod]: true, shift: true }],
    ['devtools (mac)', 'i', { [mod]: true, alt: true }],
    ['reload', 'r', { [mod]: true }],
    ['hard reload', 'R', { [mod]: true, shift: true }],
    ['new window', 'n', { [mod]: true }],
    ['new tab', 't', { [mod]: true }],
    ['close window', 'w', { [mod]: true }],
    ['quit', 'q', { [mod]: true }],
    ['print', 'p', { [mod]: true }],
    ['save', 's', { [mod]: true }],
    ['open file', 'o', { [mod]: true }],
  ]),
  ['reload', 'F5', {}],
  ['hard reload', 'F5', { control: true }],
  ['leave full screen', 'F11', {}],
  ['close window', 'F4', { alt: true }],
  ['close tab', 'F4', { control: true }],
  ['hide (mac)', 'h', { meta: true }],
  ['minimise (mac)', 'm', { meta: true }],
];

/** What a client may still press: typing, Tab, Enter, Escape, zoom, copy text. */
const allowed: Array<[string, Modifiers]> = [
  ['a', {}],
  ['4', {}],
  ['Tab', {}],
  ['Tab', { shift: true }],
  ['Enter', {}],
  [' ', {}],
  ['Escape', {}],
  ['ArrowLeft', {}],
  ['I', { shift: true }],
  ['=', { control: true }],
  ['+', { control: true, shift: true }],
  ['-', { control: true }],
  ['0', { control: true }],
  ['=', { meta: true }],
  ['c', { control: true }],
];

async function startWithRealCore() {
  const running = await startApp({
    createCore: async (options: CoreOptions) => {
      core = await createCore({
        ...options,
        dataDir: path.join(userData, 'vault'),
        clock: clock.now,
        kdf: LIGHT_KDF,
        freeBytes: () => 1e12,
        captureHost: { open: () => undefined, close: () => undefined },
      });
      return core;
    },
    rendererDir: path.join(userData, 'renderer'),
    preloadPath: '/app/out/preload/preload.cjs',
    platform: 'linux',
  });
  if (!running) throw new Error('the app did not start');
  const window = running.mainWindow as unknown as BrowserWindow;
  return { core: running.core, window, contents: window.webContents };
}

async function clientWithPin(running: Core, name: string) {
  const client = await call(running, 'clients.add', {
    displayName: name,
    otherParticipants: [],
  });
  const { policyHash } = await call(running, 'policy.get');
  await call(running, 'consent.sign', {
    clientId: client.clientId,
    terms: consentDraft(client, policyHash, clock.now()),
    reviewCredential: PIN,
  });
  return client;
}

async function startedVault() {
  const started = await startWithRealCore();
  await call(started.core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  const client = await clientWithPin(started.core, 'Alex Client');
  const beginReview = async (maxMinutes = 30) => {
    await call(started.core, 'review.start', { clientId: client.clientId, maxMinutes });
    await call(started.core, 'review.unlock', { pin: PIN });
  };
  return { ...started, client, beginReview };
}

function expectOrdinary(window: BrowserWindow) {
  expect({
    kiosk: window.kiosk,
    fullScreen: window.fullScreen,
    menuBarVisible: window.menuBarVisible,
    menuBarAutoHide: window.menuBarAutoHide,
  }).toEqual({ kiosk: false, fullScreen: false, menuBarVisible: true, menuBarAutoHide: false });
  expect(press(window.webContents, 'F5')).toBe(false);
  expect(press(window.webContents, 'r', { control: true })).toBe(false);
}

function expectKiosk(window: BrowserWindow) {
  expect({
    kiosk: window.kiosk,
    fullScreen: window.fullScreen,
    menuBarVisible: window.menuBarVisible,
    menuBarAutoHide: window.menuBarAutoHide,
  }).toEqual({ kiosk: true, fullScreen: true, menuBarVisible: false, menuBarAutoHide: false });
}

beforeEach(() => {
  resetFakes();
  userData = mkdtempSync(path.join(tmpdir(), 'vault-review-mode-'));
  app.userData = userData;
  clock = fakeClock();
});

afterEach(() => {
  core?.close();
  core = null;
  rmSync(userData, { recursive: true, force: true });
});

describe('review mode follows the signed-in role', () => {
  it('a client session turns the main window into a kiosk; End review puts it back', async () => {
    const { core: running, window, client } = await startedVault();
    expect(BrowserWindow.instances).toHaveLength(1);
    expectOrdinary(window);

    // Handed over: the PIN screen is already in the client's hands, so already a kiosk.
    await call(running, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    expectKiosk(window);

    await call(running, 'review.unlock', { pin: PIN });
    expectKiosk(window);

    await call(running, 'review.end');
    expectOrdinary(window);
  });

  it('the therapist taking the laptop back at the PIN screen puts the window back', async () => {
    const { core: running, window, client } = await startedVault();
    await call(running, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    expectKiosk(window);
    await call(running, 'session.unlock', { passphrase: PASSPHRASE });
    expectOrdinary(window);
    const status = await call(running, 'vault.status');
    expect(status.pendingReview).toBeNull();
  });

  it('withdraws the hand-over when the window cannot become a kiosk, and logs why', async () => {
    const { window, core: running, client } = await startedVault();
    window.setKiosk = () => {
      throw new Error('kiosk refused by the window manager');
    };
    await call(running, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    const status = await call(running, 'vault.status');
    expect(status).toMatchObject({ state: 'locked', pendingReview: null });
    expect((await refusal(running, 'review.unlock', { pin: PIN })).code).toBe('NOT_ALLOWED');
    await call(running, 'session.unlock', { passphrase: PASSPHRASE });
    const log = await call(running, 'audit.recent', { limit: 20 });
    expect(log.entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'review.start',
          outcome: 'refused',
          reason: 'review mode could not start',
        }),
      ]),
    );
  });

  it('filters every escape shortcut while the client reviews, and only then', async () => {
    const { window, contents, beginReview } = await startedVault();
    for (const [what, key, modifiers] of blocked)
      expect(press(contents, key, modifiers), `${what} before review`).toBe(
        // Outside review the page and the menu get every key.
        false,
      );
    await beginReview();
    for (const [what, key, modifiers] of blocked)
      expect(press(contents, key, modifiers), `${what}: ${key} ${JSON.stringify(modifiers)}`).toBe(
        true,
      );
    for (const [key, modifiers] of allowed)
      expect(press(contents, key, modifiers), `${key} ${JSON.stringify(modifiers)}`).toBe(false);
    // Another keyboard layout: the physical I key still opens no devtools.
    expect(press(contents, 'ш', { control: true, shift: true }, 'KeyI')).toBe(true);
    expect(press(contents, 'к', { control: true }, 'KeyR')).toBe(true);
    await call(core!, 'review.end');
    for (const [what, key, modifiers] of blocked)
      expect(press(contents, key, modifiers), `${what} after review`).toBe(false);
    expect(window.kiosk).toBe(false);
  });

  it('closes devtools the moment they open, and goes back to full screen if it is left', async () => {
    const { window, contents, beginReview } = await startedVault();
    contents.openDevTools();
    await beginReview();
    expect(contents.devToolsOpened).toBe(false);
    contents.openDevTools();
    expect(contents.devToolsOpened).toBe(false);
    window.setFullScreen(false);
    // leave-full-screen comes once the window manager has done it, not within the call.
    await vi.waitFor(() => expect(window.fullScreen).toBe(true));
    await call(core!, 'review.end');
    contents.openDevTools();
    expect(contents.devToolsOpened).toBe(true);
  });

  it('restores the window when the review ends by itself: idle, time up, screen lock', async () => {
    const { window, core: running, beginReview } = await startedVault();
    const unlockTherapist = () => call(running, 'session.unlock', { passphrase: PASSPHRASE });

    await beginReview();
    expectKiosk(window);
    clock.advance(REVIEW_IDLE_MINUTES * 60_000);
    running.tick();
    expect((await call(running, 'vault.status')).state).toBe('locked');
    expectOrdinary(window);

    await unlockTherapist();
    await beginReview(10);
    expectKiosk(window);
    for (let minute = 0; minute < 10; minute += 1) {
      clock.advance(60_000);
      await call(running, 'session.touch');
      running.tick();
    }
    expect((await call(running, 'vault.status')).state).toBe('locked');
    expectOrdinary(window);

    await unlockTherapist();
    await beginReview();
    expectKiosk(window);
    // Linux sends no 'lock-screen': main's one-second ticker finds the locked idle state.
    powerMonitor.lockScreen();
    await vi.waitFor(() => expectOrdinary(window), { timeout: 5000 });
  });

  it('refuses the window manager’s close and takes focus back while the client reviews', async () => {
    const { window, beginReview } = await startedVault();
    await beginReview();
    expectKiosk(window);
    expect(window.alwaysOnTop).toBe(true);

    window.close();
    window.loseFocus();
    expect(window.isDestroyed()).toBe(false);
    expect(window.calls.at(-1)).toBe('focus');

    await call(core!, 'review.end');
    expectOrdinary(window);
    expect(window.alwaysOnTop).toBe(false);
    window.calls.length = 0;
    window.loseFocus();
    expect(window.calls).toEqual([]);
  });

  it('a quit during a review still quits: the lock ends the review before windows close', async () => {
    const { window, beginReview } = await startedVault();
    await beginReview();
    app.quit();
    await vi.waitFor(() => expect(app.ended).toBe(true));
    expect(window.isDestroyed()).toBe(true);
    core = null;
  });

  it('keeps the window ordinary for the therapist and an auditor', async () => {
    const { window, core: running } = await startedVault();
    await call(running, 'auditors.add', {
      signInName: 'Pat Auditor',
      passphrase: 'ledger orchard fifteen comets',
    });
    await call(running, 'session.lock');
    await call(running, 'session.unlockAuditor', {
      signInName: 'Pat Auditor',
      passphrase: 'ledger orchard fifteen comets',
    });
    expectOrdinary(window);
    await call(running, 'session.lock');
    await call(running, 'session.unlock', { passphrase: PASSPHRASE });
    expectOrdinary(window);
  });

  it('restores a window that was already full screen to full screen, with its menu', async () => {
    const { window, beginReview } = await startedVault();
    window.fullScreen = true;
    window.menuBarAutoHide = true;
    await beginReview();
    expectKiosk(window);
    await call(core!, 'review.end');
    expect(window).toMatchObject({ kiosk: false, fullScreen: true, menuBarAutoHide: true });
  });
});

describe('createReviewMode', () => {
  it('applies a role reported before the window exists when the window arrives', () => {
    const mode = createReviewMode();
    mode.follow('client');
    expect(mode.active).toBe(false);
    const window = new BrowserWindow({ webPreferences: {} });
    mode.attach(window as never);
    expect(mode.active).toBe(true);
    expectKiosk(window);
    mode.follow(null);
    expect(mode.active).toBe(false);
    expectOrdinary(window);
  });

  it('does nothing to a destroyed window', () => {
    const mode = createReviewMode();
    const window = new BrowserWindow({ webPreferences: {} });
    mode.attach(window as never);
    window.destroy();
    mode.follow('client');
    expect(window.kiosk).toBe(false);
  });

  it('ignores key-up events and lets plain letters through', () => {
    expect(
      isBlockedReviewShortcut({
        type: 'keyUp',
        key: 'F12',
        control: false,
        meta: false,
        shift: false,
        alt: false,
      }),
    ).toBe(false);
    expect(
      isBlockedReviewShortcut({
        type: 'rawKeyDown',
        key: 'F12',
        control: false,
        meta: false,
        shift: false,
        alt: false,
      }),
    ).toBe(true);
  });
});
