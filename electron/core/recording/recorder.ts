// The recording that is running now. Main owns it: it checks consent, opens the capture window
// (through a CaptureHost), takes each chunk the capture window sends, seals and commits it before
// answering, and finalises on stop. The UI window only asks and shows; reloading it changes nothing.
import { refuseWhileAnchorHeld } from '../vault/anchor-hold';
import {
  LEVEL_BIN_MS,
  MAX_RECORDING_MS,
  VOICE_NOTE_LIMIT_MS,
  type AuditAction,
  type RecorderStatus,
} from '../../../shared/api';
import { decide, type Actor, type RecordingKind } from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import {
  LOW_DISK_BYTES,
  startingRecording,
  statusOf,
  type ActiveRecording,
} from './active-recording';
import {
  CaptureCommands,
  failureSentences,
  type CaptureCommand,
  type CaptureFailure,
  type CaptureHost,
} from './capture-channel';
import { newOpaqueId } from '../platform/ids';
import type { ConsentService } from '../consent/consent-service';
import { wipe } from '../platform/crypto';
import { commitCiphertext } from './commit-ciphertext';
import { createConsentedRecording } from './create-consented-recording';
import { UnmarkedInterruptions, isDiskFull } from './unmarked-interruptions';
import type { Destroyer } from '../retention/destroyer';
import type { VaultService } from '../vault/vault-service';

/** Below this level (about -40 dBFS) for 10 s, the screen warns that the input may be muted. */
const SILENCE_RMS = 0.01;
const CAPTURE_LOST_MS = 15_000;
const STOP_WAIT_MS = 5_000;

/** What the recorder needs of the microphone checks: the input chosen, and the capture window free. */
export interface MicrophoneSide {
  chosenDeviceId(): string | null;
  /** Waits for a listing to end; refuses while a test listens (the screen waits for its verdict). */
  beforeRecording(): Promise<void>;
}

export class Recorder {
  private active: ActiveRecording | null = null;
  private lastStatus: RecorderStatus | null = null;
  /** Shared with the microphone checks: one capture window polls at a time. */
  readonly commands = new CaptureCommands(() => this.active?.recordingId ?? null);
  private readonly unmarked: UnmarkedInterruptions;

  constructor(
    private readonly lifecycle: VaultService,
    private readonly consent: ConsentService,
    private readonly destroyer: Destroyer,
    private readonly now: () => number,
    private readonly captureHost: CaptureHost,
    private readonly freeBytes: () => number,
    private readonly roomProcessingDefault: boolean,
    private readonly microphone: MicrophoneSide = {
      chosenDeviceId: () => null,
      beforeRecording: async () => undefined,
    },
  ) {
    this.unmarked = new UnmarkedInterruptions(lifecycle);
  }

  get isRecording(): boolean {
    return this.active !== null;
  }

  status(): RecorderStatus | null {
    const active = this.active;
    if (!active) return this.lastStatus;
    return statusOf(active, this.now());
  }

  /** The capture window's long poll: resolves with the next command, or 'continue' after a while. */
  nextCommand(): Promise<CaptureCommand> {
    return this.commands.next();
  }

  async start(
    clientId: string,
    actor: Actor,
    roomAudioProcessing: boolean | undefined,
    kind: RecordingKind = 'session',
  ): Promise<{ recordingId: string }> {
    this.lifecycle.unlocked();
    // One capture window at a time: the check that holds it finishes first.
    await this.microphone.beforeRecording();
    const { vault, info } = this.lifecycle.unlocked();
    if (this.active)
      throw new VaultError('NOT_ALLOWED', 'A recording is already running. Stop it first.');
    refuseWhileAnchorHeld(vault, (reason) =>
      vault.audit.append({
        actorRole: info.role,
        action: 'recording.start',
        subject: clientId,
        outcome: 'refused',
        reason,
      }),
    );
    const recordingId = newOpaqueId();
    try {
      createConsentedRecording(
        vault,
        info.role,
        this.consent,
        this.now,
        { recordingId, clientId, actor, kind },
        (recordingKey) => {
          const processing = roomAudioProcessing ?? this.roomProcessingDefault;
          this.active = startingRecording(
            {
              recordingId,
              clientId,
              kind,
              limitMs: kind === 'voice-note' ? VOICE_NOTE_LIMIT_MS : null,
              recordingKey,
            },
            processing,
            this.now,
            this.freeBytes,
            this.microphone.chosenDeviceId(),
          );
        },
      );
    } catch (error) {
      // The transaction rolled back (a full disk fails even its commit): no recording exists, so
      // none may look as if it were starting.
      // (The callback may have set it: the type checker cannot see into the transaction.)
      const current = this.active as ActiveRecording | null;
      if (current?.recordingId === recordingId) {
        wipe(current.recordingKey);
        this.active = null;
      }
      throw error;
    }
    // A poll still waiting here belongs to a capture window of an earlier recording: release it,
    // so the new window (opened below) is the one that gets 'record'.
    this.commands.reset();
    this.commands.send({ command: 'record', recordingId, settings: this.active!.settings });
    try {
      await this.captureHost.open(recordingId);
    } catch {
      this.fail(recordingId, 'recorder-error');
    }
    return { recordingId };
  }

  private armed(recordingId: string, action: AuditAction): ActiveRecording {
    const active = this.active;
    if (!active || active.recordingId !== recordingId || active.state === 'stopped') {
      this.lifecycle.log({
        actorRole: 'system',
        action,
        subject: recordingId,
        outcome: 'refused',
        reason: 'RECORDING_NOT_ARMED',
      });
      throw new VaultError('RECORDING_NOT_ARMED');
    }
    return active;
  }

  captureStarted(recordingId: string, mimeType: string): void {
    const active = this.armed(recordingId, 'capture.started');
    const vault = this.lifecycle.opened();
    const meta = vault.recordings.meta(recordingId, active.recordingKey);
    vault.recordings.updateMeta(recordingId, active.recordingKey, { ...meta, mimeType });
    active.mimeType = mimeType;
    active.state = 'recording';
    active.lastChunkAt = this.now();
    active.lastLoudAt = this.now();
  }

  /** Seals and commits one chunk before answering. */
  chunk(request: {
    recordingId: string;
    seq: number;
    durationMs: number;
    data: Uint8Array;
    levels?: Uint8Array | undefined;
  }): void {
    const active = this.armed(request.recordingId, 'capture.chunk');
    // Past the limit nothing more is kept, whatever the page sends while the stop takes effect.
    if (active.limitMs !== null && active.elapsedMs >= active.limitMs) return;
    const vault = this.lifecycle.opened();
    if (request.seq !== active.nextSeq) {
      vault.audit.append({
        actorRole: 'system',
        action: 'capture.chunk',
        subject: request.recordingId,
        outcome: 'refused',
        reason: `CHUNK_OUT_OF_SEQUENCE: got ${request.seq}, expected ${active.nextSeq}`,
      });
      throw new VaultError('CHUNK_OUT_OF_SEQUENCE');
    }
    const reportedMs = Math.max(0, Math.min(5000, Math.round(request.durationMs)));
    // An MP4 recording's chunk 0 is the header (ftyp+moov) and holds no audio: its time belongs
    // to the next chunk, so the time index matches the audio (measured on Chromium 156).
    const headerOnly = request.seq === 0 && active.mimeType.startsWith('audio/mp4');
    const durationMs = headerOnly ? 0 : reportedMs + active.carriedMs;
    // Only levels that come with a stored chunk are kept, and never more than a day's worth.
    const levelRoom = Math.max(0, MAX_RECORDING_MS / LEVEL_BIN_MS - active.levels.length);
    const peaks = (request.levels ?? new Uint8Array(0)).subarray(0, levelRoom);
    try {
      vault.recordings.append(request.recordingId, active.recordingKey, {
        seq: request.seq,
        startMs: active.elapsedMs,
        durationMs,
        payload: request.data,
        levels: { firstBin: active.levels.length, binMs: LEVEL_BIN_MS, peaks },
      });
    } catch (error) {
      if (isDiskFull(error)) {
        this.fail(request.recordingId, 'disk-full');
        throw new VaultError('INTERNAL', failureSentences['disk-full']);
      }
      if (error instanceof VaultError) {
        vault.audit.append({
          actorRole: 'system',
          action: 'capture.chunk',
          subject: request.recordingId,
          outcome: 'refused',
          reason: error.code,
        });
      }
      throw error;
    }
    active.nextSeq += 1;
    active.elapsedMs += durationMs;
    active.carriedMs = headerOnly ? reportedMs : 0;
    for (const peak of peaks) active.levels.push(peak);
    active.lastChunkAt = this.now();
    if (active.nextSeq % 10 === 0) active.diskLow = this.freeBytes() < LOW_DISK_BYTES;
    // Main's own count of recorded time decides the limit, so no page can stretch a voice note.
    if (
      active.limitMs !== null &&
      active.elapsedMs >= active.limitMs &&
      active.state !== 'stopping'
    ) {
      active.stopReason = 'reached the two-minute limit of a closing voice note';
      void this.stop(request.recordingId, active.stopReason);
    }
  }

  level(recordingId: string, rms: number): void {
    const active = this.active;
    if (!active || active.recordingId !== recordingId) return;
    active.level = rms;
    if (rms >= SILENCE_RMS) active.lastLoudAt = this.now();
  }

  pause(recordingId: string): void {
    const active = this.armed(recordingId, 'recording.pause');
    if (active.state !== 'recording')
      throw new VaultError('NOT_ALLOWED', 'The recording is not running, so it cannot be paused.');
    // Logged first: if the entry cannot be written, nothing pauses.
    this.lifecycle.log({
      actorRole: 'therapist',
      action: 'recording.pause',
      subject: recordingId,
      outcome: 'ok',
    });
    active.state = 'paused';
    this.commands.send({ command: 'pause', recordingId, settings: null });
  }

  resume(recordingId: string, actor: Actor): void {
    const active = this.armed(recordingId, 'recording.resume');
    if (active.state !== 'paused')
      throw new VaultError('NOT_ALLOWED', 'The recording is not paused.');
    this.consent.withClientKey(active.clientId, (clientKey) => {
      const decision = decide(
        'record',
        actor,
        this.consent.subject(active.clientId, clientKey, null, null),
        this.now(),
      );
      if (decision.allow) return;
      this.lifecycle.log({
        actorRole: 'therapist',
        action: 'recording.resume',
        subject: recordingId,
        outcome: 'refused',
        reason: decision.reasons.join(' '),
      });
      throw new VaultError('NOT_ALLOWED', decision.reasons.join(' '));
    });
    this.lifecycle.log({
      actorRole: 'therapist',
      action: 'recording.resume',
      subject: recordingId,
      outcome: 'ok',
    });
    active.state = 'recording';
    active.lastLoudAt = this.now();
    this.commands.send({ command: 'resume', recordingId, settings: null });
  }

  /** A marker at the current position, its label sealed with the recording key. */
  mark(recordingId: string, label: string): { markerId: string; atMs: number } {
    const active = this.armed(recordingId, 'recording.mark');
    const sinceChunk =
      active.state === 'recording'
        ? Math.min(Math.max(0, this.now() - active.lastChunkAt), 1500)
        : 0;
    const atMs = active.elapsedMs + sinceChunk;
    const markerId = this.lifecycle
      .opened()
      .recordings.addMarker(recordingId, active.recordingKey, atMs, label);
    return { markerId, atMs };
  }

  /**
   * A new label for a marked moment: with the running recording's key while it records, else with
   * the key unwrapped from the client's for this one call.
   */
  relabel(recordingId: string, markerId: string, label: string): void {
    const vault = this.lifecycle.unlocked().vault;
    const recording = vault.recordings.find(recordingId);
    if (!recording || recording.state === 'destroyed') throw new VaultError('NOT_FOUND');
    // The new label and its log entry commit together, or neither does.
    const relabelWith = (key: Uint8Array) =>
      vault.db.transaction(() => {
        if (!vault.recordings.relabelMarker(recordingId, key, markerId, label))
          throw new VaultError('NOT_FOUND', 'That marked moment is not in this recording.');
        vault.audit.append({
          actorRole: 'therapist',
          action: 'recording.mark',
          subject: recordingId,
          outcome: 'ok',
          reason: 'label changed',
        });
      })();
    const active = this.active;
    if (active?.recordingId === recordingId) {
      relabelWith(active.recordingKey);
      return;
    }
    this.consent.withClientKey(recording.clientId, (clientKey) => {
      const key = vault.clients.recordingKey(recordingId, clientKey);
      try {
        relabelWith(key);
      } finally {
        wipe(key);
      }
    });
  }

  /** Asks the capture window to stop, and resolves once the recording is finalised. */
  stop(recordingId: string, reason = 'stopped by the therapist'): Promise<RecorderStatus | null> {
    const active = this.armed(recordingId, 'recording.stop');
    return new Promise((resolve) => {
      active.onFinished.push(() => resolve(this.lastStatus));
      if (active.state === 'stopping') return;
      active.state = 'stopping';
      this.commands.send({ command: 'stop', recordingId, settings: null });
      active.stopTimer = setTimeout(() => {
        if (this.active === active)
          this.finish(recordingId, `${reason}; the recorder did not confirm`);
      }, STOP_WAIT_MS);
      active.stopTimer.unref?.();
    });
  }

  /** The capture window says the last chunk was sent. */
  captureFinished(recordingId: string): void {
    const active = this.armed(recordingId, 'capture.finished');
    this.finish(
      active.recordingId,
      active.problem ? 'stopped after a problem' : (active.stopReason ?? 'stopped'),
    );
  }

  fail(recordingId: string, failure: CaptureFailure | 'disk-full' | 'capture-lost'): void {
    const active = this.active;
    if (!active || active.recordingId !== recordingId) return;
    active.problem = {
      code: failure.toUpperCase().replace(/-/g, '_'),
      message: failureSentences[failure],
    };
    if (
      failure === 'disk-full' ||
      failure === 'capture-lost' ||
      failure === 'permission-denied' ||
      failure === 'no-microphone'
    ) {
      active.state = 'stopping';
      this.commands.send({ command: 'stop', recordingId, settings: null });
      // Nothing more will come that can be stored: finalise what is there now.
      this.finish(recordingId, failure);
    } else {
      void this.stop(recordingId, failure);
    }
  }

  /** Stops at once when consent ends (revocation, end of therapy) or the system suspends. */
  stopForClient(clientId: string, reason: string): void {
    if (this.active?.clientId === clientId) void this.stop(this.active.recordingId, reason);
  }

  stopAny(reason: string): void {
    if (this.active) void this.stop(this.active.recordingId, reason);
  }

  /**
   * Called every second: a capture window that went quiet (or never started) is treated as lost,
   * and a recording whose state could not be written (a full disk) is marked when it can be.
   */
  tick(): void {
    const active = this.active;
    const quiet = active && this.now() - active.lastChunkAt > CAPTURE_LOST_MS;
    if (quiet && (active.state === 'recording' || active.state === 'starting'))
      this.fail(active.recordingId, 'capture-lost');
    this.unmarked.retry();
  }

  /**
   * The app is closing: no capture window will confirm any more, so whatever is recording is
   * finalised now, while the vault file is still open, and no timer is left to outlive it.
   */
  close(reason: string): void {
    const active = this.active;
    if (active) this.finish(active.recordingId, `${reason}; the recorder did not confirm`);
  }

  /** The log's signing key while the therapist is signed in; null once locked. */
  private signingKey(): Uint8Array | null {
    try {
      return this.lifecycle.unlocked().auditSecrets.signing.secretKey;
    } catch {
      return null;
    }
  }

  private finish(recordingId: string, reason: string): void {
    const active = this.active;
    if (!active || active.recordingId !== recordingId) return;
    clearTimeout(active.stopTimer);
    const vault = this.lifecycle.opened();
    let finalState: 'finalised' | 'interrupted' = active.problem ? 'interrupted' : 'finalised';
    try {
      vault.recordings.finalise(recordingId, active.recordingKey, finalState, {
        binMs: LEVEL_BIN_MS,
        peaks: Uint8Array.from(active.levels),
      });
      const signingKey = this.signingKey();
      if (signingKey) commitCiphertext(vault, recordingId, signingKey);
    } catch {
      // The end marker could not be written (a full disk): left for the next unlock to seal.
      finalState = 'interrupted';
      // If even that cannot be written, tick() retries until it can (or start-up recovery does).
      this.unmarked.mark(recordingId);
    }
    try {
      vault.audit.append({
        actorRole: 'therapist',
        action: 'recording.stop',
        subject: recordingId,
        outcome: active.problem ? 'failed' : 'ok',
        reason: `${reason}; ${Math.round(active.elapsedMs / 1000)} s in ${active.nextSeq} chunks; ${finalState}`,
      });
    } catch {
      // The recording is already safe; a full disk may refuse the entry.
    }
    wipe(active.recordingKey);
    this.lastStatus = { ...this.status()!, state: 'stopped' };
    this.active = null;
    this.commands.send({ command: 'stop', recordingId, settings: null });
    void Promise.resolve(this.captureHost.close(recordingId)).catch(() => undefined);
    for (const done of active.onFinished) done();
    // The hourly sweep retries what this one could not do.
    this.destroyer.sweep('after a recording').catch(() => undefined);
  }
}
