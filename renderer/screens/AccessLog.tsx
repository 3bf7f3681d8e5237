// Access log: who did what, when, and whether the log is still intact.
import { useEffect } from 'react';
import type { AuditEntryView, AuditVerdict } from '../../shared/api';
import { uiText } from '../../shared/ui-text';
import { useFocusOnMount } from '../components/focus';
import { useAudit } from '../store/audit-store';

const actionWords: Record<string, string> = {
  'vault.create': 'Created the vault',
  'session.unlock': 'Unlock',
  'session.recover': 'Unlock with recovery key',
  'session.lock': 'Lock',
  'settings.change': 'Changed a setting',
  'audit.export': 'Exported the log',
  'request.refused': 'Refused a request',
};

const subjectWords: Record<string, string> = {
  idleLockMinutes: 'Idle lock',
};

const reasonWords: Record<string, string> = {
  wrong_passphrase: 'Wrong passphrase',
  wrong_recovery_key: 'Wrong recovery key',
  'too many tries: delayed': 'Too many tries, asked to wait',
  'new vault': 'New vault',
  'emergency access: passphrase replaced': 'Emergency access: passphrase replaced',
  user: 'Lock button',
  idle: 'Idle lock',
  suspend: 'Laptop went to sleep',
  'screen-lock': 'Screen locked',
  quit: 'Session Vault closed',
};

const whoWords: Record<AuditEntryView['actorRole'], string> = {
  therapist: 'Therapist',
  client: 'Client',
  auditor: 'Auditor',
  system: 'Session Vault',
  unknown: 'Someone',
};

const outcomeWords: Record<AuditEntryView['outcome'], string> = {
  ok: 'Done',
  refused: 'Refused',
  failed: 'Failed',
};

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function VerdictLine({ verdict }: { verdict: AuditVerdict }) {
  return (
    <p className={verdict.intact ? 'verdict verdict-ok' : 'verdict verdict-bad'}>
      <span className="verdict-mark" aria-hidden="true">
        {verdict.intact ? '✓' : '!'}
      </span>
      {verdict.intact
        ? uiText.auditIntact(verdict.entries)
        : uiText.auditBroken(verdict.problem ?? 'it could not be checked.', verdict.firstBadSeq)}
    </p>
  );
}

export function AccessLog() {
  const { entries, total, verdict, loading, error, load } = useAudit();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="access-log-title">
      <h1 id="access-log-title" ref={headingRef} tabIndex={-1}>
        Access log
      </h1>
      <div role="status" className="status-line" aria-busy={loading}>
        {verdict ? <VerdictLine verdict={verdict} /> : null}
        {!verdict && loading ? <p>Checking the access log…</p> : null}
      </div>
      {error ? (
        <p role="alert" className="form-message">
          {error}
        </p>
      ) : null}
      {/* Focusable so a keyboard can scroll the table in a narrow window. */}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="access-log-caption">
        <table className="log-table">
          <caption id="access-log-caption">
            {total > entries.length
              ? `The latest ${entries.length} of ${total} entries, newest first.`
              : `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}, newest first.`}
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
              <tr key={entry.seq} data-outcome={entry.outcome}>
                <td>{timeFormat.format(entry.at)}</td>
                <td>{whoWords[entry.actorRole]}</td>
                <td>{actionWords[entry.action] ?? entry.action}</td>
                <td>{entry.subject ? (subjectWords[entry.subject] ?? entry.subject) : '—'}</td>
                <td>
                  <span className={`outcome outcome-${entry.outcome}`}>
                    {outcomeWords[entry.outcome]}
                  </span>
                </td>
                <td>{entry.reason ? (reasonWords[entry.reason] ?? entry.reason) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
