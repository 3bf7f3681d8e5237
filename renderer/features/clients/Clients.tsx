// Clients: find a client, add one (with the others in the room for couples and families), and
// see at a glance whose consent is active.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ClientSummary } from './clients-store';
import { uiText } from '../../../shared/ui-text';
import { ConsentPill } from './ConsentPill';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import { useClients } from './clients-store';
import { useVault } from '../vault/vault-store';
import { IntegrityBanner } from '../vault/IntegrityBanner';
import '../../styles/clients.css';

export function Clients() {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const clients = useClients((state) => state.clients);
  const loadClients = useClients((state) => state.loadClients);
  const loadProblem = useClients((state) => state.loadProblem);
  const [query, setQuery] = useState('');
  const [showArchived, setShowArchived] = useState(false);
  const [adding, setAdding] = useState(false);
  const listId = useId();

  useEffect(() => {
    void loadClients();
  }, [loadClients]);

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
    .sort((a, b) => a.displayName.localeCompare(b.displayName));

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
            <ClientRow key={client.clientId} client={client} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ClientRow({ client }: { client: ClientSummary }) {
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
      </div>
    </li>
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
