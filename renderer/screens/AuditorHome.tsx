// The auditor's view: the access log, filters, export and verification (issue 7). Being built.
import type { SessionInfo } from '../../shared/api';
import { useVault } from '../store/vault-store';

export function AuditorHome({ session }: { session: SessionInfo }) {
  const lock = useVault((state) => state.lock);
  return (
    <main className="page page-centered">
      <h1>Access log</h1>
      <p className="muted">
        Signed in as auditor {session.auditorId}. This screen is not built yet.
      </p>
      <button type="button" className="button" onClick={() => void lock()}>
        Lock
      </button>
    </main>
  );
}
