// Listen, seek, go back to a marked moment (issue 4). Being built; until then it says so.
import { useVault } from '../store/vault-store';

export function Player({ recordingId }: { recordingId: string }) {
  const open = useVault((state) => state.open);
  return (
    <section aria-labelledby="Player-title" data-recordingId={recordingId}>
      <h1 id="Player-title">Player</h1>
      <p className="muted">This screen is not built yet.</p>
      <button type="button" className="button" onClick={() => open(null)}>
        Back
      </button>
    </section>
  );
}
