// recording.*, playback.* and capture.*: the running recording, the player's tickets, and the
// capture window's side (the contract admits only the capture window to capture.*).
import { VaultError } from '../../../shared/errors';
import { wipe } from '../platform/crypto';
import type { Handlers } from '../dispatch';
import { commitCiphertext } from '../recording/commit-ciphertext';
import { recordingLibrary } from '../playback/recording-library';
import type { CoreContext } from './context';

export function recordingHandlers(context: CoreContext) {
  const { lifecycle, recorder, player, destroyer } = context;
  return {
    'recordings.library': () => {
      context.active();
      return { recordings: recordingLibrary(lifecycle, context.consent) };
    },
    'recording.start': (request, actor) => {
      context.active();
      return recorder.start(
        request.clientId,
        actor,
        request.roomAudioProcessing,
        request.kind ?? 'session',
      );
    },
    'recording.pause': (request) => {
      context.active();
      recorder.pause(request.recordingId);
      return {};
    },
    'recording.resume': (request, actor) => {
      context.active();
      recorder.resume(request.recordingId, actor);
      return {};
    },
    'recording.stop': (request) => {
      context.active();
      return recorder.stop(request.recordingId);
    },
    'recording.mark': (request) => {
      context.active();
      return recorder.mark(request.recordingId, request.label);
    },
    'recording.labelMarker': (request) => {
      context.active();
      recorder.relabel(request.recordingId, request.markerId, request.label);
      return {};
    },
    'recording.status': () => {
      // Every screen's header polls this four times a second: a check, never activity, or the
      // idle lock would never come while the app is open (a running recording holds it off).
      lifecycle.lockIfIdle(recorder.isRecording);
      return recorder.status();
    },
    'recording.removeRange': (request) => {
      context.active();
      if (request.toMs <= request.fromMs)
        throw new VaultError(
          'INVALID_REQUEST',
          'The end of the part to remove must come after its start.',
        );
      const { vault, info } = lifecycle.unlocked();
      const recording = vault.recordings.get(request.recordingId);
      if (recording.state === 'recording' || recording.state === 'destroyed')
        throw new VaultError('NOT_ALLOWED', 'Only a finished recording can have a part removed.');
      vault.audit.append({
        actorRole: info.role,
        action: 'recording.removeRange',
        subject: request.recordingId,
        outcome: 'ok',
        reason: `from ${request.fromMs} ms to ${request.toMs} ms, at the client's request`,
      });
      const removed = vault.recordings.destroyRange(
        request.recordingId,
        request.fromMs,
        request.toMs,
      );
      commitCiphertext(
        vault,
        request.recordingId,
        lifecycle.unlocked().auditSecrets.signing.secretKey,
      );
      return removed;
    },
    'recording.annotate': (request) => {
      context.active();
      const { vault, info, masterKey } = lifecycle.unlocked();
      const recording = vault.recordings.get(request.recordingId);
      if (recording.state === 'destroyed')
        throw new VaultError('NOT_ALLOWED', 'This recording was already destroyed.');
      const clientKey = vault.clients.keyForTherapist(recording.clientId, masterKey);
      let recordingKey: Uint8Array | null = null;
      try {
        recordingKey = vault.clients.recordingKey(request.recordingId, clientKey);
        const key = recordingKey;
        const cleared = (text: string | null | undefined) => (text ? text : null);
        vault.db.transaction(() => {
          // Logged without the words: the log says that it changed, never what it says.
          if (request.title !== undefined) {
            const title = cleared(request.title);
            vault.audit.append({
              actorRole: info.role,
              action: 'recording.rename',
              subject: request.recordingId,
              outcome: 'ok',
              reason: title === null ? 'title cleared' : 'title set',
            });
            vault.recordingNotes.write(request.recordingId, key, 'title', title);
          }
          if (request.privateNote !== undefined) {
            const note = cleared(request.privateNote);
            vault.audit.append({
              actorRole: info.role,
              action: 'recording.note',
              subject: request.recordingId,
              outcome: 'ok',
              reason: note === null ? 'private note removed' : 'private note saved',
            });
            vault.recordingNotes.write(request.recordingId, key, 'note', note);
          }
        })();
        const saved = vault.recordingNotes.read(request.recordingId, key);
        return { title: saved.title, privateNote: saved.note };
      } finally {
        wipe(recordingKey);
        wipe(clientKey);
      }
    },
    'recording.destroy': async (request) => {
      context.active();
      const { vault } = lifecycle.unlocked();
      const recording = vault.recordings.get(request.recordingId);
      if (recording.state === 'destroyed')
        throw new VaultError('NOT_ALLOWED', 'This recording was already destroyed.');
      if (recording.state === 'recording')
        throw new VaultError('NOT_ALLOWED', 'Stop the recording first.');
      await destroyer.destroyNow(request.recordingId, 'destroyed on request', 'therapist');
      return {};
    },
    'playback.open': (request, actor) => {
      context.active();
      // A client plays only after agreeing to the review's one sentence.
      if (actor.role === 'client') context.review.requireAcknowledged();
      return player.open(request.recordingId, actor);
    },
    'playback.chunk': (request) => {
      context.active();
      if (lifecycle.otherSession?.kind === 'client') context.review.requireAcknowledged();
      return player.chunk(request.playbackId, request.seq);
    },
    'playback.close': (request) => {
      player.close(request.playbackId, request.heardMs);
      return {};
    },
    'capture.next': () => recorder.nextCommand(),
    'capture.started': (request) => {
      recorder.captureStarted(request.recordingId, request.mimeType);
      return {};
    },
    'capture.chunk': (request) => {
      recorder.chunk(request);
      return {};
    },
    'capture.level': (request) => {
      recorder.level(request.recordingId, request.rms);
      return {};
    },
    'capture.failed': (request) => {
      // The id is a recording's, or a microphone check's (the capture window fails either way).
      if (!context.microphones.failed(request.recordingId, request.reason))
        recorder.fail(request.recordingId, request.reason);
      return {};
    },
    'capture.finished': (request) => {
      recorder.captureFinished(request.recordingId);
      return {};
    },
  } satisfies Partial<Handlers>;
}
