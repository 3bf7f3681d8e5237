// What main's rollback check found at this start (an older copy put back, a rewritten log, a
// missing keychain record), shown on the lock screen and to the therapist and auditors.
import type { ReactNode } from 'react';
import { useVault } from './vault-store';

export function WithIntegrityBanner({ children }: { children: ReactNode }) {
  const notice = useVault((state) => state.status?.integrity ?? null);
  if (!notice) return <>{children}</>;
  return (
    <>
      {/* A div, so the forms' own `p[role="alert"]` stays the one a refused request fills. */}
      <div className="notice notice-problem integrity-banner" role="alert">
        {notice.message}
      </div>
      {children}
    </>
  );
}
