// Listing the microphones and testing one before a recording, through the hidden capture window
// (the only window that may open the microphone). A check keeps nothing: the list and the levels
// stay in memory until the answer, and no audio leaves the capture window.
//
// Not logged: a check reads and writes nothing of the vault and no person's data; the access log
// records who reached what the vault keeps. A refused request is still logged at the door.
import {
  MICROPHONE_TEST_MS,
  microphoneSentences,
  type Microphone,
  type Reply,
} from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import { newOpaqueId } from '../platform/ids';
import type { CaptureCommands, CaptureFailure, CaptureHost } from './capture-channel';
import type { MicrophoneChoice } from './microphone-choice';

/** Louder than this (about -40 dBFS, as the silence warning) is a voice, not a muted input. */
const HEARD_RMS = 0.01;
/**
 * How long the capture window may take to open and answer, beyond the test itself: as long as a
 * recording's capture window may stay quiet before it counts as lost.
 */
const ANSWER_MS = 15_000;

type Outcome =
  | { kind: 'listed'; microphones: Microphone[] }
  | { kind: 'tested' }
  | { kind: 'failed'; reason: CaptureFailure | 'no-answer' };

interface RunningCheck {
  checkId: string;
  command: 'list-microphones' | 'test-microphone';
  loudest: number;
  level: number;
  timer: ReturnType<typeof setTimeout>;
  finish(outcome: Outcome): void;
  /** Settles when the check ends, however it ends. */
  done: Promise<Outcome>;
}

export class MicrophoneChecks {
  private running: RunningCheck | null = null;

  constructor(
    private readonly commands: CaptureCommands,
    private readonly host: CaptureHost,
    private readonly isRecording: () => boolean,
    readonly choice: MicrophoneChoice,
  ) {}

  /**
   * A recording is about to take the capture window: a listing is waited for (it takes a moment
   * and the page started it by itself); a test is refused, since its verdict is on its way.
   */
  async beforeRecording(): Promise<void> {
    while (this.running) {
      if (this.running.command === 'test-microphone')
        throw new VaultError(
          'NOT_ALLOWED',
          'The microphone test is still running. Wait for its answer, then record.',
        );
      await this.running.done;
    }
  }

  async list(): Promise<Reply<'microphone.list'>> {
    const outcome = await this.run('list-microphones', null);
    if (outcome.kind !== 'listed')
      throw new VaultError(
        'INTERNAL',
        sentenceFor(outcome.kind === 'failed' ? outcome.reason : 'no-answer'),
      );
    return { microphones: outcome.microphones, chosen: this.choice.get() };
  }

  async test(deviceId: string | null): Promise<Reply<'microphone.test'>> {
    let loudest = 0;
    const outcome = await this.run('test-microphone', deviceId, (check) => {
      loudest = check.loudest;
    });
    if (outcome.kind === 'failed')
      return { verdict: 'failed', message: sentenceFor(outcome.reason), loudest };
    const heard = loudest >= HEARD_RMS;
    return {
      verdict: heard ? 'heard' : 'silent',
      message: heard ? microphoneSentences.heard : microphoneSentences.silent,
      loudest,
    };
  }

  level(): Reply<'microphone.testLevel'> {
    const check = this.running;
    const testing = check?.command === 'test-microphone';
    return { testing, level: testing ? check.level : 0 };
  }

  /** The capture window's list of inputs. */
  listed(checkId: string, microphones: Microphone[]): void {
    const check = this.current(checkId, 'list-microphones');
    check.finish({ kind: 'listed', microphones });
  }

  testLevel(checkId: string, rms: number): void {
    const check = this.running;
    // A level still on its way when the test ended is dropped, as the recorder drops late ones.
    if (check?.checkId !== checkId || check.command !== 'test-microphone') return;
    check.level = rms;
    check.loudest = Math.max(check.loudest, rms);
  }

  testDone(checkId: string): void {
    this.current(checkId, 'test-microphone').finish({ kind: 'tested' });
  }

  /** True when the failure was this check's (capture.failed carries a recording's id or a check's). */
  failed(checkId: string, reason: CaptureFailure): boolean {
    if (this.running?.checkId !== checkId) return false;
    this.running.finish({ kind: 'failed', reason });
    return true;
  }

  private failRunning(checkId: string): void {
    if (this.running?.checkId === checkId)
      this.running.finish({ kind: 'failed', reason: 'no-answer' });
  }

  private current(checkId: string, command: RunningCheck['command']): RunningCheck {
    const check = this.running;
    if (!check || check.checkId !== checkId || check.command !== command)
      throw new VaultError('NOT_ALLOWED', 'That microphone check is not running.');
    return check;
  }

  private async run(
    command: RunningCheck['command'],
    deviceId: string | null,
    beforeEnd: (check: RunningCheck) => void = () => undefined,
  ): Promise<Outcome> {
    if (this.isRecording() || this.running)
      throw new VaultError('NOT_ALLOWED', microphoneSentences.busy);
    const checkId = newOpaqueId();
    const durationMs = command === 'test-microphone' ? MICROPHONE_TEST_MS : 0;
    let resolve: (outcome: Outcome) => void = () => undefined;
    const outcome = new Promise<Outcome>((settle) => {
      resolve = settle;
    });
    const check: RunningCheck = {
      checkId,
      command,
      loudest: 0,
      level: 0,
      timer: setTimeout(() => this.failRunning(checkId), durationMs + ANSWER_MS),
      done: outcome,
      finish: (result) => {
        if (this.running !== check) return;
        clearTimeout(check.timer);
        beforeEnd(check);
        this.running = null;
        // A command the window never took must not reach the next window to poll.
        this.commands.reset();
        void Promise.resolve()
          .then(() => this.host.close(checkId))
          .catch(() => undefined);
        resolve(result);
      },
    };
    check.timer.unref?.();
    this.running = check;
    // A poll still waiting belongs to a window that is gone: the new window must get this command.
    this.commands.reset();
    this.commands.send({
      command,
      recordingId: null,
      settings: null,
      check: { checkId, deviceId, durationMs },
    });
    try {
      await this.host.open(checkId);
    } catch {
      this.failRunning(checkId);
    }
    return outcome;
  }
}

function sentenceFor(reason: CaptureFailure | 'no-answer'): string {
  return reason === 'recorder-error'
    ? microphoneSentences['no-answer']
    : microphoneSentences[reason];
}
