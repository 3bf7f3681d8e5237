// registerIpc() and the preload: every channel bound once, the sender checked before dispatch,
// and the page given window.vault with named methods only.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import { channels } from '../../../shared/api';
import { decodeRequest } from '../../../shared/wire';
import type { Dispatch } from '../../../electron/core/dispatch';
import { ipcMain, resetFakes } from './electron-fakes';
import type * as ElectronFakes from './electron-fakes';

vi.mock('electron', () => import('./electron-fakes'));

const { registerIpc } = await import('../../../electron/ipc');

const goodUrl = 'app://session-vault/index.html';

function fakeEvent(frame: { url: string; parent?: unknown } | null): IpcMainInvokeEvent {
  const senderFrame =
    frame === null ? null : ({ parent: null, ...frame } as unknown as WebFrameMain);
  return { senderFrame, sender: { id: 1 } } as unknown as IpcMainInvokeEvent;
}

function setup(isTrustedSender = vi.fn(() => true)) {
  const dispatch = vi.fn<Dispatch>(async (channel) => ({ ok: true, value: { channel } }));
  const onForbidden = vi.fn();
  registerIpc(ipcMain as never, dispatch, isTrustedSender, { onForbidden });
  const call = async (channel: string, event: IpcMainInvokeEvent, payload: unknown) => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, payload);
  };
  return { dispatch, onForbidden, isTrustedSender, call };
}

beforeEach(() => resetFakes());

describe('registerIpc', () => {
  it('registers every channel of the contract exactly once, and nothing else', () => {
    const handle = vi.spyOn(ipcMain, 'handle');
    setup();
    expect(handle).toHaveBeenCalledTimes(channels.length);
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...channels].sort());
    expect(new Set(handle.mock.calls.map(([channel]) => channel)).size).toBe(channels.length);
  });

  it('passes a good sender payload to dispatch and returns its envelope', async () => {
    const { dispatch, call, isTrustedSender } = setup();
    for (const channel of channels) {
      const payload = { probe: channel };
      await expect(call(channel, fakeEvent({ url: goodUrl }), payload)).resolves.toEqual({
        ok: true,
        value: { channel },
      });
      expect(dispatch).toHaveBeenLastCalledWith(channel, payload, 'ui');
    }
    expect(dispatch).toHaveBeenCalledTimes(channels.length);
    expect(isTrustedSender).toHaveBeenCalledTimes(channels.length);
  });

  it.each([
    ['another origin', { url: 'https://evil.example/index.html' }],
    ['a file:// page', { url: 'file:///home/user/evil.html' }],
    ['a look-alike app host', { url: 'app://session-vault.evil.example/index.html' }],
    ['another app host', { url: 'app://other/index.html' }],
    ['about:blank', { url: 'about:blank' }],
    ['a frame with no URL', { url: '' }],
  ])('refuses %s with FORBIDDEN_SENDER and never dispatches', async (_name, frame) => {
    const { dispatch, call, onForbidden } = setup();
    for (const channel of channels) {
      const reply = await call(channel, fakeEvent(frame), { passphrase: 'x' });
      expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      expect((reply as { error: { message: string } }).error.message).toMatch(
        /did not come from Session Vault/,
      );
    }
    expect(dispatch).not.toHaveBeenCalled();
    expect(onForbidden).toHaveBeenCalledTimes(channels.length);
    // The refusal log gets the channel and the sender URL, never the payload.
    expect(JSON.stringify(onForbidden.mock.calls)).not.toContain('passphrase');
  });

  it('refuses a null senderFrame (a frame that navigated away or closed)', async () => {
    const { dispatch, call, isTrustedSender } = setup();
    const reply = await call('vault.status', fakeEvent(null), {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(dispatch).not.toHaveBeenCalled();
    expect(isTrustedSender).not.toHaveBeenCalled();
  });

  it('refuses our own origin when main does not trust the frame (not the main frame of one of our windows)', async () => {
    const { dispatch, call } = setup(vi.fn(() => false));
    const reply = await call('session.unlock', fakeEvent({ url: goodUrl, parent: {} }), {
      passphrase: 'x',
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    expect(dispatch).not.toHaveBeenCalled();
  });
});

/** What main would read from each invocation: the preload sends bytes (shared/wire.ts). */
function sent(invocations: Array<{ channel: string; request: unknown }>) {
  return invocations.map(({ channel, request }) => {
    expect(request).toBeInstanceOf(Uint8Array);
    const decoded = decodeRequest(request, Number.MAX_SAFE_INTEGER);
    if (!decoded.ok) throw new Error(`the preload sent unreadable bytes: ${decoded.reason}`);
    return { channel, request: decoded.value };
  });
}

describe('preload', () => {
  /** Runs the preload against a fresh fake 'electron' and returns that fake. */
  async function loadPreload(which: 'preload' | 'capture-preload' = 'preload') {
    vi.resetModules();
    if (which === 'preload') await import('../../../electron/preload');
    else await import('../../../electron/capture-preload');
    return (await import('electron')) as unknown as typeof ElectronFakes;
  }

  function exposedMethods(vault: Record<string, Record<string, unknown>>) {
    return Object.entries(vault).flatMap(([domain, methods]) =>
      Object.entries(methods).map(([method, value]) => ({ name: `${domain}.${method}`, value })),
    );
  }

  const captureChannels = [
    'capture.chunk',
    'capture.failed',
    'capture.finished',
    'capture.level',
    'capture.microphones',
    'capture.next',
    'capture.started',
    'capture.testDone',
    'capture.testLevel',
  ];

  it('exposes exactly one key, vault, with one function per channel and no generic pipe', async () => {
    const { contextBridge } = await loadPreload();
    expect([...contextBridge.exposed.keys()]).toEqual(['vault']);
    const vault = contextBridge.exposed.get('vault') as Record<string, Record<string, unknown>>;

    const exposed = exposedMethods(vault);
    // The main window's page gets every channel but the capture window's.
    expect(exposed.map(({ name }) => name).sort()).toEqual(
      channels.filter((channel) => !captureChannels.includes(channel)).sort(),
    );
    expect(vault.capture).toBeUndefined();
    for (const { value } of exposed) expect(typeof value).toBe('function');

    const everyName = [...Object.keys(vault), ...exposed.map(({ name }) => name.split('.')[1])];
    for (const word of ['invoke', 'ipcRenderer', 'send', 'on', 'require', 'process']) {
      expect(everyName).not.toContain(word);
    }
  });

  it("gives the capture window's page the capture channels and nothing else", async () => {
    const { contextBridge, ipcRenderer } = await loadPreload('capture-preload');
    expect([...contextBridge.exposed.keys()]).toEqual(['vault']);
    const vault = contextBridge.exposed.get('vault') as Record<
      string,
      Record<string, (request: unknown) => Promise<unknown>>
    >;
    const exposed = exposedMethods(vault);
    expect(exposed.map(({ name }) => name).sort()).toEqual(captureChannels);
    expect(Object.keys(vault)).toEqual(['capture']);
    for (const { value } of exposed) expect(typeof value).toBe('function');
    await vault.capture?.next?.(undefined);
    expect(sent(ipcRenderer.invocations)).toEqual([{ channel: 'capture.next', request: {} }]);
    ipcRenderer.invocations.length = 0;
  });

  it('each method invokes its own channel with the request', async () => {
    const { contextBridge, ipcRenderer } = await loadPreload();
    const vault = contextBridge.exposed.get('vault') as Record<
      string,
      Record<string, (request: unknown) => Promise<unknown>>
    >;
    await expect(vault.session?.unlock?.({ passphrase: 'correct horse' })).resolves.toEqual({
      ok: true,
      value: { echoed: 'session.unlock' },
    });
    await vault.vault?.status?.(undefined);
    expect(sent(ipcRenderer.invocations)).toEqual([
      { channel: 'session.unlock', request: { passphrase: 'correct horse' } },
      { channel: 'vault.status', request: {} },
    ]);
  });
});
