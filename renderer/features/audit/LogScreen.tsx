// The access log screen, the same for the therapist's tab and the auditor's home: is the log
// intact, with the signing key's fingerprint; filters; one page of entries; and export.
import { useEffect, type ReactNode } from 'react';
import { uiText } from '../../../shared/ui-text';
import { Button } from '../../components/Button';
import { isFiltered, PAGE_SIZE, useAudit, type Verdict } from './audit-store';
import '../../styles/audit.css';
import { count } from './audit-words';
import { LogExport } from './LogExport';
import { LogFilters } from './LogFilters';
import { LogTable } from './LogTable';
import { IntegrityBanner } from '../vault/IntegrityBanner';

function VerdictLine({ verdict }: { verdict: Verdict }) {
  const back = verdict.timeWentBack;
  return (
    <>
      <VerdictMark verdict={verdict} />
      {back ? (
        <p className="notice notice-problem" data-testid="verify-time-went-back">
          {uiText.auditTimeWentBack(back.count, back.firstSeq)}
        </p>
      ) : null}
    </>
  );
}

function VerdictMark({ verdict }: { verdict: Verdict }) {
  return (
    <p className={verdict.intact ? 'verdict verdict-ok' : 'verdict verdict-bad'}>
      <span className="verdict-mark" aria-hidden="true">
        {verdict.intact ? '✓' : '!'}
      </span>
      <span>
        {verdict.intact
          ? uiText.auditIntact(verdict.entries, verdict.checkpoints)
          : uiText.auditBroken(verdict.problem ?? 'it could not be checked.', verdict.firstBadSeq)}
      </span>
    </p>
  );
}

function Fingerprint({ fingerprint, hint }: { fingerprint: string; hint: string }) {
  return (
    <p className="fingerprint-line">
      <span className="fingerprint-label">Signing key fingerprint</span>{' '}
      <code className="fingerprint" data-testid="verify-fingerprint">
        {fingerprint}
      </code>
      <span className="fingerprint-hint muted">{hint}</span>
    </p>
  );
}

function pageSummary(
  first: number,
  shown: number,
  matched: number,
  total: number,
  indexing: boolean,
): string {
  if (matched === 0)
    return indexing ? 'No matching entries yet.' : 'No entries match these filters.';
  const range = `${count(first)}–${count(first + shown - 1)}`;
  if (matched === total) return `Entries ${range} of ${count(total)}, newest first.`;
  if (indexing) return `Entries ${range} of ${count(matched)} matching so far, newest first.`;
  return `Entries ${range} of ${count(matched)} matching (${count(total)} in the log), newest first.`;
}

export function LogScreen({
  title,
  fingerprintHint,
}: {
  title: ReactNode;
  fingerprintHint: string;
}) {
  const state = useAudit();
  const { open, close, entries, cursors, matched, total, loading, indexing } = state;

  useEffect(() => {
    void open();
    return close;
  }, [open, close]);

  const first = (cursors.length - 1) * PAGE_SIZE + 1;
  const hasNewer = cursors.length > 1;
  const hasOlder = first + entries.length - 1 < matched;
  const summary = pageSummary(first, entries.length, matched, total, indexing !== null);

  /** Newer and Older, above the table and again below it (after scrolling a hundred rows). */
  const pager = (below: boolean) =>
    hasNewer || hasOlder ? (
      <nav
        className="log-pager"
        aria-label={below ? 'Pages of the access log, below the table' : 'Pages of the access log'}
      >
        <Button
          className="button button-secondary"
          unavailable={!hasNewer}
          busy={loading}
          onClick={state.newer}
        >
          ← Newer
        </Button>
        <Button
          className="button button-secondary"
          unavailable={!hasOlder}
          busy={loading}
          onClick={state.older}
        >
          Older →
        </Button>
      </nav>
    ) : null;

  return (
    <div className="log-screen">
      {title}
      <div role="status" className="status-line" aria-busy={state.verdict === null}>
        {state.verdict ? <VerdictLine verdict={state.verdict} /> : <p>Checking the access log…</p>}
        {state.verdict ? (
          <Fingerprint fingerprint={state.verdict.signingKeyFingerprint} hint={fingerprintHint} />
        ) : null}
      </div>
      <IntegrityBanner />
      {state.error ? (
        <p role="alert" className="form-message">
          {state.error}
        </p>
      ) : null}
      <LogExport
        state={state.exported}
        filtered={isFiltered(state.filters)}
        matched={matched}
        onExport={(format, onlyFiltered) => void state.exportLog(format, onlyFiltered)}
        onShowInFolder={() => void state.showInFolder()}
      />
      <LogFilters
        filters={state.filters}
        actions={state.actions}
        onChange={state.setFilters}
        onClear={state.clearFilters}
      />
      <div className="log-summary-bar">
        <p
          role="status"
          className="log-summary"
          aria-busy={loading || indexing !== null}
          data-testid="log-summary"
        >
          {loading && entries.length === 0 ? 'Reading the access log…' : summary}
        </p>
        {indexing ? (
          <p className="log-indexing muted" data-testid="log-indexing">
            Reading the access log… {count(indexing.done)} of {count(indexing.total)}
          </p>
        ) : null}
        {pager(false)}
      </div>
      {entries.length > 0 ? (
        <LogTable
          entries={entries}
          names={state.names}
          caption={`Access log. ${summary}`}
          onSubject={(subject) => state.setFilters({ subject })}
        />
      ) : null}
      {pager(true)}
    </div>
  );
}
