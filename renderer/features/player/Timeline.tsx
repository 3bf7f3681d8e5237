// The recording's time line: where the listener is, the marked moments, and the parts removed at
// the client's request (shown as gaps, and said in words). Click anywhere to go there.
import type { RemovedRange } from './media-feeder';
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
  onSeek,
}: {
  durationMs: number;
  positionMs: number;
  markers: TimelineMarker[];
  removedRanges: RemovedRange[];
  onSeek: (ms: number) => void;
}) {
  const span = Math.max(1, durationMs);
  const percent = (ms: number) => `${Math.min(100, Math.max(0, (ms / span) * 100))}%`;
  return (
    <div className="timeline">
      {/* The bar is a pointer shortcut; the range input below is the keyboard way to seek. */}
      <div
        className="timeline-bar"
        aria-hidden="true"
        data-testid="timeline-bar"
        onClick={(event) => {
          const box = event.currentTarget.getBoundingClientRect();
          onSeek(((event.clientX - box.left) / box.width) * span);
        }}
      >
        <div className="timeline-played" style={{ width: percent(positionMs) }} />
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
      <p className="timeline-times">
        <span>{positionClock(positionMs)}</span>
        <span>{positionClock(durationMs)}</span>
      </p>
    </div>
  );
}
