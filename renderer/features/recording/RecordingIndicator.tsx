// "● Recording 12:04 · Alex · Stop" in the header of every screen while a recording runs, so the
// microphone is never on out of sight. Main owns the recording; this only shows it and asks it
// to stop.
import { useEffect } from 'react';
import { positionClock } from '../../components/time-words';
import { focusMainHeading } from '../../components/focus';
import { useClients } from '../clients/clients-store';
import { useRecording } from './recording-store';
import '../../styles/record.css';

export function RecordingIndicator() {
  const status = useRecording((state) => state.status);
  const watch = useRecording((state) => state.watch);
  const stop = useRecording((state) => state.stop);
  const busy = useRecording((state) => state.busy);
  const clients = useClients((state) => state.clients);
  const loadClients = useClients((state) => state.loadClients);

  useEffect(() => watch(), [watch]);

  const running = status !== null && status.state !== 'stopped' ? status : null;
  const name = running
    ? (clients?.find((client) => client.clientId === running.clientId)?.displayName ?? null)
    : null;
  const knowsClients = clients !== null;
  useEffect(() => {
    if (running && !knowsClients) void loadClients();
  }, [running, knowsClients, loadClients]);

  if (!running) return null;
  const paused = running.state === 'paused';
  const word = paused ? 'Paused' : running.state === 'stopping' ? 'Saving' : 'Recording';

  return (
    <div className={paused ? 'recording-indicator is-paused' : 'recording-indicator'}>
      <p className="recording-indicator-state">
        <span className={paused ? 'record-pause-icon' : 'record-dot'} aria-hidden="true" />
        {/* Only the state and the person are live: a ticking clock would be read every second. */}
        <span role="status" className="recording-indicator-word">
          {word}
          <span className="visually-hidden">{name ? ` with ${name}` : ' in progress'}</span>
        </span>
        <span className="recording-indicator-time">{positionClock(running.elapsedMs)}</span>
        {name ? (
          <span className="recording-indicator-who" aria-hidden="true">
            · {name}
          </span>
        ) : null}
      </p>
      <button
        type="button"
        className="recording-indicator-stop"
        aria-disabled={busy || running.state === 'stopping'}
        onClick={async () => {
          if (busy || running.state === 'stopping') return;
          await stop();
          // The button goes away with the recording: focus goes to the screen's heading.
          focusMainHeading();
        }}
      >
        Stop<span className="visually-hidden"> recording{name ? ` with ${name}` : ''}</span>
      </button>
    </div>
  );
}
