// The hidden window that holds the microphone while a consented recording runs. The UI window never
// holds it, so a UI reload cannot stop a recording. The core decides when it opens and closes.
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { appUrl } from './app-origin';
import { armCapture, createSecureWindow, disarmCapture } from './window';

export const capturePage = appUrl('capture.html');

/** The capture window's own preload, built beside the main window's (electron.vite.config.ts). */
export function capturePreloadBeside(preloadPath: string): string {
  return path.join(path.dirname(preloadPath), 'capture-preload.cjs');
}

/**
 * Opens the hidden capture window. With `armed`, it may use the microphone from its first
 * moment (a consented recording is starting); otherwise main arms it later.
 */
export async function openCaptureWindow(
  /** The main window's preload; the capture window takes its own from the same folder. */
  preloadPath: string,
  armed = false,
  /** Told of the window before its page loads, so a close during the load can reach it. */
  onCreated?: (window: BrowserWindow) => void,
): Promise<BrowserWindow> {
  const window = createSecureWindow({
    mode: 'capture',
    preloadPath: capturePreloadBeside(preloadPath),
  });
  onCreated?.(window);
  if (armed) armCaptureWindow(window);
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
