// Export the whole log: a signed bundle anyone can check offline, a CSV for a spreadsheet, or
// FHIR AuditEvents for the practice's FHIR server.
// Main asks where to save it and writes the file page by page; this shows progress, then how to
// check what was saved.
import { useEffect, useId, useRef } from 'react';
import type { ExportFormat, ExportState } from './audit-store';
import { count } from './audit-words';

const formatWords: Record<ExportFormat, string> = {
  json: 'signed bundle',
  csv: 'CSV',
  fhir: 'FHIR AuditEvents',
};

const verifyCommand = (fileName: string) => `npx session-vault-audit verify ${fileName}`;

function Done({ state }: { state: Extract<ExportState, { phase: 'done' }> }) {
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
          {state.entries === 1 ? 'entry' : 'entries'}.
        </span>
      </p>
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
  onExport,
}: {
  state: ExportState;
  onExport: (format: ExportFormat) => void;
}) {
  const titleId = useId();
  const progressId = useId();
  const running = state.phase === 'choosing' || state.phase === 'running';
  return (
    <section className="panel log-export" aria-labelledby={titleId}>
      <h2 id={titleId}>Export</h2>
      <p className="muted">
        The signed bundle holds every entry and the vault’s signatures, so anyone can check it
        without this laptop. Exporting is itself written to the log.
      </p>
      <p data-testid="export-scope">
        Both exports hold the whole log, not only the entries the filters below show.
      </p>
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          disabled={running}
          onClick={() => onExport('json')}
        >
          Export signed bundle (JSON)
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={running}
          onClick={() => onExport('csv')}
        >
          Export CSV
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={running}
          onClick={() => onExport('fhir')}
        >
          Export for a FHIR server (NDJSON)
        </button>
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
        {state.phase === 'done' ? <Done key={state.fileName} state={state} /> : null}
        {state.phase === 'failed' ? (
          <p className="form-message">The export stopped: {state.message}</p>
        ) : null}
      </div>
    </section>
  );
}
