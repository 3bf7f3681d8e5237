// One page of the access log: time, who, action, subject, outcome and reason, newest first.
import type { AuditEntryView } from '../../../shared/api';
import { formatDateTime } from '../../../shared/format';
import {
  actionLabel,
  describeActor,
  describeSubject,
  outcomeWords,
  reasonLabel,
} from './audit-words';

function Who({ entry }: { entry: AuditEntryView }) {
  const actor = describeActor(entry);
  return (
    <>
      {actor.role}
      {actor.id ? <span className="log-id"> {actor.id}</span> : null}
    </>
  );
}

function Subject({
  entry,
  onSubject,
}: {
  entry: AuditEntryView;
  onSubject: (subject: string) => void;
}) {
  const subject = describeSubject(entry);
  if (!subject) return <>—</>;
  return (
    <button
      type="button"
      className="link-button log-subject"
      title={subject.id}
      onClick={() => onSubject(subject.id)}
    >
      {subject.text}
      <span className="visually-hidden"> (show only entries about it)</span>
    </button>
  );
}

export function LogTable({
  entries,
  caption,
  onSubject,
}: {
  entries: AuditEntryView[];
  caption: string;
  onSubject: (subject: string) => void;
}) {
  return (
    // Focusable so a keyboard can scroll the table in a narrow window.
    <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="log-caption">
      <table className="log-table">
        <caption id="log-caption" className="visually-hidden">
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Subject</th>
            <th scope="col">Outcome</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq} data-seq={entry.seq} data-outcome={entry.outcome}>
              <td>{formatDateTime(entry.at, { seconds: true })}</td>
              <td>
                <Who entry={entry} />
              </td>
              <td>{actionLabel(entry.action)}</td>
              <td>
                <Subject entry={entry} onSubject={onSubject} />
              </td>
              <td>
                <span className={`outcome outcome-${entry.outcome}`}>
                  {outcomeWords[entry.outcome]}
                </span>
              </td>
              <td>{reasonLabel(entry.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
