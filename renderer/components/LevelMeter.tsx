// The live input level: a bar and a word, so neither colour nor movement is the only signal.
function levelWord(level: number): string {
  if (level < 0.01) return 'Silent';
  if (level < 0.05) return 'Quiet';
  if (level < 0.3) return 'Good';
  return 'Loud';
}

export function LevelMeter({ level, active }: { level: number; active: boolean }) {
  // RMS of speech sits around 0.02-0.2: a square root spreads that over the bar.
  const fill = active ? Math.min(1, Math.sqrt(level) * 1.6) : 0;
  const word = active ? levelWord(level) : 'Paused';
  return (
    <div className="level">
      <span className="level-label" id="level-label">
        Sound level
      </span>
      <div
        className="level-bar"
        role="meter"
        aria-labelledby="level-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fill * 100)}
        aria-valuetext={word}
        data-testid="level-meter"
      >
        <div className="level-fill" style={{ width: `${Math.round(fill * 100)}%` }} />
      </div>
      <span className="level-word">{word}</span>
    </div>
  );
}
