// The consent wizard, walked through with the client (issue 5). Being built; until then it says so.
import { useVault } from '../store/vault-store';

export function ConsentWizard({ clientId }: { clientId: string }) {
  const open = useVault((state) => state.open);
  return (
    <section aria-labelledby="ConsentWizard-title" data-clientId={clientId}>
      <h1 id="ConsentWizard-title">ConsentWizard</h1>
      <p className="muted">This screen is not built yet.</p>
      <button type="button" className="button" onClick={() => open(null)}>
        Back
      </button>
    </section>
  );
}
