// Listen, seek, go back to a marked moment. Main decides first (playback.open); a refusal says why
// and what would allow it, and nothing plays. The consent summary is shown before the first second,
// except in the client's review, whose page already shows the consent they agreed to.
import { useEffect, useState, type KeyboardEvent } from 'react';
import { formatDateTime } from '../../../shared/format';
import { useFocusOnMount } from '../../components/focus';
import { Timeline } from './Timeline';
import { whatWouldAllow } from './refusal-words';
import { positionClock, shortDuration } from '../../components/time-words';
import { usePlayerSession } from './player-store';
import { LARGE_SKIP_MS, SPEEDS, playerActionFor, shortcutList } from './player-keys';
import { useVault } from '../vault/vault-store';
import '../../styles/player.css';

/**
 * `nested` is for the player opened inside a recording in client review: its headings then sit
 * under that recording's h2, and the consent and marked moments the review page already shows are
 * not repeated. `seekTo` moves the playhead there once the audio is ready (a marked moment).
 */
export function Player({
  recordingId,
  nested = false,
  seekTo = null,
}: {
  recordingId: string;
  nested?: boolean;
  seekTo?: { atMs?: number | undefined } | null;
}) {
  const Title = nested ? 'h3' : 'h1';
  const Subtitle = nested ? 'h4' : 'h2';
  const { load, audioRef, feeder, attached, problem } = usePlayerSession(recordingId);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const session = useVault((state) => state.status?.session);
  const open = useVault((state) => state.open);
  const detail = useVault((state) => state.detail);
  const announce = useVault((state) => state.announce);
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

  const ready = load.kind === 'ready' ? load.playback : null;
  const durationMs = ready?.durationMs ?? 0;
  const seek = (ms: number) => {
    feeder?.seek(ms);
    setPositionMs(Math.round(Math.max(0, Math.min(ms, durationMs))));
  };

  useEffect(() => {
    if (!attached || !feeder || seekTo?.atMs === undefined) return;
    // The media element's 'seeked' moves the position shown.
    feeder.seek(seekTo.atMs);
  }, [attached, feeder, seekTo]);

  const togglePlay = () => {
    const media = audioRef.current;
    if (!media || !feeder) return;
    if (media.paused) {
      if (media.ended || positionMs >= durationMs - 100) seek(0);
      void media.play().catch(() => undefined);
    } else media.pause();
  };
  const changeSpeed = (value: number) => {
    setSpeed(value);
    if (audioRef.current) audioRef.current.playbackRate = value;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (!ready) return;
    const action = playerActionFor(event);
    if (!action) return;
    event.preventDefault();
    if (action.kind === 'toggle') togglePlay();
    if (action.kind === 'skip') seek(positionMs + action.ms);
    if (action.kind === 'speed') {
      changeSpeed(action.speed);
      announce(`Speed ${action.speed}×`);
    }
  };

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

  return (
    <section className="player" aria-labelledby="player-title" onKeyDown={onKeyDown}>
      {back}
      <Title id="player-title" className="player-title" ref={headingRef} tabIndex={-1}>
        {ready?.title ? (
          <>
            Listen to “{ready.title}”{' '}
            <span className="player-title-when">
              {ready.clientDisplayName}, {formatDateTime(ready.startedAt)}
            </span>
          </>
        ) : (
          <>
            Listen to a session
            {ready ? (
              <>
                {' '}
                with {ready.clientDisplayName}{' '}
                <span className="player-title-when">
                  recorded {formatDateTime(ready.startedAt)}
                </span>
              </>
            ) : null}
          </>
        )}
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
          {nested ? null : (
            <div className="player-consent" data-testid="player-consent">
              <Subtitle className="player-subtitle">Who may listen</Subtitle>
              <p>{ready.consentSummary ?? 'The consent for this recording is on file.'}</p>
            </div>
          )}
          <div className="player-card">
            <p className="player-length">
              Length: <strong>{shortDuration(ready.durationMs)}</strong>
            </p>
            <Timeline
              durationMs={ready.durationMs}
              positionMs={positionMs}
              markers={ready.markers}
              removedRanges={ready.removedRanges}
              levels={ready.levels}
              onSeek={seek}
            />
            <div className="player-controls">
              <button
                type="button"
                className="button button-secondary"
                onClick={() => seek(positionMs - LARGE_SKIP_MS)}
              >
                <span aria-hidden="true">↺ </span>Back 15 s
              </button>
              <button
                type="button"
                className="button button-primary player-play"
                onClick={togglePlay}
                aria-disabled={feeder === null}
              >
                {playing ? 'Pause' : 'Play'}
              </button>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => seek(positionMs + LARGE_SKIP_MS)}
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
                    name={`speed-${recordingId}`}
                    value={value}
                    checked={value === speed}
                    onChange={() => changeSpeed(value)}
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
            <div className="player-keys">
              <Subtitle className="player-keys-title">Keyboard shortcuts</Subtitle>
              <dl>
                {shortcutList.map((shortcut) => (
                  <div key={shortcut.keys} className="player-key">
                    <dt>
                      <kbd>{shortcut.keys}</kbd>
                    </dt>
                    <dd>{shortcut.does}</dd>
                  </div>
                ))}
              </dl>
            </div>
          </div>
          {!nested && (ready.markers.length > 0 || ready.removedRanges.length > 0) ? (
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
