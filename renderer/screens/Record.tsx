// Record a session, safely, and know it is working (issue 4). Being built; until then it says so.
import { useVault } from '../store/vault-store';

export function Record({ clientId }: { clientId: string }) {
  const open = useVault((state) => state.open);
  return (
    <section aria-labelledby="Record-title" data-clientId={clientId}>
      <h1 id="Record-title">Record</h1>
      <p className="muted">This screen is not built yet.</p>
      <button type="button" className="button" onClick={() => open(null)}>
        Back
      </button>
    </section>
  );
}
