// One open playback: asks main for a ticket, feeds the media element through MediaFeeder, and on
// close tells main how much was heard. The ticket, the feeder and the blob URL live exactly as
// long as the Player that opened them.
import { useEffect, useRef, useState } from 'react';
import type { Reply } from '../../../shared/api';
import type { VaultErrorInfo } from '../../../shared/errors';
import { MediaFeeder, type RemovedRange } from './media-feeder';
import { callMain, Refusal } from '../../app/call-main';
import { useVault } from '../vault/vault-store';

type PlayerLoad =
  | { kind: 'opening' }
  | { kind: 'refused'; error: VaultErrorInfo }
  | { kind: 'ready'; playback: Reply<'playback.open'> };

interface PlayerSession {
  load: PlayerLoad;
  audioRef: React.RefObject<HTMLAudioElement | null>;
  feeder: MediaFeeder | null;
  /** True once the feeder holds the media element: from then on a seek lands. */
  attached: boolean;
  problem: string | null;
}

export function usePlayerSession(recordingId: string): PlayerSession {
  const audioRef = useRef<HTMLAudioElement | null>(null);
  const [load, setLoad] = useState<PlayerLoad>({ kind: 'opening' });
  const [feeder, setFeeder] = useState<MediaFeeder | null>(null);
  const [attached, setAttached] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const announce = useVault((state) => state.announce);

  useEffect(() => {
    let cancelled = false;
    let playbackId: string | null = null;
    let active: MediaFeeder | null = null;
    void (async () => {
      const playback = await callMain(window.vault.playback.open({ recordingId }));
      if (cancelled) {
        if (!(playback instanceof Refusal))
          void window.vault.playback.close({ playbackId: playback.playbackId, heardMs: 0 });
        return;
      }
      if (playback instanceof Refusal) {
        setLoad({ kind: 'refused', error: playback.error });
        return;
      }
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
          const chunk = await callMain(
            window.vault.playback.chunk({ playbackId: playback.playbackId, seq }),
          );
          if (chunk instanceof Refusal) throw new Error(chunk.message);
          return chunk.data;
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
      if (!cancelled) setAttached(true);
    })();
    return () => {
      cancelled = true;
      const heardMs = active?.heardMs ?? 0;
      active?.detach();
      if (playbackId) void window.vault.playback.close({ playbackId, heardMs });
    };
  }, [recordingId, announce]);

  return { load, audioRef, feeder, attached, problem };
}
