// How loud each stretch of the recording was, drawn from the levels measured while recording and
// sealed with it (playback.open): nothing is decoded to draw it. Decorative: the position control
// beside it is what a screen reader uses.

/** More columns than this are not told apart on a laptop screen. */
const MAX_COLUMNS = 300;

export function Waveform({
  levels,
  durationMs,
}: {
  levels: { binMs: number; peaks: Uint8Array };
  durationMs: number;
}) {
  const { binMs, peaks } = levels;
  const perColumn = Math.max(1, Math.ceil(peaks.length / MAX_COLUMNS));
  const columns: { atMs: number; level: number }[] = [];
  for (let first = 0; first < peaks.length; first += perColumn) {
    let level = 0;
    for (let i = first; i < Math.min(peaks.length, first + perColumn); i += 1)
      level = Math.max(level, peaks[i]!);
    columns.push({ atMs: first * binMs, level });
  }
  const width = Math.max(durationMs, peaks.length * binMs, 1);
  const columnMs = perColumn * binMs;
  return (
    <svg
      className="waveform"
      data-testid="waveform"
      data-column-ms={columnMs}
      viewBox={`0 0 ${width} 100`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      {columns.map(({ atMs, level }) => {
        // Never thinner than a hairline, so silence still reads as part of the recording.
        const height = Math.max(3, (level / 255) * 92);
        return (
          <rect
            key={atMs}
            x={atMs + columnMs * 0.15}
            y={(100 - height) / 2}
            width={columnMs * 0.7}
            height={height}
            data-at-ms={atMs}
            data-level={level}
          />
        );
      })}
    </svg>
  );
}
