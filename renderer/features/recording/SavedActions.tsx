// What the Record and closing voice note screens offer once a recording is saved: what went wrong,
// if anything, then play it back or go back to the client.
import { useVault } from '../vault/vault-store';
import { useRecording } from './recording-store';

export function SavedActions({ clientId }: { clientId: string }) {
  const saved = useRecording((state) => state.saved)!;
  const forget = useRecording((state) => state.forget);
  const open = useVault((state) => state.open);
  return (
    <>
      {saved.problem ? <p className="notice notice-problem">{saved.problem}</p> : null}
      <div className="actions record-actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            forget();
            open({ kind: 'player', recordingId: saved.recordingId, clientId });
          }}
        >
          Play it back
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            forget();
            open({ kind: 'client', clientId });
          }}
        >
          Back to the client
        </button>
      </div>
    </>
  );
}
