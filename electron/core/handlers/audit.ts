// audit.query, audit.exportStart and audit.exportNext: the log screen's filters and exports, for
// the therapist and for an auditor (whoever holds the audit secrets now); audit.revealClients for
// the therapist alone. Main writes an export to the file the person chose in its own dialog; the
// page only sees progress.
import type { AuditEntryView, AuditFilter } from '../../../shared/api';
import { exportFileName } from '../../../shared/export-file-name';
import { VaultError } from '../../../shared/errors';
import type { Handlers } from '../dispatch';
import type { AuditExports } from '../audit/audit-exports';
import type { AuditQueries } from '../audit/audit-queries';
import type { ExportFileChooser, ExportFiles } from '../audit/export-files';
import type { CoreContext } from './context';

/** Whether any bound is set: an empty filter is the whole log. */
function isFilter(filter: AuditFilter): boolean {
  return Object.values(filter).some((value) => value !== undefined);
}

/** Adds what main keeps in the clear about each recording an entry is about (no names). */
function withRecordings(context: CoreContext, entries: AuditEntryView[]): AuditEntryView[] {
  const { recordings } = context.lifecycle.opened();
  return entries.map((entry) => {
    const row = entry.subject === null ? null : recordings.find(entry.subject);
    if (!row) return entry;
    const { startedAt, clientId, kind } = row;
    return { ...entry, recording: { startedAt, clientId, kind } };
  });
}

export interface AuditExportParts {
  exports: AuditExports;
  files: ExportFiles;
  /** Absent where no one can be asked where a file goes: exports are refused. */
  chooser: ExportFileChooser | undefined;
}

export function auditHandlers(context: CoreContext, desk: AuditExportParts, queries: AuditQueries) {
  const { exports, files, chooser } = desk;
  return {
    'audit.query': (request) => {
      context.active();
      const page = queries.query(request);
      return { ...page, entries: withRecordings(context, page.entries) };
    },
    'audit.exportStart': async (request) => {
      context.active();
      if (!chooser) throw new VaultError('EXPORT_UNAVAILABLE');
      const filter = request.filter && isFilter(request.filter) ? request.filter : null;
      // A bundle of some entries cannot be checked against the chain: evidence is the whole log.
      if (filter && request.format === 'json')
        throw new VaultError('INVALID_REQUEST', 'The signed bundle always holds the whole log.');
      const session = context.lifecycle.current;
      if (!session) throw new VaultError('VAULT_LOCKED');
      // Asked first: a person who cancels has exported nothing, so nothing is logged.
      const path = await chooser.choose(exportFileName(request.format, new Date(context.now())));
      if (path === null) return { started: false as const };
      // The dialog waited on a person: a lock (or someone else) meanwhile gets no export.
      if (context.lifecycle.current !== session) throw new VaultError('VAULT_LOCKED');
      const started = exports.start(request.format, filter);
      // Files of exports whose cursors are gone (a newer export dropped the oldest) go too.
      files.discardAllBut((exportId) => exports.has(exportId));
      let fileName: string;
      try {
        fileName = files.open(started.exportId, path);
      } catch (error) {
        exports.cancel(started.exportId);
        throw error;
      }
      return { started: true as const, ...started, fileName, filtered: filter !== null };
    },
    'audit.exportNext': async (request) => {
      context.active();
      let page: Awaited<ReturnType<AuditExports['next']>>;
      try {
        // Made by the export's thread where there is one: main waits without blocking.
        page = await exports.next(request.exportId);
      } catch (error) {
        files.discard(request.exportId);
        throw error;
      }
      try {
        files.append(request.exportId, page.text);
        if (page.done) files.finish(request.exportId);
      } catch (error) {
        exports.cancel(request.exportId);
        throw error;
      }
      return { done: page.done, written: page.written, total: page.total, rows: page.rows };
    },
    'audit.showExport': (request) => {
      context.active();
      if (!chooser?.reveal) throw new VaultError('EXPORT_UNAVAILABLE');
      const path = files.finishedPath(request.exportId);
      if (path === null)
        throw new VaultError('NOT_FOUND', 'That export is not on this laptop’s list any more.');
      chooser.reveal(path);
      return {};
    },
    'audit.names': () => {
      context.active();
      return context.auditors.names();
    },
    'audit.revealClients': async () => {
      context.active();
      const clients = context.consent.list();
      // Waits (without blocking main) for the whole index; a lock meanwhile refuses the reveal.
      const mentioned = new Set(await queries.mentioned(clients.map((client) => client.clientId)));
      const revealed = clients
        .filter((client) => mentioned.has(client.clientId))
        .map(({ clientId, displayName }) => ({ clientId, displayName }));
      // Names leave the vault only with a trace: the entry is written before the answer.
      const loggedAs = context.lifecycle.opened().audit.append({
        actorRole: 'therapist',
        action: 'audit.revealClients',
        outcome: 'ok',
        reason: `${revealed.length} client ${revealed.length === 1 ? 'name' : 'names'} shown`,
      });
      return { clients: revealed, loggedAs };
    },
  } satisfies Partial<Handlers>;
}
