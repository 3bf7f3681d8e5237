// The running recording as main reports it (recording.status, about four times a second), and the
// therapist's actions on it. Main owns the recording: a reload of this window changes nothing.
import { create } from 'zustand';
import type { Reply, Result } from '../../../shared/api';
import type { RecordingKind } from '../../../shared/consent-terms';
import type { VaultErrorInfo } from '../../../shared/errors';
import { uiText } from '../../../shared/ui-text';
import { callMain, Refusal } from '../../app/call-main';
import { shortDuration } from '../../components/time-words';
import { useVault } from '../vault/vault-store';

type RecorderStatus = NonNullable<Reply<'recording.status'>>;

const POLL_MS = 250;

interface RecordingState {
  status: RecorderStatus | null;
  /** Set once a recording this screen watched has stopped: what was saved. */
  saved: {
    recordingId: string;
    clientId: string;
    elapsedMs: number;
    problem: string | null;
  } | null;
  busy: boolean;
  watch(): () => void;
  start(clientId: string, kind?: RecordingKind): Promise<VaultErrorInfo | null>;
  pause(): Promise<VaultErrorInfo | null>;
  resume(): Promise<VaultErrorInfo | null>;
  stop(): Promise<VaultErrorInfo | null>;
  /** Marks this moment; resolves with the marker, or the refusal. */
  mark(label: string): Promise<{ markerId: string; atMs: number } | VaultErrorInfo>;
  labelMarker(recordingId: string, markerId: string, label: string): Promise<VaultErrorInfo | null>;
  forget(): void;
}

export const useRecording = create<RecordingState>()((set, get) => {
  let watchers = 0;
  let timer: ReturnType<typeof setInterval> | null = null;
  const announce = (text: string) => useVault.getState().announce(text);

  async function poll(): Promise<void> {
    const next = await callMain(window.vault.recording.status({}));
    if (next instanceof Refusal) return;
    const previous = get().status;
    if (JSON.stringify(previous) === JSON.stringify(next)) return;
    set({ status: next });
    // A notice appearing in the page is not read out by itself: say it once, when it starts.
    if (next?.diskLow && !previous?.diskLow) announce(uiText.diskLow);
    // Stopped by main (disk full, microphone lost, consent ended): say what was kept.
    if (
      next &&
      next.state === 'stopped' &&
      previous &&
      previous.recordingId === next.recordingId &&
      previous.state !== 'stopped'
    )
      finished(next);
  }

  function finished(status: RecorderStatus): void {
    if (get().saved?.recordingId === status.recordingId) return;
    set({
      saved: {
        recordingId: status.recordingId,
        clientId: status.clientId,
        elapsedMs: status.elapsedMs,
        problem: status.problem?.message ?? null,
      },
    });
    announce(
      status.problem
        ? `Recording stopped. ${status.problem.message}`
        : `Recording stopped and saved: ${shortDuration(status.elapsedMs)}.`,
    );
  }

  /** Runs one request, then shows the status main now reports. */
  async function requestThenPoll<T>(
    call: () => Promise<Result<T>>,
  ): Promise<VaultErrorInfo | null> {
    set({ busy: true });
    try {
      const outcome = await callMain(call());
      await poll();
      return outcome instanceof Refusal ? outcome.error : null;
    } finally {
      set({ busy: false });
    }
  }

  return {
    status: null,
    saved: null,
    busy: false,

    watch() {
      // The header and the Record screen both watch: one timer serves every watcher.
      watchers += 1;
      if (watchers === 1) {
        void poll();
        timer = setInterval(() => void poll(), POLL_MS);
      }
      return () => {
        watchers -= 1;
        if (watchers === 0 && timer !== null) {
          clearInterval(timer);
          timer = null;
        }
      };
    },

    async start(clientId, kind = 'session') {
      set({ saved: null });
      const error = await requestThenPoll(() =>
        window.vault.recording.start({ clientId, reconfirmedAloud: true, kind }),
      );
      if (!error) announce(kind === 'voice-note' ? 'Voice note recording.' : 'Recording started.');
      return error;
    },

    async pause() {
      const id = get().status?.recordingId;
      if (!id) return null;
      const error = await requestThenPoll(() => window.vault.recording.pause({ recordingId: id }));
      if (!error) announce('Recording paused.');
      return error;
    },

    async resume() {
      const id = get().status?.recordingId;
      if (!id) return null;
      const error = await requestThenPoll(() => window.vault.recording.resume({ recordingId: id }));
      if (!error) announce('Recording resumed.');
      return error;
    },

    async stop() {
      const id = get().status?.recordingId;
      if (!id) return null;
      set({ busy: true });
      try {
        const stopped = await callMain(window.vault.recording.stop({ recordingId: id }));
        if (stopped instanceof Refusal) return stopped.error;
        const status = stopped ?? get().status;
        if (status) {
          set({ status: { ...status, state: 'stopped' } });
          finished({ ...status, state: 'stopped' });
        }
        return null;
      } finally {
        set({ busy: false });
      }
    },

    async mark(label) {
      const id = get().status?.recordingId;
      if (!id) return { code: 'RECORDING_NOT_ARMED', message: 'No recording is running.' };
      const marker = await callMain(window.vault.recording.mark({ recordingId: id, label }));
      if (marker instanceof Refusal) return marker.error;
      announce(`Moment marked at ${shortDuration(marker.atMs)}.`);
      return marker;
    },

    async labelMarker(recordingId, markerId, label) {
      const labelled = await callMain(
        window.vault.recording.labelMarker({ recordingId, markerId, label }),
      );
      if (labelled instanceof Refusal) return labelled.error;
      announce('Label saved.');
      return null;
    },

    forget() {
      set({ saved: null });
    },
  };
});
