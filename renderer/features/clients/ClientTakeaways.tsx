// Written takeaways: what client and therapist wrote down together, kept locked in the vault
// and readable by the people the consent lists.
import { useId, useState, type FormEvent } from 'react';
import type { ClientDetail } from './clients-store';
import { formatDate, formatDateTime } from '../../../shared/format';
import { Button } from '../../components/Button';
import { FormMessage } from '../../components/FormMessage';
import { TextArea } from '../../components/TextArea';
import { useClients } from './clients-store';
import { useVault } from '../vault/vault-store';

function readers(detail: ClientDetail): string {
  const play = detail.terms?.whoMayPlay;
  if (!play) return 'You and the client can read it.';
  const people = [
    ...(play.client ? ['the client'] : []),
    ...(play.therapist ? ['you'] : []),
    ...play.namedOthers.map((other) => other.name),
  ];
  const list =
    people.length <= 1
      ? (people[0] ?? 'no one else')
      : `${people.slice(0, -1).join(', ')} and ${people[people.length - 1]}`;
  return `The people this consent lists can read it: ${list}.`;
}

export function ClientTakeaways({ detail }: { detail: ClientDetail }) {
  const addTakeaway = useClients((state) => state.addTakeaway);
  const announce = useVault((state) => state.announce);
  const [text, setText] = useState('');
  const [recordingId, setRecordingId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const selectId = useId();
  const takeaways = [...detail.takeaways].sort((a, b) => b.writtenAt - a.writtenAt);
  const sessions = detail.recordings.filter((r) => r.state !== 'destroyed');
  const dateOf = (id: string | null) => {
    const recording = detail.recordings.find((r) => r.recordingId === id);
    return recording ? formatDateTime(recording.startedAt) : null;
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (text.trim() === '') return setError('Write the takeaway first.');
    setBusy(true);
    const failure = await addTakeaway({
      clientId: detail.client.clientId,
      recordingId: recordingId === '' ? null : recordingId,
      text: text.trim(),
    });
    setBusy(false);
    if (failure) return setError(failure.message);
    setText('');
    setError(null);
    announce('The takeaway was saved.');
  }

  return (
    <section className="panel panel-wide" aria-labelledby={titleId}>
      <h2 id={titleId}>Written takeaways</h2>
      {takeaways.length === 0 ? (
        <p className="muted">No takeaways yet.</p>
      ) : (
        <ul className="takeaways">
          {takeaways.map((takeaway) => (
            <li key={takeaway.takeawayId} className="takeaway">
              <p className="takeaway-when">
                Written on {formatDate(takeaway.writtenAt)}
                {dateOf(takeaway.recordingId)
                  ? `, about the session of ${dateOf(takeaway.recordingId)}`
                  : ''}
              </p>
              <p className="takeaway-text">{takeaway.text}</p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate aria-label="Add a takeaway" className="takeaway-form">
        <TextArea
          label="New takeaway"
          value={text}
          onChange={(next) => {
            setText(next);
            setError(null);
          }}
          rows={3}
          hint={`Kept locked in the vault. ${readers(detail)}`}
        />
        {sessions.length > 0 ? (
          <div className="field">
            <label htmlFor={selectId}>About which session</label>
            <select
              id={selectId}
              value={recordingId}
              onChange={(event) => setRecordingId(event.target.value)}
            >
              <option value="">No particular session</option>
              {sessions.map((r) => (
                <option key={r.recordingId} value={r.recordingId}>
                  {formatDateTime(r.startedAt)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <FormMessage message={error} />
        <div className="actions">
          <Button type="submit" className="button button-secondary" busy={busy}>
            Add takeaway
          </Button>
        </div>
      </form>
    </section>
  );
}
