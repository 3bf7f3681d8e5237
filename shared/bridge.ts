// Builds window.vault from the contract. The preload passes ipcRenderer.invoke as the transport;
// the Chromium test host passes its own. No generic invoke is ever exposed to the page.
import { channels, type Channel, type Result, type VaultApi } from './api';

export type Transport = (channel: Channel, request: unknown) => Promise<Result<unknown>>;

export function createVaultBridge(transport: Transport): VaultApi {
  const api: Record<string, Record<string, (request: unknown) => Promise<Result<unknown>>>> = {};
  for (const channel of channels) {
    const [domain, method] = channel.split('.') as [string, string];
    api[domain] ??= {};
    // Each method is bound to its own channel name; the page cannot choose another.
    api[domain][method] = (request: unknown) => transport(channel, request ?? {});
  }
  return api as unknown as VaultApi;
}
