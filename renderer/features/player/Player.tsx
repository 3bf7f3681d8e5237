// Listen, seek, go back to a marked moment. Main decides first (playback.open); a refusal says why
// and what would allow it, and nothing plays. The consent summary is shown before the first second.
import { useEffect, useState } from 'react';
import { useFocusOnMount } from '../../components/focus';
import { Timeline } from './Timeline';
import { whatWouldAllow } from './refusal-words';
import { positionClock, shortDuration } from '../../components/time-words';
import { usePlayerSession } from './player-store';
import { useVault } from '../vault/vault-store';
import '../../styles/player.css';

const SPEEDS = [0.75, 1, 1.25, 1.5, 2] as const;
const SKIP_MS = 15_000;

/**
 * `nested` is for the player opened inside a recording in client review: its headings then sit
 * under that recording's h2 instead of starting a second h1 on the page.
 */
export function Player({ recordingId, nested = false }: { recordingId: string; nested?: boolean }) {
  const Title = nested ? 'h3' : 'h1';
  const Subtitle = nested ? 'h4' : 'h2';
  const { load, audioRef, feeder, problem } = usePlayerSession(recordingId);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const session = useVault((state) => state.status?.session);
  const open = useVault((state) => state.open);
  const detail = useVault((state) => state.detail);
  const [positionMs, setPositionMs] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);

  useEffect(() => {
    const media = audioRef.current;
    if (!media) return;
    const update = () => setPositionMs(Math.round(media.currentTime * 1000));
    const onPlay = () => setPlaying(true);
    const onPause = () => setPlaying(false);
    media.addEventListener('timeupdate', update);
    media.addEventListener('seeked', update);
    media.addEventListener('play', onPlay);
    media.addEventListener('pause', onPause);
    media.addEventListener('ended', onPause);
    return () => {
      media.removeEventListener('timeupdate', update);
      media.removeEventListener('seeked', update);
      media.removeEventListener('play', onPlay);
      media.removeEventListener('pause', onPause);
      media.removeEventListener('ended', onPause);
    };
  }, [audioRef]);

  const isTherapist = session?.role === 'therapist';
  const back =
    isTherapist && detail?.kind === 'player' ? (
      <button
        type="button"
        className="link-button back-link"
        onClick={() => open({ kind: 'client', clientId: detail.clientId })}
      >
        <span aria-hidden="true">←</span> Back to the client
      </button>
    ) : null;

  const ready = load.kind === 'ready' ? load.playback : null;
  const durationMs = ready?.durationMs ?? 0;
  const seek = (ms: number) => {
    feeder?.seek(ms);
    setPositionMs(Math.round(Math.max(0, Math.min(ms, durationMs))));
  };
  const togglePlay = () => {
    const media = audioRef.current;
    if (!media) return;
    if (media.paused) {
      if (media.ended || positionMs >= durationMs - 100) seek(0);
      void media.play().catch(() => undefined);
    } else media.pause();
  };

  return (
    <section className="player" aria-labelledby="player-title">
      {back}
      <Title id="player-title" className="player-title" ref={headingRef} tabIndex={-1}>
        Listen to a session
      </Title>
      {/* Always present, so the feeder can attach as soon as main says yes. No controls: ours are below. */}
      <audio ref={audioRef} preload="auto" data-testid="player-audio" />
      {load.kind === 'opening' ? <p className="muted">Opening the recording…</p> : null}
      {load.kind === 'refused' ? (
        <div className="player-refused" role="alert">
          <p className="notice notice-problem">
            <strong>This recording cannot be played.</strong> {load.error.message}
          </p>
          <p>{whatWouldAllow(load.error)}</p>
        </div>
      ) : null}
      {ready ? (
        <>
          <div className="player-consent" data-testid="player-consent">
            <Subtitle className="player-subtitle">Who may listen</Subtitle>
            <p>{ready.consentSummary ?? 'The consent for this recording is on file.'}</p>
          </div>
          <div className="player-card">
            <p className="player-length">
              Length: <strong>{shortDuration(ready.durationMs)}</strong>
            </p>
            <Timeline
              durationMs={ready.durationMs}
              positionMs={positionMs}
              markers={ready.markers}
              removedRanges={ready.removedRanges}
              onSeek={seek}
            />
            <div className="player-controls">
              <button
                type="button"
                className="button button-secondary"
                onClick={() => seek(positionMs - SKIP_MS)}
              >
                <span aria-hidden="true">↺ </span>Back 15 s
              </button>
              <button
                type="button"
                className="button button-primary player-play"
                onClick={togglePlay}
                disabled={feeder === null}
              >
                {playing ? 'Pause' : 'Play'}
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => seek(positionMs + SKIP_MS)}
              >
                Forward 15 s<span aria-hidden="true"> ↻</span>
              </button>
            </div>
            <fieldset className="player-speed">
              <legend>Speed</legend>
              {SPEEDS.map((value) => (
                <label key={value} className={value === speed ? 'speed speed-on' : 'speed'}>
                  <input
                    type="radio"
                    name="speed"
                    value={value}
                    checked={value === speed}
                    onChange={() => {
                      setSpeed(value);
                      if (audioRef.current) audioRef.current.playbackRate = value;
                    }}
                  />
                  {value}×
                </label>
              ))}
            </fieldset>
            {problem ? (
              <p className="notice notice-problem" role="alert">
                {problem}
              </p>
            ) : null}
          </div>
          {ready.markers.length > 0 || ready.removedRanges.length > 0 ? (
            <div className="player-moments">
              <Subtitle className="player-moments-title">Marked moments</Subtitle>
              <ul className="player-marks">
                {[
                  ...ready.markers.map((m) => ({ at: m.atMs, marker: m, gap: null })),
                  ...ready.removedRanges.map((r) => ({ at: r.fromMs, marker: null, gap: r })),
                ]
                  .sort((a, b) => a.at - b.at)
                  .map((item) =>
                    item.marker ? (
                      <li key={item.marker.markerId}>
                        <button
                          type="button"
                          className="link-button player-mark"
                          onClick={() => seek(item.marker.atMs)}
                        >
                          <span className="player-mark-time">
                            {positionClock(item.marker.atMs)}
                          </span>
                          {item.marker.label || 'Marked moment'}
                          <span className="visually-hidden">: go there</span>
                        </button>
                      </li>
                    ) : (
                      <li key={`gap-${item.at}`} className="player-gap-note">
                        <span className="player-mark-time">{positionClock(item.gap!.fromMs)}</span>A
                        part was removed here at the client’s request (
                        {shortDuration(item.gap!.toMs - item.gap!.fromMs)}). It is skipped.
                      </li>
                    ),
                  )}
              </ul>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
