// Clients: find a client, add one (with the others in the room for couples and families), and
// see at a glance whose consent is active, when they were last recorded, how many recordings are
// kept and when the next is destroyed (from the one-call library, not one call per client).
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ClientSummary } from './clients-store';
import { formatDate } from '../../../shared/format';
import { uiText } from '../../../shared/ui-text';
import { ConsentPill } from './ConsentPill';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import { useClients } from './clients-store';
import { useVault } from '../vault/vault-store';
import { IntegrityBanner } from '../vault/IntegrityBanner';
import {
  recordingFactsByClient,
  useLibrary,
  type ClientRecordingFacts,
} from '../home/library-store';
import { heldSentence } from '../home/attention';
import '../../styles/clients.css';

type SortOrder = 'name' | 'last-session' | 'next-destruction';

const sortLabels: Record<SortOrder, string> = {
  name: 'Name, A to Z',
  'last-session': 'Last session, newest first',
  'next-destruction': 'Next destruction, soonest first',
};

const noFacts: ClientRecordingFacts = {
  kept: 0,
  lastStartedAt: null,
  nextDestroyAfter: null,
  held: 0,
  heldReason: null,
};

/** Clients without the date sorted on go last, in name order. */
function byDate(a: number | null, b: number | null, newestFirst: boolean): number {
  if (a === null || b === null) return Number(a === null) - Number(b === null);
  return newestFirst ? b - a : a - b;
}

export function Clients() {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const clients = useClients((state) => state.clients);
  const loadClients = useClients((state) => state.loadClients);
  const loadProblem = useClients((state) => state.loadProblem);
  const library = useLibrary((state) => state.recordings);
  const loadLibrary = useLibrary((state) => state.loadLibrary);
  const [query, setQuery] = useState('');
  const [order, setOrder] = useState<SortOrder>('name');
  const [showArchived, setShowArchived] = useState(false);
  const [adding, setAdding] = useState(false);
  const listId = useId();

  useEffect(() => {
    void loadClients();
    void loadLibrary();
  }, [loadClients, loadLibrary]);

  const facts = recordingFactsByClient(library ?? []);
  const factsOf = (client: ClientSummary) => facts.get(client.clientId) ?? noFacts;
  const compare = (a: ClientSummary, b: ClientSummary): number => {
    if (order === 'last-session')
      return byDate(factsOf(a).lastStartedAt, factsOf(b).lastStartedAt, true);
    if (order === 'next-destruction')
      return byDate(factsOf(a).nextDestroyAfter, factsOf(b).nextDestroyAfter, false);
    return 0;
  };

  const needle = query.trim().toLowerCase();
  const matches = (client: ClientSummary) =>
    needle === '' ||
    [client.displayName, ...client.participants.map((p) => p.displayName)].some((name) =>
      name.toLowerCase().includes(needle),
    );
  const all = clients ?? [];
  const archivedCount = all.filter((c) => c.archived).length;
  const shown = all
    .filter((c) => showArchived || !c.archived)
    .filter(matches)
    .sort((a, b) => compare(a, b) || a.displayName.localeCompare(b.displayName));

  return (
    <section aria-labelledby="clients-title" className="clients">
      <div className="screen-head">
        <h1 id="clients-title" ref={headingRef} tabIndex={-1}>
          Clients
        </h1>
        {adding ? null : (
          <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
            Add a client
          </button>
        )}
      </div>

      <IntegrityBanner />

      {adding ? <AddClient onDone={() => setAdding(false)} /> : null}

      {clients !== null && all.length > 0 ? (
        <div className="clients-tools">
          <Field
            label="Find a client"
            type="search"
            value={query}
            onChange={setQuery}
            className="clients-search"
            autoComplete="off"
            describedBy={listId}
          />
          <div className="field clients-sort">
            <label htmlFor={`${listId}-sort`}>Sort by</label>
            <select
              id={`${listId}-sort`}
              value={order}
              onChange={(event) => setOrder(event.target.value as SortOrder)}
            >
              {(Object.keys(sortLabels) as SortOrder[]).map((key) => (
                <option key={key} value={key}>
                  {sortLabels[key]}
                </option>
              ))}
            </select>
          </div>
          {archivedCount > 0 ? (
            <label className="toggle">
              <input
                type="checkbox"
                checked={showArchived}
                onChange={(event) => setShowArchived(event.target.checked)}
              />
              Show archived clients ({archivedCount})
            </label>
          ) : null}
        </div>
      ) : null}

      <FormMessage message={loadProblem} />
      <p id={listId} className="visually-hidden" role="status">
        {clients === null
          ? ''
          : `${shown.length} ${shown.length === 1 ? 'client' : 'clients'} shown.`}
      </p>

      {clients === null ? (
        <p className="muted">Loading clients…</p>
      ) : all.length === 0 ? (
        <div className="empty-state">
          <p>{uiText.clientsEmpty}</p>
        </div>
      ) : shown.length === 0 ? (
        <div className="empty-state">
          <p>No client matches “{query.trim()}”.</p>
        </div>
      ) : (
        <ul className="client-list" aria-label="Clients">
          {shown.map((client) => (
            <ClientRow
              key={client.clientId}
              client={client}
              facts={library === null ? null : factsOf(client)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ClientRow({
  client,
  facts,
}: {
  client: ClientSummary;
  /** Null while the library is still being read. */
  facts: ClientRecordingFacts | null;
}) {
  const open = useVault((state) => state.open);
  const others = client.participants.slice(1).map((p) => p.displayName);
  return (
    <li className="client-row" data-archived={client.archived ? 'yes' : 'no'}>
      <button
        type="button"
        className="client-open"
        onClick={() => open({ kind: 'client', clientId: client.clientId })}
      >
        <span className="client-name">{client.displayName}</span>
        {others.length > 0 ? <span className="client-others">with {others.join(', ')}</span> : null}
      </button>
      <div className="client-consent">
        <ConsentPill state={client.consent.state} />
        {client.archived ? <span className="pill pill-archived">Archived</span> : null}
        <p className="client-summary">
          {client.consent.summary ?? 'Walk through consent together before recording.'}
        </p>
        {facts ? <RecordingFacts facts={facts} /> : null}
      </div>
    </li>
  );
}

function RecordingFacts({ facts }: { facts: ClientRecordingFacts }) {
  return (
    <dl className="client-facts">
      <div>
        <dt>Last session</dt>
        <dd>{facts.lastStartedAt === null ? 'None yet' : formatDate(facts.lastStartedAt)}</dd>
      </div>
      <div>
        <dt>Recordings kept</dt>
        <dd>{facts.kept}</dd>
      </div>
      <div>
        <dt>Next destruction</dt>
        <dd>{facts.nextDestroyAfter === null ? 'None' : formatDate(facts.nextDestroyAfter)}</dd>
      </div>
      {facts.heldReason !== null ? (
        <div className="client-facts-held" data-testid="client-held">
          <dt>Held</dt>
          <dd>
            {facts.held} · {heldSentence(facts.heldReason)}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

function AddClient({ onDone }: { onDone: () => void }) {
  const addClient = useClients((state) => state.addClient);
  const announce = useVault((state) => state.announce);
  const [name, setName] = useState('');
  const [others, setOthers] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (name.trim() === '') return setError('Write the client’s name.');
    const otherNames = others.map((o) => o.trim()).filter(Boolean);
    setBusy(true);
    const failure = await addClient(name.trim(), otherNames);
    setBusy(false);
    if (failure) return setError(failure.message);
    announce(`${name.trim()} was added.`);
    onDone();
  }

  return (
    <form className="panel add-client" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId} ref={headingRef} tabIndex={-1}>
        Add a client
      </h2>
      <Field
        label="Client’s name"
        value={name}
        onChange={(next) => {
          setName(next);
          setError(null);
        }}
        autoComplete="off"
        hint="Only you see this name. It is kept locked in the vault."
        required
      />
      <fieldset className="others">
        <legend>Others in the sessions</legend>
        <p className="field-hint">For couples and family sessions. Everyone here signs consent.</p>
        {others.map((other, index) => (
          <div className="other-row" key={index}>
            <Field
              label={`Person ${index + 2}`}
              value={other}
              onChange={(next) => setOthers(others.map((o, i) => (i === index ? next : o)))}
              autoComplete="off"
            />
            <button
              type="button"
              className="link-button"
              onClick={() => setOthers(others.filter((_, i) => i !== index))}
            >
              Remove person {index + 2}
            </button>
          </div>
        ))}
        {others.length < 7 ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setOthers([...others, ''])}
          >
            Add another person
          </button>
        ) : null}
      </fieldset>
      <FormMessage message={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Add client
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
