// The recording's one scrubber: the waveform, where the listener is, the marked moments and the
// parts removed at the client's request (shown as gaps, and said in words elsewhere). The range
// input lies over the drawing, so pointer and keyboard move the same control.
import type { RemovedRange } from './media-feeder';
import { Waveform } from './Waveform';
import { positionClock, shortDuration } from '../../components/time-words';

interface TimelineMarker {
  markerId: string;
  atMs: number;
  label: string;
}

export function Timeline({
  durationMs,
  positionMs,
  markers,
  removedRanges,
  levels,
  onSeek,
}: {
  durationMs: number;
  positionMs: number;
  markers: TimelineMarker[];
  removedRanges: RemovedRange[];
  levels: { binMs: number; peaks: Uint8Array } | null;
  onSeek: (ms: number) => void;
}) {
  const span = Math.max(1, durationMs);
  const percent = (ms: number) => `${Math.min(100, Math.max(0, (ms / span) * 100))}%`;
  // In the whole seconds shown, so position and time left add up to the length on the screen.
  const second = (ms: number) => Math.floor(Math.max(0, ms) / 1000);
  const leftMs = Math.max(0, second(durationMs) - second(positionMs)) * 1000;
  return (
    <div className="timeline">
      <div className="timeline-scrubber">
        <div className="timeline-bar" aria-hidden="true" data-testid="timeline-bar">
          <div className="timeline-played" style={{ width: percent(positionMs) }} />
          {levels ? <Waveform levels={levels} durationMs={durationMs} /> : null}
          {removedRanges.map((range) => (
            <div
              key={range.fromMs}
              className="timeline-gap"
              style={{ left: percent(range.fromMs), width: percent(range.toMs - range.fromMs) }}
            />
          ))}
          {markers.map((marker) => (
            <div
              key={marker.markerId}
              className="timeline-marker"
              style={{ left: percent(marker.atMs) }}
            />
          ))}
          <div className="timeline-head" style={{ left: percent(positionMs) }} />
        </div>
        <input
          className="timeline-range"
          type="range"
          min={0}
          max={span}
          step={1000}
          value={Math.min(positionMs, span)}
          aria-label="Position"
          aria-valuetext={`${shortDuration(positionMs)} of ${shortDuration(durationMs)}`}
          onChange={(event) => onSeek(Number(event.currentTarget.value))}
        />
      </div>
      <p className="timeline-times">
        <span data-testid="player-position">{positionClock(positionMs)}</span>
        <span data-testid="player-time-left">
          {positionClock(leftMs)} left of {positionClock(durationMs)}
        </span>
      </p>
    </div>
  );
}
