// The open vault: who is signed in, where to go, and a Lock button that is always in reach.
import type { SessionInfo } from '../../shared/api';
import { LockIcon } from '../components/LockIcon';
import { useVault, type Detail, type View } from '../features/vault/vault-store';
import { ClientDetail } from '../features/clients/ClientDetail';
import { ConsentWizard } from '../features/consent/ConsentWizard';
import { Player } from '../features/player/Player';
import { Record } from '../features/recording/Record';
import { RecordingIndicator } from '../features/recording/RecordingIndicator';
import { VoiceNote } from '../features/recording/VoiceNote';
import { AccessLog } from '../features/audit/AccessLog';
import { Auditors } from '../features/auditors/Auditors';
import { Clients } from '../features/clients/Clients';
import { Settings } from '../features/settings/Settings';
import { ClockNotice } from '../features/vault/ClockNotice';
import { Home } from '../features/home/Home';

const views: ReadonlyArray<{ view: View; label: string }> = [
  { view: 'home', label: 'Home' },
  { view: 'clients', label: 'Clients' },
  { view: 'access-log', label: 'Access log' },
  { view: 'auditors', label: 'Auditors' },
  { view: 'settings', label: 'Settings' },
];

export function Shell({ session }: { session: SessionInfo }) {
  const view = useVault((state) => state.view);
  const detail = useVault((state) => state.detail);
  const navigate = useVault((state) => state.navigate);
  const lock = useVault((state) => state.lock);
  const clock = useVault((state) => state.status?.clock ?? null);
  // The client reads and signs the consent: only the wizard, none of the therapist's tabs.
  const clientFacing = detail?.kind === 'consent';

  return (
    <div className="shell">
      <header className="shell-header">
        <div className="shell-bar">
          <div className="shell-who">
            <p className="shell-practice">{session.practiceName}</p>
            <p className="shell-person">Signed in as {session.therapistName}</p>
          </div>
          <RecordingIndicator />
          <button type="button" className="button button-lock" onClick={() => void lock()}>
            <LockIcon size={22} />
            Lock
          </button>
        </div>
        <nav aria-label="Main" className="shell-nav" hidden={clientFacing}>
          <ul>
            {views.map((item) => (
              <li key={item.view}>
                <button
                  type="button"
                  className="nav-link"
                  // A client's page, the wizard, Record and the Player sit under the tab they came
                  // from: it stays marked, as the section ("true") rather than the page itself.
                  aria-current={view === item.view ? (detail ? 'true' : 'page') : undefined}
                  onClick={() => navigate(item.view)}
                >
                  {item.label}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main className="shell-main">
        {clock ? <ClockNotice clock={clock} /> : null}
        {detail ? (
          <DetailScreen detail={detail} />
        ) : (
          <>
            {view === 'home' ? <Home key="home" /> : null}
            {view === 'clients' ? <Clients key="clients" /> : null}
            {view === 'access-log' ? <AccessLog key="access-log" /> : null}
            {view === 'auditors' ? <Auditors key="auditors" /> : null}
            {view === 'settings' ? <Settings key="settings" session={session} /> : null}
          </>
        )}
      </main>
    </div>
  );
}

/** The screen opened from a tab; each owns its own way back. */
function DetailScreen({ detail }: { detail: Detail }) {
  switch (detail.kind) {
    case 'client':
      return <ClientDetail key={detail.clientId} clientId={detail.clientId} />;
    case 'consent':
      return <ConsentWizard key={detail.clientId} clientId={detail.clientId} />;
    case 'record':
      return <Record key={detail.clientId} clientId={detail.clientId} />;
    case 'voice-note':
      return <VoiceNote key={detail.clientId} clientId={detail.clientId} />;
    case 'player':
      return (
        <Player
          key={detail.recordingId}
          recordingId={detail.recordingId}
          seekTo={detail.atMs === undefined ? null : detail}
        />
      );
  }
}
