// The hidden capture window: waits for main's commands (a long poll), holds the microphone only
// while main says a consented recording runs (or, for a few seconds, a microphone test), and sends
// each chunk as it arrives.
import type { CaptureApi } from '../../shared/api';
import { CaptureSession } from '../features/recording/capture-session';
import { listMicrophones, testMicrophone } from '../features/recording/microphone-probe';
import { callMain, Refusal } from './call-main';

const status = document.getElementById('capture-status');
function show(text: string): void {
  if (status) status.textContent = text;
}

let session: CaptureSession | null = null;

async function loop(): Promise<void> {
  // This page's preload is the capture window's: window.vault holds the capture channels only.
  const capture = (window as unknown as { vault: CaptureApi }).vault.capture;
  for (;;) {
    const next = await callMain(capture.next({}));
    if (next instanceof Refusal) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    const { command, recordingId, settings, check } = next;
    if (!session && check && (command === 'list-microphones' || command === 'test-microphone')) {
      show(command === 'test-microphone' ? 'Testing the microphone.' : 'Listing microphones.');
      if (command === 'test-microphone') await testMicrophone(capture, check);
      else await listMicrophones(capture, check.checkId);
      show('Done.');
      // As after a recording: this window lives for one check, and main closes it now.
      return;
    }
    if (command === 'record' && recordingId && settings) {
      if (session && session.recordingId !== recordingId) session.stop();
      if (session?.recordingId !== recordingId) {
        session = new CaptureSession(recordingId, capture);
        show('Recording.');
        void session.start(settings);
      }
    } else if (command === 'stop' && !session) {
      return;
    } else if (session && recordingId === session.recordingId) {
      if (command === 'pause') session.pause();
      if (command === 'resume') session.resume();
      if (command === 'stop') {
        session.stop();
        await session.done;
        show('Stopped.');
        // This window lives for one recording: main closes it now. Polling on would leave a
        // waiting request behind that the next recording's first command could be given to.
        return;
      }
    }
  }
}

void loop();
