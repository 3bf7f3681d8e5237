// Export the log: a signed bundle of the whole log anyone can check offline, a CSV for a
// spreadsheet, or FHIR AuditEvents for the practice's FHIR server; the last two can hold only
// what the filters show. Main asks where to save it and writes the file page by page; this shows
// progress, then how to check what was saved and where it is.
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '../../components/Button';
import type { ExportFormat, ExportState } from './audit-store';
import { count } from './audit-words';

const formatWords: Record<ExportFormat, string> = {
  json: 'signed bundle',
  csv: 'CSV',
  fhir: 'FHIR AuditEvents',
};

const verifyCommand = (fileName: string) => `npx session-vault-audit verify ${fileName}`;

function Done({
  state,
  onShowInFolder,
}: {
  state: Extract<ExportState, { phase: 'done' }>;
  onShowInFolder: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  // Focus moves here so a keyboard or screen reader lands on what to do next.
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="export-done" ref={ref} tabIndex={-1} data-testid="export-done">
      <p className="export-saved">
        <span className="verdict-mark" aria-hidden="true">
          ✓
        </span>
        <span>
          Saved <strong className="file-name">{state.fileName}</strong> with {count(state.entries)}{' '}
          {state.entries === 1 ? 'entry' : 'entries'}
          {state.filtered ? ', only those the filters showed' : ''}.
        </span>
      </p>
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={onShowInFolder}>
          Show in folder
        </button>
      </div>
      {state.format === 'json' ? (
        <>
          <dl className="export-facts">
            <dt>Signing key fingerprint</dt>
            <dd>
              <code className="fingerprint" data-testid="export-fingerprint">
                {state.fingerprint}
              </code>
            </dd>
            <dt>To check it on any computer with Node.js</dt>
            <dd>
              <code className="command" data-testid="verify-command">
                {verifyCommand(state.fileName)}
              </code>
            </dd>
          </dl>
          <p className="muted">
            The check needs no vault and no password. It must say the file is intact and print the
            same fingerprint. A different fingerprint means the file was not signed by this vault.
          </p>
        </>
      ) : state.format === 'fhir' ? (
        <p className="muted">
          One FHIR AuditEvent per line, for the practice’s FHIR server or log platform. Clients
          appear as ids. It carries no signatures: keep the signed bundle as the evidence.
        </p>
      ) : (
        <p className="muted">
          A CSV file is for reading in a spreadsheet. It carries no signatures, so it is not
          evidence. For that, export the signed bundle.
        </p>
      )}
    </div>
  );
}

export function LogExport({
  state,
  filtered,
  matched,
  onExport,
  onShowInFolder,
}: {
  state: ExportState;
  /** Whether any filter is set now. */
  filtered: boolean;
  /** Entries the filters match now. */
  matched: number;
  onExport: (format: ExportFormat, onlyFiltered: boolean) => void;
  onShowInFolder: () => void;
}) {
  const titleId = useId();
  const progressId = useId();
  const onlyId = useId();
  const [onlyFiltered, setOnlyFiltered] = useState(true);
  const running = state.phase === 'choosing' || state.phase === 'running';
  const partial = filtered && onlyFiltered;
  return (
    <section className="panel log-export" aria-labelledby={titleId}>
      <h2 id={titleId}>Export</h2>
      <p className="muted">
        Exporting is itself written to the log. CSV is for a spreadsheet, FHIR for the practice’s
        log platform; neither is signed.
      </p>
      <p data-testid="export-scope">
        The signed bundle always holds the whole log and the vault’s signatures, so anyone can check
        it without this laptop.{' '}
        {partial
          ? `CSV and FHIR hold only the ${count(matched)} ${matched === 1 ? 'entry' : 'entries'} the filters below show.`
          : 'CSV and FHIR hold the whole log too; set filters below to export only some entries.'}
      </p>
      {filtered ? (
        <div className="check">
          <input
            id={onlyId}
            type="checkbox"
            checked={onlyFiltered}
            onChange={(event) => setOnlyFiltered(event.target.checked)}
          />
          <label htmlFor={onlyId}>CSV and FHIR: only the entries the filters show</label>
        </div>
      ) : null}
      <div className="actions">
        <Button
          className="button button-secondary"
          busy={running}
          onClick={() => onExport('json', false)}
        >
          Export signed bundle (JSON)
        </Button>
        <Button
          className="button button-secondary"
          busy={running}
          onClick={() => onExport('csv', partial)}
        >
          Export CSV{partial ? ' (filtered)' : ''}
        </Button>
        <Button
          className="button button-secondary"
          busy={running}
          onClick={() => onExport('fhir', partial)}
        >
          Export for a FHIR server (NDJSON){partial ? ', filtered' : ''}
        </Button>
      </div>
      <div role="status" className="export-status">
        {state.phase === 'running' ? (
          <div className="export-progress">
            <progress
              id={progressId}
              max={Math.max(1, state.total)}
              value={state.written}
              aria-label={`Exporting the ${formatWords[state.format]}`}
            />
            <p data-testid="export-progress">
              Exported {count(state.written)} of {count(state.total)} entries
            </p>
            <p className="muted">Saving to {state.fileName}</p>
          </div>
        ) : null}
        {state.phase === 'done' ? (
          <Done key={state.exportId} state={state} onShowInFolder={onShowInFolder} />
        ) : null}
        {state.phase === 'failed' ? (
          <p className="form-message">The export stopped: {state.message}</p>
        ) : null}
      </div>
    </section>
  );
}
