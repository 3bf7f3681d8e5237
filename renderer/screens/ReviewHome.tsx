// Client review: their own recordings, nothing else, and an easy way out (issue 6). Being built.
import type { SessionInfo } from '../../shared/api';
import { useVault } from '../store/vault-store';

export function ReviewHome({ session }: { session: SessionInfo }) {
  const lock = useVault((state) => state.lock);
  return (
    <main className="page page-centered">
      <h1>Your recordings, {session.review?.displayName}</h1>
      <p className="muted">This screen is not built yet.</p>
      <button type="button" className="button" onClick={() => void lock()}>
        End review
      </button>
    </main>
  );
}
