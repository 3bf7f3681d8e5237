// The auditor's view: the access log and nothing else (main refuses everything else anyway).
import type { SessionInfo } from '../../../shared/api';
import { LockIcon } from '../../components/LockIcon';
import { LogScreen } from './LogScreen';
import { useAudit } from './audit-store';
import { shortId } from './audit-words';
import { useFocusOnMount } from '../../components/focus';
import { useVault } from '../vault/vault-store';

export function AuditorHome({ session }: { session: SessionInfo }) {
  const lock = useVault((state) => state.lock);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const ownName = useAudit((state) =>
    session.auditorId ? state.names.auditors.get(session.auditorId) : undefined,
  );
  return (
    <div className="shell">
      <header className="shell-header">
        <div className="shell-bar">
          <div className="shell-who">
            <h1 id="auditor-title" className="auditor-title" ref={headingRef} tabIndex={-1}>
              Access log — signed in as auditor
            </h1>
            {session.auditorId ? (
              <p className="shell-person">
                Auditor{' '}
                {ownName
                  ? `${ownName} (${shortId(session.auditorId)})`
                  : shortId(session.auditorId)}
              </p>
            ) : null}
          </div>
          <button type="button" className="button button-lock" onClick={() => void lock()}>
            <LockIcon size={22} />
            Lock
          </button>
        </div>
      </header>
      <main className="shell-main" aria-labelledby="auditor-title">
        <LogScreen
          title={null}
          fingerprintHint="Compare it with the fingerprint the practice gave you on paper or by phone."
        />
      </main>
    </div>
  );
}
