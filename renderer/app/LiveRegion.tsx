// One polite live region for the whole app: "The vault locked.", "Saved." and the like.
import { useVault } from '../features/vault/vault-store';

export function LiveRegion() {
  const announcement = useVault((state) => state.announcement);
  return (
    <div role="status" aria-live="polite" className="visually-hidden" data-testid="announcer">
      {announcement.text ? <p key={announcement.id}>{announcement.text}</p> : null}
    </div>
  );
}
