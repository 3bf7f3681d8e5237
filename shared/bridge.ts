// Builds window.vault from the contract, for one kind of window: the main window gets every
// channel but the capture window's, the capture window only its own. The preloads pass
// ipcRenderer.invoke as the transport; the Chromium test host passes its own. No generic invoke is
// ever exposed to the page.
import { channelsFor, type CaptureApi, type Channel, type Result, type VaultApi } from './api';

export type Transport = (channel: Channel, request: unknown) => Promise<Result<unknown>>;

function bridge(window: 'ui' | 'capture', transport: Transport): unknown {
  const api: Record<string, Record<string, (request: unknown) => Promise<Result<unknown>>>> = {};
  for (const channel of channelsFor(window)) {
    const [domain, method] = channel.split('.') as [string, string];
    api[domain] ??= {};
    // Each method is bound to its own channel name; the page cannot choose another.
    api[domain][method] = (request: unknown) => transport(channel, request ?? {});
  }
  return api;
}

export function createVaultBridge(transport: Transport): VaultApi {
  return bridge('ui', transport) as VaultApi;
}

export function createCaptureBridge(transport: Transport): CaptureApi {
  return bridge('capture', transport) as CaptureApi;
}
