// Exports of the access log, as a signed JSON bundle (evidence, checked offline by
// `session-vault-audit verify`), as CSV (for reading in a spreadsheet) or as FHIR R4 AuditEvents,
// one per line (for a practice's FHIR server or log platform; audit-fhir.ts). Main holds the cursor and
// makes the text page by page (export-files.ts writes each page), so a million entries go out in
// small pieces with progress. Every export is logged and checkpointed before its first page, so
// the bundle covers its own export entry.
// In the app (and the e2e host and the bench) each export's pages are made in a worker thread on
// its own read-only connection (audit-index-worker.ts), so main only writes the text it is given;
// without a worker script (unit tests from source) main makes them itself, and then a page stops
// at EXPORT_PAGE_ENTRIES or after EXPORT_PAGE_BUDGET_MS of opening entries, whichever comes first.
import { performance } from 'node:perf_hooks';
import { VaultError } from '../../../shared/errors';
import type { AuditFilter } from '../../../shared/api';
import type { AuditEntry, AuditSecrets } from './audit-format';
import type { AuditLog } from './audit-log';
import {
  BUNDLE_FORMAT,
  EXPORTER_PATTERN,
  bundleOpening,
  exportSignatureMessage,
  signingKeyFingerprint,
  type BundleHeader,
} from './audit-bundle';
import type { AuditorService } from './auditor-service';
import { fhirLine } from './audit-fhir';
import { randomBytes, sign, toHex } from '../platform/crypto';
import type { VaultService } from '../vault/vault-service';
import { ExportWorker } from './export-worker';

export type ExportFormat = 'csv' | 'json' | 'fhir';

/** Entries per page at most: about 500 kB of JSON, some 25 ms to open on a laptop. */
export const EXPORT_PAGE_ENTRIES = 2000;
/** A page stops early once opening its entries has taken this long (a slow or busy machine). */
export const EXPORT_PAGE_BUDGET_MS = 40;
/** Entries opened per read within a page. */
const EXPORT_BATCH = 250;
/** Entry hashes per page once the entries are out (they need no opening): about 10 ms. */
const HASH_PAGE = 20_000;
/** Open exports at once; a new one beyond this drops the oldest. */
const MAX_OPEN_EXPORTS = 4;

export const CSV_COLUMNS = [
  'seq',
  'time',
  'actor_role',
  'actor_id',
  'action',
  'subject',
  'outcome',
  'reason',
] as const;

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); the
// full-width forms are included because some spreadsheets fold them to ASCII.
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** One CSV cell: formula starts neutralised with a single quote, then RFC 4180 quoting. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(entry: AuditEntry): string {
  return `${[
    entry.seq,
    new Date(entry.at).toISOString(),
    entry.actorRole,
    entry.actorId,
    entry.action,
    entry.subject,
    entry.outcome,
    entry.reason,
  ]
    .map(csvCell)
    .join(',')}\r\n`;
}

/** Whether an entry passes the log screen's filters (the same bounds as audit.query's). */
export function matchesFilter(entry: AuditEntry, filter: AuditFilter): boolean {
  if (filter.fromAt !== undefined && entry.at < filter.fromAt) return false;
  if (filter.toAt !== undefined && entry.at > filter.toAt) return false;
  if (filter.action !== undefined && entry.action !== filter.action) return false;
  if (filter.outcome !== undefined && entry.outcome !== filter.outcome) return false;
  if (filter.subject !== undefined && entry.subject !== filter.subject) return false;
  return true;
}

/** The filter as the export's own log entry records it: "from 2026-11-30T23:00:00.000Z; action playback.start". */
export function describeFilter(filter: AuditFilter): string {
  const parts: string[] = [];
  if (filter.fromAt !== undefined) parts.push(`from ${new Date(filter.fromAt).toISOString()}`);
  if (filter.toAt !== undefined) parts.push(`to ${new Date(filter.toAt).toISOString()}`);
  if (filter.action !== undefined) parts.push(`action ${filter.action}`);
  if (filter.outcome !== undefined) parts.push(`outcome ${filter.outcome}`);
  if (filter.subject !== undefined) parts.push(`subject ${filter.subject}`);
  return `filtered: ${parts.join('; ')}`;
}

/** Where an export's pages stand: plain data, so a worker thread can hold it as well as main. */
export interface PageCursor {
  format: ExportFormat;
  /** Only entries matching this go out (CSV and FHIR); null for the whole log. */
  filter: AuditFilter | null;
  /** Entries written to the file so far. */
  rows: number;
  header: BundleHeader;
  head: { seq: number; hash: string };
  exportSignature: string;
  nextSeq: number;
  written: number;
  phase: 'entries' | 'hashes' | 'done';
  /** Stored entry hashes of the entries written, emitted after them (JSON only). */
  hashPages: Uint8Array[];
  hashesWritten: number;
}

interface ExportCursor extends PageCursor {
  /** The session that started it; any other (or a later one) may not continue it. */
  owner: object;
  /** The thread making its pages, when there is one; else main makes them. */
  worker: ExportWorker | null;
}

export interface ExportStarted {
  exportId: string;
  total: number;
  signingKeyFingerprint: string;
}

export interface ExportPage {
  text: string;
  done: boolean;
  written: number;
  total: number;
  rows: number;
}

export class AuditExports {
  private readonly cursors = new Map<string, ExportCursor>();
  private readonly watched = new WeakSet<object>();

  /** `workerScript`: the built audit-index-worker script; without it main makes the pages. */
  constructor(
    private readonly lifecycle: VaultService,
    private readonly auditors: AuditorService,
    private readonly now: () => number,
    private readonly workerScript?: string | URL,
  ) {}

  private drop(exportId: string): void {
    this.cursors.get(exportId)?.worker?.end();
    this.cursors.delete(exportId);
  }

  /** `filter`: CSV and FHIR only; the signed bundle is the whole log, or it does not verify. */
  start(format: ExportFormat, filter: AuditFilter | null = null): ExportStarted {
    if (filter && format === 'json') throw new VaultError('INVALID_REQUEST');
    const { secrets, role, actorId } = this.auditors.readerSecrets();
    const owner = this.lifecycle.current;
    const { audit, db, vaultId } = this.lifecycle.opened();
    if (!owner) throw new VaultError('VAULT_LOCKED');
    if (!this.watched.has(audit)) {
      // Cursors hold read positions for one session: they go at every lock, with their threads.
      audit.onLock(() => {
        for (const exportId of [...this.cursors.keys()]) this.drop(exportId);
      });
      this.watched.add(audit);
    }
    const exportedBy = actorId ?? 'therapist';
    if (!EXPORTER_PATTERN.test(exportedBy)) throw new VaultError('NOT_ALLOWED');
    db.transaction(() => {
      audit.append({
        actorRole: role,
        actorId,
        action: 'audit.export',
        subject: format,
        outcome: 'ok',
        ...(filter ? { reason: describeFilter(filter) } : {}),
      });
      audit.checkpoint(secrets);
    })();
    const stored = audit.head();
    if (!stored) throw new VaultError('VAULT_DAMAGED');
    const header: BundleHeader = {
      format: BUNDLE_FORMAT,
      vaultId: toHex(vaultId),
      exportedAt: this.now(),
      exportedBy,
      signingPublicKey: toHex(secrets.signing.publicKey),
    };
    const head = { seq: stored.seq, hash: toHex(stored.hash) };
    const exportSignature = toHex(
      sign(secrets.signing.secretKey, exportSignatureMessage(header, head)),
    );
    const exportId = toHex(randomBytes(16));
    if (this.cursors.size >= MAX_OPEN_EXPORTS) {
      const oldest = this.cursors.keys().next().value;
      if (oldest !== undefined) this.drop(oldest);
    }
    const pages: PageCursor = {
      format,
      filter,
      rows: 0,
      header,
      head,
      exportSignature,
      nextSeq: 1,
      written: 0,
      phase: 'entries',
      hashPages: [],
      hashesWritten: 0,
    };
    const worker =
      this.workerScript === undefined
        ? null
        : new ExportWorker(this.workerScript, {
            path: this.lifecycle.path,
            vaultId: new Uint8Array(vaultId),
            // A copy for this export: the thread wipes it when done, and dies with it at a lock.
            boxSecretKey: new Uint8Array(secrets.box.secretKey),
            cursor: pages,
          });
    this.cursors.set(exportId, { ...pages, owner, worker });
    return {
      exportId,
      total: head.seq,
      signingKeyFingerprint: signingKeyFingerprint(secrets.signing.publicKey),
    };
  }

  /** Whether main still holds this export's cursor (a newer export may have dropped it). */
  has(exportId: string): boolean {
    return this.cursors.has(exportId);
  }

  /** Ends an export before its last page (its file could not be written). */
  cancel(exportId: string): void {
    this.drop(exportId);
  }

  async next(exportId: string): Promise<ExportPage> {
    const cursor = this.cursors.get(exportId);
    if (!cursor) throw new VaultError('NOT_FOUND', 'That export has ended. Start it again.');
    if (cursor.owner !== this.lifecycle.current) {
      this.drop(exportId);
      throw new VaultError('NOT_ALLOWED');
    }
    let page: ExportPage;
    try {
      page = await this.makePage(cursor);
    } catch (error) {
      // A page that failed ends the export (its file goes too): a later page would fail the same
      // way, and a cursor kept meanwhile holds the thread and its copy of the key.
      if (this.cursors.get(exportId) === cursor) this.drop(exportId);
      throw error;
    }
    // A lock or a newer export may have ended it while the thread worked.
    if (this.cursors.get(exportId) !== cursor) throw new VaultError('VAULT_LOCKED');
    if (page.done) this.drop(exportId);
    return page;
  }

  private async makePage(cursor: ExportCursor): Promise<ExportPage> {
    if (cursor.worker) return cursor.worker.next();
    const { secrets } = this.auditors.readerSecrets();
    return nextPage(cursor, this.lifecycle.opened().audit, secrets);
  }
}

/**
 * The next page of an export, advancing `cursor`: the opening, up to EXPORT_PAGE_ENTRIES entries
 * (fewer after EXPORT_PAGE_BUDGET_MS), then for a bundle the entry hashes and its closing.
 */
export function nextPage(cursor: PageCursor, audit: AuditLog, secrets: AuditSecrets): ExportPage {
  let text = '';
  if (cursor.phase === 'entries') {
    const opening = cursor.nextSeq === 1;
    if (opening && cursor.format === 'json') text += bundleOpening(cursor.header);
    else if (opening && cursor.format === 'csv') text += `${CSV_COLUMNS.join(',')}\r\n`;
    const started = performance.now();
    const rows: ReturnType<AuditLog['readAscending']> = [];
    let fromSeq = cursor.nextSeq;
    let end = false;
    while (rows.length < EXPORT_PAGE_ENTRIES) {
      const limit = Math.min(EXPORT_BATCH, EXPORT_PAGE_ENTRIES - rows.length);
      const batch = audit.readAscending(secrets, fromSeq, cursor.head.seq, limit);
      rows.push(...batch);
      const last = batch.at(-1);
      // A short read is the end: a gap in the stored log is exported as a gap (the verifier
      // names it).
      if (!last || batch.length < limit) {
        end = true;
        break;
      }
      fromSeq = last.entry.seq + 1;
      if (performance.now() - started >= EXPORT_PAGE_BUDGET_MS) break;
    }
    if (cursor.format === 'json') {
      const page = new Uint8Array(rows.length * 32);
      rows.forEach((row, i) => page.set(row.entryHash, i * 32));
      cursor.hashPages.push(page);
      if (rows.length > 0)
        text += `${cursor.written === 0 ? '\n' : ',\n'}${rows.map((row) => row.text).join(',\n')}`;
      cursor.rows += rows.length;
    } else {
      const filter = cursor.filter;
      const kept = filter ? rows.filter((row) => matchesFilter(row.entry, filter)) : rows;
      cursor.rows += kept.length;
      if (cursor.format === 'csv') text += kept.map((row) => csvRow(row.entry)).join('');
      else text += kept.map((row) => fhirLine(cursor.header.vaultId, row.entry)).join('');
    }
    cursor.written += rows.length;
    cursor.nextSeq = end ? cursor.head.seq + 1 : fromSeq;
    if (cursor.nextSeq > cursor.head.seq) {
      cursor.phase = cursor.format === 'json' ? 'hashes' : 'done';
      if (cursor.format === 'json') text += '\n],\n"entryHashes":[';
    }
  } else if (cursor.phase === 'hashes') {
    text += hashPage(cursor, audit);
  }
  const done = cursor.phase === 'done';
  return { text, done, written: cursor.written, total: cursor.head.seq, rows: cursor.rows };
}

/** Up to HASH_PAGE entry hashes; the last page also closes the bundle. */
function hashPage(cursor: PageCursor, audit: AuditLog): string {
  const parts: string[] = [];
  while (cursor.hashPages.length > 0 && parts.length < HASH_PAGE) {
    const page = cursor.hashPages.shift()!;
    const hex = Buffer.from(page.buffer, page.byteOffset, page.byteLength).toString('hex');
    for (let at = 0; at < hex.length; at += 64) parts.push(`"${hex.slice(at, at + 64)}"`);
  }
  let text = '';
  if (parts.length > 0) text += `${cursor.hashesWritten === 0 ? '\n' : ',\n'}${parts.join(',\n')}`;
  cursor.hashesWritten += parts.length;
  if (cursor.hashPages.length > 0) return text;
  const checkpoints = audit.checkpointsUpTo(cursor.head.seq).map((checkpoint) =>
    JSON.stringify({
      seq: checkpoint.seq,
      at: checkpoint.at,
      headHash: toHex(checkpoint.headHash),
      signature: toHex(checkpoint.signature),
    }),
  );
  cursor.phase = 'done';
  return (
    `${text}\n],\n"checkpoints":[\n${checkpoints.join(',\n')}\n],\n` +
    `"head":${JSON.stringify(cursor.head)},\n` +
    `"exportSignature":${JSON.stringify(cursor.exportSignature)}}\n`
  );
}
