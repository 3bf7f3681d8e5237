// A client: consent status, recordings with destruction dates, takeaways, end therapy (issue 5). Being built; until then it says so.
import { useVault } from '../store/vault-store';

export function ClientDetail({ clientId }: { clientId: string }) {
  const open = useVault((state) => state.open);
  return (
    <section aria-labelledby="ClientDetail-title" data-clientId={clientId}>
      <h1 id="ClientDetail-title">ClientDetail</h1>
      <p className="muted">This screen is not built yet.</p>
      <button type="button" className="button" onClick={() => open(null)}>
        Back
      </button>
    </section>
  );
}
