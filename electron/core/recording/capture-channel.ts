// What passes between main and the capture window that holds the microphone: the host that opens
// and closes it, the commands it long-polls for, and the failures it reports, each with the
// sentence a person sees.
import type { CaptureSettings, MicrophoneCheckRequest } from '../../../shared/api';

/**
 * Opens and closes the capture window (Electron) or page (Chromium test host), for one recording
 * or one microphone check: the id is the recording's or the check's.
 */
export interface CaptureHost {
  open(recordingId: string): void | Promise<void>;
  close(recordingId: string): void | Promise<void>;
}

export type CaptureCommand = {
  command:
    'record' | 'pause' | 'resume' | 'stop' | 'continue' | 'list-microphones' | 'test-microphone';
  recordingId: string | null;
  settings: CaptureSettings | null;
  check?: MicrophoneCheckRequest;
};

export type CaptureFailure =
  'permission-denied' | 'no-microphone' | 'device-lost' | 'recorder-error';

export const failureSentences: Record<CaptureFailure | 'disk-full' | 'capture-lost', string> = {
  'permission-denied':
    'The microphone was not allowed, so nothing more is being recorded. What was recorded is kept.',
  'no-microphone':
    'No microphone was found. Plug one in and start again. What was recorded is kept.',
  'device-lost':
    'The microphone stopped. What was recorded until then is saved. Check the cable and start a new recording.',
  'recorder-error':
    'Recording stopped because of a problem with the audio. What was recorded is saved.',
  'disk-full':
    'The laptop’s disk is full, so recording stopped. Everything until then is saved and can be played. Free some space (empty the bin, or move large files off this laptop), then start a new recording.',
  'capture-lost':
    'The recorder stopped answering, so recording stopped. What was recorded is saved.',
};

const LONG_POLL_MS = 20_000;

/** Commands for the capture window: queued until it polls, or handed to the poll that waits. */
export class CaptureCommands {
  private commands: CaptureCommand[] = [];
  private waiting: ((command: CaptureCommand) => void) | null = null;

  /** `currentRecordingId` names the recording a 'continue' is about. */
  constructor(private readonly currentRecordingId: () => string | null) {}

  send(command: CaptureCommand): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(command);
    } else this.commands.push(command);
  }

  /** The capture window's long poll: resolves with the next command, or 'continue' after a while. */
  next(): Promise<CaptureCommand> {
    const queued = this.commands.shift();
    if (queued) return Promise.resolve(queued);
    this.waiting?.({
      command: 'continue',
      recordingId: this.currentRecordingId(),
      settings: null,
    });
    return new Promise((resolve) => {
      this.waiting = resolve;
      setTimeout(() => {
        if (this.waiting !== resolve) return;
        this.waiting = null;
        resolve({
          command: 'continue',
          recordingId: this.currentRecordingId(),
          settings: null,
        });
      }, LONG_POLL_MS).unref?.();
    });
  }

  /** Drops what is queued and releases a poll still waiting, with 'continue'. */
  reset(): void {
    this.commands = [];
    const stale = this.waiting;
    this.waiting = null;
    stale?.({ command: 'continue', recordingId: null, settings: null });
  }
}
