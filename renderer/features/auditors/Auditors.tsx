// Auditors (therapist): give an auditor their own sign-in to the access log, see who has one,
// take it away, and, when an auditor needs them, reveal the names behind the client ids.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { formatDate, formatTime } from '../../../shared/format';
import { assessPassphrase } from '../../../shared/passphrase';
import { Field } from '../../components/Field';
import { Button } from '../../components/Button';
import { ConfirmPanel } from '../../components/ConfirmPanel';
import { FormMessage } from '../../components/FormMessage';
import { NewPassphraseFields } from '../../components/NewPassphraseFields';
import { count, shortId } from '../audit/audit-words';
import { useFocusOnMount } from '../../components/focus';
import { useVault } from '../vault/vault-store';
import { Refusal } from '../../app/call-main';
import { auditorsStore, type Auditor, type RevealedClients } from './auditors-store';
import '../../styles/audit.css';

function AddAuditor({ onAdded }: { onAdded: () => void }) {
  const announce = useVault((state) => state.announce);
  const titleId = useId();
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  const session = useVault((state) => state.status?.session ?? null);
  const names = [name, session?.practiceName ?? '', session?.therapistName ?? ''];
  const strongEnough = assessPassphrase(passphrase, names).acceptable;
  const repeated = repeat === passphrase;
  const ready = name.trim() !== '' && strongEnough && repeated && !busy;
  const why = !name.trim()
    ? 'Write the auditor’s sign-in name.'
    : !strongEnough
      ? 'Choose a stronger passphrase.'
      : !repeated
        ? 'The two passphrases are not the same yet.'
        : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    setAdded(null);
    const added = await auditorsStore.add(name.trim(), passphrase);
    setBusy(false);
    if (added instanceof Refusal) {
      setError(added.message);
      return;
    }
    const sentence = `${name.trim()} can now sign in as an auditor from the lock screen.`;
    setAdded(sentence);
    announce(sentence);
    setName('');
    setPassphrase('');
    setRepeat('');
    onAdded();
  }

  return (
    <form className="panel" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId}>Add an auditor</h2>
      <p className="muted">
        An auditor signs in from the lock screen with their own name and passphrase. They see the
        access log and nothing else: no recordings, notes or client names. Give them the passphrase
        in person.
      </p>
      <Field label="Sign-in name" value={name} onChange={setName} autoComplete="off" required />
      <NewPassphraseFields
        label="Auditor’s passphrase"
        repeatLabel="Repeat auditor’s passphrase"
        passphrase={passphrase}
        onPassphrase={setPassphrase}
        repeat={repeat}
        onRepeat={setRepeat}
        names={names}
      />
      <FormMessage message={error} />
      <div className="actions">
        <Button
          type="submit"
          className="button button-primary"
          busy={busy}
          unavailable={!ready}
          aria-describedby={why ? `${titleId}-why` : undefined}
        >
          {busy ? 'Adding…' : 'Add auditor'}
        </Button>
        {why ? (
          <p id={`${titleId}-why`} className="actions-note">
            {why}
          </p>
        ) : null}
        {added ? <p className="saved-note">{added}</p> : null}
      </div>
    </form>
  );
}

function AuditorRow({
  auditor,
  name,
  onRemoved,
}: {
  auditor: Auditor;
  name: string | undefined;
  onRemoved: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // As the access log names them, so the therapist and the auditor read the same words.
  const label = name
    ? `Auditor ${name} (${shortId(auditor.auditorId)})`
    : `Auditor ${shortId(auditor.auditorId)}`;

  async function remove() {
    const removed = await auditorsStore.remove(auditor.auditorId);
    if (removed instanceof Refusal) setError(removed.message);
    else onRemoved();
  }

  return (
    <>
      <tr>
        <th scope="row">{label}</th>
        <td>{formatDate(auditor.createdAt)}</td>
        <td>
          {auditor.removedAt === null ? 'Can sign in' : `Removed ${formatDate(auditor.removedAt)}`}
        </td>
        <td className="auditor-actions">
          {auditor.removedAt !== null || confirming ? null : (
            <button
              type="button"
              className="button button-secondary"
              aria-label={`Remove ${label}`}
              onClick={() => setConfirming(true)}
            >
              Remove
            </button>
          )}
        </td>
      </tr>
      {confirming && auditor.removedAt === null ? (
        // A row of its own: the panel needs the table's whole width.
        <tr>
          <td colSpan={4} className="auditor-confirm">
            <ConfirmPanel
              title={`Remove ${label}?`}
              confirmLabel="Remove"
              cancelLabel="Keep"
              danger
              onConfirm={() => void remove()}
              onCancel={() => setConfirming(false)}
            >
              <p>They can no longer sign in. The log keeps what they did.</p>
              <FormMessage message={error} />
            </ConfirmPanel>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function RevealNames() {
  const titleId = useId();
  const [revealed, setRevealed] = useState<(RevealedClients & { at: number }) | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function reveal() {
    setBusy(true);
    setError(null);
    const names = await auditorsStore.revealClients();
    setBusy(false);
    if (names instanceof Refusal) setError(names.message);
    else setRevealed({ ...names, at: Date.now() });
  }

  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Reveal client names for one export</h2>
      <p className="muted">
        The log names clients only by an id. If an auditor needs to know who an id is, you can show
        the names here, to read out or copy for that one export. Each time you do, it is written to
        the access log.
      </p>
      <div className="actions">
        {revealed ? (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setRevealed(null)}
          >
            Hide the names
          </button>
        ) : (
          <Button className="button button-secondary" busy={busy} onClick={() => void reveal()}>
            Reveal client names
          </Button>
        )}
      </div>
      <FormMessage message={error} />
      {revealed ? (
        <div className="reveal" data-testid="reveal">
          <p role="status" className="notice">
            Shown at {formatTime(revealed.at)} and written to the access log (entry{' '}
            {count(revealed.loggedAs)}).
          </p>
          {revealed.clients.length === 0 ? (
            <p>No client appears in the log yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="log-table reveal-table">
                <caption className="visually-hidden">
                  Client ids in the log, and their names
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Client id in the log</th>
                    <th scope="col">Name</th>
                  </tr>
                </thead>
                <tbody>
                  {revealed.clients.map((client) => (
                    <tr key={client.clientId}>
                      <td>
                        <code className="client-id">{client.clientId}</code>
                      </td>
                      <td>{client.displayName}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      ) : null}
    </section>
  );
}

export function Auditors() {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const listTitleId = useId();
  const [auditors, setAuditors] = useState<Auditor[] | null>(null);
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [loadProblem, setLoadProblem] = useState<string | null>(null);

  const [listVersion, setListVersion] = useState(0);
  const load = () => setListVersion((version) => version + 1);

  useEffect(() => {
    let current = true;
    void auditorsStore.list().then((list) => {
      if (!current) return;
      if (list instanceof Refusal) setLoadProblem(list.message);
      else {
        setAuditors(list.auditors);
        setLoadProblem(null);
      }
    });
    // Without the names (a list that does not open is an alarm of its own) the ids still show.
    void auditorsStore.names().then((known) => {
      if (!current || known instanceof Refusal) return;
      setNames(new Map(known.auditors.map((entry) => [entry.auditorId, entry.name])));
    });
    return () => {
      current = false;
    };
  }, [listVersion]);

  const shown = [...(auditors ?? [])].sort((a, b) => b.createdAt - a.createdAt);

  return (
    <section aria-labelledby="auditors-title" className="auditors">
      <h1 id="auditors-title" ref={headingRef} tabIndex={-1}>
        Auditors
      </h1>
      <section className="panel panel-wide" aria-labelledby={listTitleId}>
        <h2 id={listTitleId}>Who can sign in as an auditor</h2>
        <FormMessage message={loadProblem} />
        {auditors === null ? null : shown.length === 0 ? (
          <p className="muted">No auditors yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="log-table auditors-table">
              <caption className="visually-hidden">Auditors, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Auditor</th>
                  <th scope="col">Added</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((auditor) => (
                  <AuditorRow
                    key={auditor.auditorId}
                    auditor={auditor}
                    name={names.get(auditor.auditorId)}
                    onRemoved={load}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <AddAuditor onAdded={load} />
      <RevealNames />
    </section>
  );
}
