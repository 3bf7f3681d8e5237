// One open playback: asks main for a ticket, feeds the media element through MediaFeeder, and on
// close tells main how much was heard. The ticket, the feeder and the blob URL live exactly as
// long as the Player that opened them.
import { useEffect, useRef, useState } from 'react';
import type { Playback } from '../../../shared/api-practice';
import { MediaFeeder, type RemovedRange } from './media-feeder';
import { useVault } from '../vault/vault-store';

type PlayerLoad =
  | { kind: 'opening' }
  | { kind: 'refused'; message: string }
  | { kind: 'ready'; playback: Playback };

interface PlayerSession {
  load: PlayerLoad;
  audioRef: React.RefObject<HTMLAudioElement | null>;
  feeder: MediaFeeder | null;
  problem: string | null;
}

export function usePlayerSession(recordingId: string): PlayerSession {
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const [load, setLoad] = useState<PlayerLoad>({ kind: 'opening' });
  const [feeder, setFeeder] = useState<MediaFeeder | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const announce = useVault((state) => state.announce);

  useEffect(() => {
    let cancelled = false;
    let playbackId: string | null = null;
    let active: MediaFeeder | null = null;
    void (async () => {
      const opened = await window.vault.playback.open({ recordingId });
      if (cancelled) {
        if (opened.ok)
          void window.vault.playback.close({ playbackId: opened.value.playbackId, heardMs: 0 });
        return;
      }
      if (!opened.ok) {
        setLoad({ kind: 'refused', message: opened.error.message });
        return;
      }
      const playback = opened.value;
      playbackId = playback.playbackId;
      setLoad({ kind: 'ready', playback });
      const media = audioRef.current;
      if (!media) return;
      active = new MediaFeeder(media, {
        mimeType: playback.mimeType,
        durationMs: playback.durationMs,
        chunks: playback.chunks,
        removedRanges: playback.removedRanges,
        fetchChunk: async (seq) => {
          const result = await window.vault.playback.chunk({
            playbackId: playback.playbackId,
            seq,
          });
          if (!result.ok) throw new Error(result.error.message);
          return result.value.data;
        },
        onProblem: (message) => {
          media.pause();
          setProblem(message);
        },
        onSkippedRemoved: (range: RemovedRange) =>
          announce(
            `Skipped ${Math.round((range.toMs - range.fromMs) / 1000)} seconds that were removed at the client’s request.`,
          ),
      });
      setFeeder(active);
      await active.attach();
    })();
    return () => {
      cancelled = true;
      const heardMs = active?.heardMs ?? 0;
      active?.detach();
      if (playbackId) void window.vault.playback.close({ playbackId, heardMs });
    };
  }, [recordingId, announce]);

  return { load, audioRef, feeder, problem };
}
