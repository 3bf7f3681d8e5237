// window.vault is built by the preload (or the Chromium test host) from shared/bridge.ts.
import type { VaultApi } from '../../shared/api';

declare global {
  interface Window {
    readonly vault: VaultApi;
  }
}

export {};
