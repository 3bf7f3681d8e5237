// Builds window.vault from the contract, for one kind of window: the main window gets every
// channel but the capture window's, the capture window only its own. Each request leaves as bytes
// that main measures before reading (shared/wire.ts). The preloads pass ipcRenderer.invoke as the
// transport; the Chromium test host passes its own. No generic invoke is ever exposed to the page.
import { channelsFor, type CaptureApi, type Channel, type Result, type VaultApi } from './api';
import { errorSentences } from './errors';
import { encodeRequest } from './wire';

/** Carries one request, already bytes (shared/wire.ts), to main, and brings back its envelope. */
export type Transport = (channel: Channel, request: Uint8Array) => Promise<Result<unknown>>;

const unsendable: Result<never> = {
  ok: false,
  error: { code: 'INVALID_REQUEST', message: `${errorSentences.INVALID_REQUEST} (not readable)` },
};

function bridge(window: 'ui' | 'capture', transport: Transport): unknown {
  const api: Record<string, Record<string, (request: unknown) => Promise<Result<unknown>>>> = {};
  for (const channel of channelsFor(window)) {
    const [domain, method] = channel.split('.') as [string, string];
    api[domain] ??= {};
    // Each method is bound to its own channel name; the page cannot choose another.
    api[domain][method] = async (request: unknown) => {
      let bytes: Uint8Array;
      try {
        bytes = encodeRequest(request);
      } catch {
        // A cycle or a BigInt: nothing main could read, so nothing is sent.
        return unsendable;
      }
      return transport(channel, bytes);
    };
  }
  return api;
}

export function createVaultBridge(transport: Transport): VaultApi {
  return bridge('ui', transport) as VaultApi;
}

export function createCaptureBridge(transport: Transport): CaptureApi {
  return bridge('capture', transport) as CaptureApi;
}
