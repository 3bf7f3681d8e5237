// The capture window's preload: window.vault with the capture channels and nothing else, so the
// page that holds the microphone can never read the vault (main checks the sender as well).
import { contextBridge, ipcRenderer } from 'electron';
import type { Result } from '../shared/api';
import { createCaptureBridge } from '../shared/bridge';

const vault = createCaptureBridge(
  (channel, request) => ipcRenderer.invoke(channel, request) as Promise<Result<unknown>>,
);

contextBridge.exposeInMainWorld('vault', vault);

export type CapturePreloadVault = typeof vault;
