// Home, the therapist's first screen after unlock: what happened today, every recording kept with
// its countdown, the consents that need a conversation, and anything wrong with the vault. Read
// from three calls (the library, the clients, the policy), never one per client.
import { useEffect } from 'react';
import type { LibraryEntry } from '../../../shared/api';
import { destroyCountdown, formatDuration } from '../../../shared/consent-text';
import { DAY_MS, formatDate, formatDateTime, formatTime } from '../../../shared/format';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import { useMinuteClock } from '../../components/minute-clock';
import { useClients } from '../clients/clients-store';
import { IntegrityBanner } from '../vault/IntegrityBanner';
import { useVault } from '../vault/vault-store';
import { attentionItems, heldSentence, type AttentionItem } from './attention';
import { FileCheckNotice } from './FileCheckNotice';
import { useLibrary } from './library-store';
import '../../styles/home.css';

/** Recordings whose destruction is this close are named under "Needs attention". */
export const SOON_MS = 7 * DAY_MS;

function sameLocalDay(a: number, b: number): boolean {
  return formatDate(a) === formatDate(b);
}

export function Home() {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const now = useMinuteClock();
  const recordings = useLibrary((state) => state.recordings);
  const libraryProblem = useLibrary((state) => state.loadProblem);
  const loadLibrary = useLibrary((state) => state.loadLibrary);
  const clients = useClients((state) => state.clients);
  const policy = useClients((state) => state.policy);
  const clientsProblem = useClients((state) => state.loadProblem);
  const loadClients = useClients((state) => state.loadClients);
  const loadPolicy = useClients((state) => state.loadPolicy);

  useEffect(() => {
    void Promise.all([loadLibrary(), loadClients(), loadPolicy()]);
  }, [loadLibrary, loadClients, loadPolicy]);

  const loading = recordings === null || clients === null;
  const kept = (recordings ?? []).filter((r) => r.state !== 'destroyed');
  const today = (recordings ?? []).filter((r) => sameLocalDay(r.startedAt, now));
  const attention =
    clients && recordings
      ? attentionItems(clients, recordings, policy?.policyHash ?? null, now, SOON_MS)
      : [];

  return (
    <section aria-labelledby="home-title" className="home">
      <div className="screen-head">
        <h1 id="home-title" ref={headingRef} tabIndex={-1}>
          Home
        </h1>
        <p className="home-date">{formatDate(now)}</p>
      </div>

      <IntegrityBanner />
      <FileCheckNotice />
      <FormMessage message={libraryProblem ?? clientsProblem} />

      {loading ? (
        <p className="muted">Opening today…</p>
      ) : clients.length === 0 ? (
        <FirstDay />
      ) : (
        <>
          <Attention items={attention} />
          <Today recordings={today} />
          <KeptRecordings recordings={kept} now={now} />
        </>
      )}
    </section>
  );
}

function FirstDay() {
  const navigate = useVault((state) => state.navigate);
  return (
    <section aria-labelledby="first-day-title" className="panel panel-wide first-day">
      <h2 id="first-day-title">Your first day: three steps</h2>
      <ol className="first-day-steps">
        <li>
          <p>
            <strong>Check the practice’s policy and default terms.</strong> Every consent starts
            from them: how long recordings are kept and what happens when therapy ends.
          </p>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => navigate('settings')}
          >
            Open Settings
          </button>
        </li>
        <li>
          <p>
            <strong>Add your first client.</strong> Only you see their name; it is kept locked in
            the vault.
          </p>
          <button
            type="button"
            className="button button-primary"
            onClick={() => navigate('clients')}
          >
            Go to Clients
          </button>
        </li>
        <li>
          <p>
            <strong>Walk through consent together, then record.</strong> Nothing is recorded until
            the client has signed, and they can change their mind at any time.
          </p>
        </li>
      </ol>
    </section>
  );
}

function Attention({ items }: { items: AttentionItem[] }) {
  const open = useVault((state) => state.open);
  return (
    <section aria-labelledby="attention-title" className="home-block">
      <h2 id="attention-title">Needs attention</h2>
      {items.length === 0 ? (
        <p className="muted">Nothing needs attention: every consent is in order.</p>
      ) : (
        <ul className="attention-list">
          {items.map((item) => (
            <li
              key={`${item.kind}|${item.clientId}`}
              className={`attention attention-${item.kind}`}
            >
              <span className="attention-mark" aria-hidden="true">
                !
              </span>
              <div>
                <button
                  type="button"
                  className="link-button attention-client"
                  onClick={() => open({ kind: 'client', clientId: item.clientId })}
                >
                  {item.clientName}
                </button>
                <p>{item.sentence}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Today({ recordings }: { recordings: LibraryEntry[] }) {
  return (
    <section aria-labelledby="today-title" className="home-block">
      <h2 id="today-title">Today</h2>
      {recordings.length === 0 ? (
        <p className="muted">Nothing recorded today yet.</p>
      ) : (
        <ul className="today-list">
          {recordings.map((recording) => (
            <li key={recording.recordingId}>
              <span className="today-time">{formatTime(recording.startedAt)}</span>{' '}
              <ClientLink recording={recording} />
              {recording.title ? (
                <>
                  {' · '}
                  <span className="home-recording-title">{recording.title}</span>
                </>
              ) : null}
              {' · '}
              {recording.state === 'recording'
                ? 'recording now'
                : recording.state === 'destroyed'
                  ? 'destroyed'
                  : formatDuration(recording.durationMs)}
              {recording.state === 'interrupted' ? ' · interrupted, kept to the last second' : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ClientLink({ recording }: { recording: LibraryEntry }) {
  const open = useVault((state) => state.open);
  return (
    <button
      type="button"
      className="link-button"
      onClick={() => open({ kind: 'client', clientId: recording.clientId })}
    >
      {recording.clientDisplayName || 'A client'}
    </button>
  );
}

function KeptRecordings({ recordings, now }: { recordings: LibraryEntry[]; now: number }) {
  return (
    <section aria-labelledby="kept-title" className="home-block">
      <h2 id="kept-title">Recordings kept ({recordings.length})</h2>
      {recordings.length === 0 ? (
        <p className="muted">No recordings are kept on this laptop.</p>
      ) : (
        <div className="table-wrap">
          <table className="home-table">
            <caption className="visually-hidden">
              Every recording kept, newest first, with when it will be destroyed
            </caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Recorded</th>
                <th scope="col">Length</th>
                <th scope="col">Destroyed</th>
              </tr>
            </thead>
            <tbody>
              {recordings.map((recording) => (
                <tr key={recording.recordingId}>
                  <th scope="row">
                    <ClientLink recording={recording} />
                  </th>
                  <td>
                    {recording.title ? (
                      <span className="home-recording-title">{recording.title}</span>
                    ) : null}
                    <span className="home-recording-when">
                      {formatDateTime(recording.startedAt)}
                    </span>
                  </td>
                  <td>
                    {recording.state === 'recording'
                      ? 'Recording now'
                      : formatDuration(recording.durationMs)}
                  </td>
                  <td>
                    {recording.held !== null ? (
                      <span className="home-held" data-testid="library-held">
                        {heldSentence(recording.held)}
                      </span>
                    ) : recording.destroyAfter === null ? (
                      'No date set'
                    ) : (
                      destroyCountdown(recording.destroyAfter, now)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
