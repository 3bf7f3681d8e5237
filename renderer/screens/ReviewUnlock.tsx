// The laptop was handed to a client for review: their PIN, or the therapist's way back (issue 6).
import type { VaultStatus } from '../../shared/api';

export function ReviewUnlock({ pending }: { pending: NonNullable<VaultStatus['pendingReview']> }) {
  return (
    <main className="page page-centered">
      <h1>Hello, {pending.displayName}</h1>
      <p className="muted">This screen is not built yet.</p>
    </main>
  );
}
