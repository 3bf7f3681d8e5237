// The hidden window that holds the microphone while a consented recording runs. The UI window never
// holds it, so a UI reload cannot stop a recording. Recording itself is wired in a later issue.
import type { BrowserWindow } from 'electron';
import { appUrl } from './app-origin';
import { armCapture, createSecureWindow, disarmCapture } from './window';

export const capturePage = appUrl('capture.html');

export async function openCaptureWindow(preloadPath: string): Promise<BrowserWindow> {
  const window = createSecureWindow({ mode: 'capture', preloadPath });
  try {
    await window.loadURL(capturePage);
  } catch (error) {
    closeCaptureWindow(window);
    throw error;
  }
  return window;
}

/** From now until closeCaptureWindow(), this window (and only it) may open the microphone, audio only. */
export function armCaptureWindow(window: BrowserWindow): void {
  armCapture(window.webContents);
}

export function closeCaptureWindow(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  disarmCapture(window.webContents);
  // destroy(), not close(): a page cannot hold the microphone open with a beforeunload handler.
  window.destroy();
}
