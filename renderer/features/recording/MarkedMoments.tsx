// Moments marked during a recording: one key (M) marks without stopping to type, and each moment
// can be given its words afterwards, here, while the session goes on.
import { useState } from 'react';
import { positionClock } from '../../components/time-words';
import { useRecording } from './recording-store';

export interface MarkedMoment {
  markerId: string;
  atMs: number;
  label: string;
}

function MomentLabel({ recordingId, moment }: { recordingId: string; moment: MarkedMoment }) {
  const labelMarker = useRecording((state) => state.labelMarker);
  const [label, setLabel] = useState(moment.label);
  const [saved, setSaved] = useState(moment.label);
  const [problem, setProblem] = useState<string | null>(null);
  const at = positionClock(moment.atMs);
  return (
    <li className="record-moment">
      <form
        className="record-moment-form"
        onSubmit={async (event) => {
          event.preventDefault();
          const text = label.trim();
          if (text === saved) return;
          const error = await labelMarker(recordingId, moment.markerId, text);
          setProblem(error?.message ?? null);
          if (!error) setSaved(text);
        }}
      >
        <span className="record-moment-time">{at}</span>
        <input
          aria-label={`Label for the moment at ${at}`}
          value={label}
          maxLength={80}
          placeholder="Marked moment"
          onChange={(event) => setLabel(event.currentTarget.value)}
        />
        <button
          type="submit"
          className="button button-secondary button-small"
          aria-disabled={label.trim() === saved}
        >
          Save label
        </button>
      </form>
      {problem ? (
        <p className="notice notice-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </li>
  );
}

export function MarkedMoments({
  recordingId,
  moments,
}: {
  recordingId: string;
  moments: MarkedMoment[];
}) {
  if (moments.length === 0) return null;
  return (
    <div className="record-marks">
      <h2>Marked so far</h2>
      <ul>
        {moments.map((moment) => (
          <MomentLabel key={moment.markerId} recordingId={recordingId} moment={moment} />
        ))}
      </ul>
    </div>
  );
}
