// The one line that says what a recording is doing, on the Record and voice note screens alike:
// a red dot (or the pause sign) and the word, so colour is never the only signal.
export function RecordingStateLine({ state, who }: { state: string; who: string | null }) {
  const paused = state === 'paused';
  const word =
    state === 'stopping'
      ? 'Saving…'
      : paused
        ? 'Paused'
        : state === 'starting'
          ? 'Starting…'
          : 'Recording';
  return (
    <div className="record-state" data-testid="record-state">
      <span className={paused ? 'record-pause-icon' : 'record-dot'} aria-hidden="true" />
      <span className="record-word">{word}</span>
      {who ? <span className="record-who">{who}</span> : null}
    </div>
  );
}
