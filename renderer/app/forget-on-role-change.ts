// The page keeps nothing of one person's session for the next: when the signed-in role changes
// (a lock, a hand-over to a client, an auditor signing in), every store but the vault's own goes
// back to its first state, so client names, terms and takeaways are not left in this page's
// memory for whoever holds the laptop next. Main refuses them anyway; this is the second wall.
// (The review store empties itself when a review ends, and keeps only the goodbye screen.)
import { useAudit } from '../features/audit/audit-store';
import { useClients } from '../features/clients/clients-store';
import { useLibrary } from '../features/home/library-store';
import { useMicrophone } from '../features/recording/microphone-store';
import { useRecording } from '../features/recording/recording-store';
import { useVault } from '../features/vault/vault-store';

interface Resettable<T> {
  getInitialState(): T;
  setState(state: T, replace: true): void;
}

function reset<T>(store: Resettable<T>): void {
  store.setState(store.getInitialState(), true);
}

export function forgetOnRoleChange(): () => void {
  return useVault.subscribe((next, previous) => {
    const role = next.status?.session?.role ?? null;
    const before = previous.status?.session?.role ?? null;
    if (role === before) return;
    reset(useAudit);
    reset(useClients);
    reset(useLibrary);
    reset(useRecording);
    reset(useMicrophone);
  });
}
