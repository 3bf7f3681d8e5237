// The vault file cannot be opened: say what happened and what to do, calmly.
import { useFocusOnMount } from '../components/focus';
import { useVault } from '../features/vault/vault-store';

export function Unavailable({ message }: { message: string }) {
  const refresh = useVault((state) => state.refresh);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main className="page page-centered">
      <div className="card card-wide">
        <div className="card-header">
          <h1 ref={headingRef} tabIndex={-1}>
            The vault cannot be opened
          </h1>
        </div>
        <p className="notice notice-problem">{message}</p>
        <p>
          Session Vault has not changed or deleted anything. Press Try again. If the problem stays,
          ask the person who looks after this laptop for help.
        </p>
        <div className="actions">
          <button type="button" className="button button-primary" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      </div>
    </main>
  );
}
