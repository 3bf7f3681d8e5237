// The only thing the main window's page gets: window.vault, one named method per channel it may
// call (never the capture window's). Never ipcRenderer, never a generic invoke: the page cannot
// pick a channel.
import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../shared/api';
import { createVaultBridge } from '../shared/bridge';

const vault = createVaultBridge(
  (channel, request) => ipcRenderer.invoke(channel, request) as Promise<Result<unknown>>,
);

contextBridge.exposeInMainWorld('vault', vault);

export type PreloadVault = typeof vault;
