// The log screen's state, shared by the therapist's Access log tab and the auditor's home: the
// filters, the page shown (newest first, 100 at a time), whether the chain is intact, and an
// export that main writes page by page to the file the person chose in its dialog. Main is the
// authority; this only mirrors what it answers.
import { create } from 'zustand';
import type { AuditEntryView, Reply, Request } from '../../../shared/api';
import { callMain, Refusal } from '../../app/call-main';

export const PAGE_SIZE = 100;
/** While main is still reading the log into its index, the page is asked for again this often. */
const REQUERY_MS = 400;

export type Outcome = AuditEntryView['outcome'];
export type ExportFormat = Request<'audit.exportStart'>['format'];
export type Verdict = Reply<'audit.verify'>;

/** Who acts in the log by name: the therapist, and auditors by id. Never a client. */
export interface ActorNames {
  therapist: string | null;
  auditors: Map<string, string>;
}

export const noNames: ActorNames = { therapist: null, auditors: new Map() };

export interface LogFilters {
  /** yyyy-mm-dd, local time; '' for no bound. */
  from: string;
  to: string;
  action: string;
  outcome: Outcome | '';
  subject: string;
}

export const noFilters: LogFilters = { from: '', to: '', action: '', outcome: '', subject: '' };

export type ExportState =
  | { phase: 'idle' }
  /** Main's save dialog is open. */
  | { phase: 'choosing'; format: ExportFormat }
  | {
      phase: 'running';
      format: ExportFormat;
      written: number;
      total: number;
      fingerprint: string;
      fileName: string;
    }
  | {
      phase: 'done';
      format: ExportFormat;
      exportId: string;
      fileName: string;
      /** Entries in the file. */
      entries: number;
      /** Only the entries the filters showed. */
      filtered: boolean;
      fingerprint: string;
    }
  | { phase: 'failed'; format: ExportFormat; message: string };

interface AuditState {
  filters: LogFilters;
  /** The beforeSeq of every page up to the one shown (undefined: the newest page). */
  cursors: (number | undefined)[];
  entries: AuditEntryView[];
  /** Entries in the log. */
  total: number;
  /** Entries matching the filters. */
  matched: number;
  /** Every action in the log, for the filter's choices. */
  actions: string[];
  /** Main is still reading the log (entries read of all): the counts cover only those so far. */
  indexing: { done: number; total: number } | null;
  verdict: Verdict | null;
  /** Read once when the screen opens; ids and roles alone until then (or if main cannot say). */
  names: ActorNames;
  loading: boolean;
  /** A sentence for the person when the log could not be read or checked. */
  error: string | null;
  exported: ExportState;

  /** Fresh start for a newly shown log screen: checks the chain and reads the newest page. */
  open(): Promise<void>;
  /** The screen is gone: no more asking again while main reads the log. */
  close(): void;
  setFilters(patch: Partial<LogFilters>): void;
  clearFilters(): void;
  older(): void;
  newer(): void;
  /** `onlyFiltered`: CSV and FHIR hold only what the filters show (main filters). */
  exportLog(format: ExportFormat, onlyFiltered?: boolean): Promise<void>;
  /** Main shows the finished export's file in its folder. */
  showInFolder(): Promise<void>;
}

/** Inclusive bounds in milliseconds for the local days chosen. */
function timeBounds(filters: LogFilters): { fromAt?: number; toAt?: number } {
  const bounds: { fromAt?: number; toAt?: number } = {};
  if (filters.from) bounds.fromAt = new Date(`${filters.from}T00:00:00`).getTime();
  if (filters.to) bounds.toAt = new Date(`${filters.to}T23:59:59.999`).getTime();
  return bounds;
}

/** The filters as main takes them: local days as bounds, empty choices left out. */
export function filterRequest(filters: LogFilters) {
  return {
    ...timeBounds(filters),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.outcome ? { outcome: filters.outcome } : {}),
    ...(filters.subject.trim() ? { subject: filters.subject.trim() } : {}),
  };
}

export function isFiltered(filters: LogFilters): boolean {
  return Object.keys(filterRequest(filters)).length > 0;
}

/** An auditor's own sign-in: on success main opens an auditor session, read from the status. */
export function signInAuditor(signInName: string, passphrase: string) {
  return callMain(window.vault.session.unlockAuditor({ signInName, passphrase }));
}

// A page asked for before the filters changed must not overwrite the page asked for after.
let queryGeneration = 0;

export const useAudit = create<AuditState>()((set, get) => {
  /** `again`: the same page asked for again while main reads the log (nothing changed here). */
  async function readPage(again = false): Promise<void> {
    queryGeneration += 1;
    const mine = queryGeneration;
    const { filters, cursors } = get();
    const beforeSeq = cursors.at(-1);
    if (!again) set({ loading: true });
    const page = await callMain(
      window.vault.audit.query({
        limit: PAGE_SIZE,
        ...filterRequest(filters),
        ...(beforeSeq === undefined ? {} : { beforeSeq }),
      }),
    );
    if (mine !== queryGeneration) return;
    if (page instanceof Refusal) {
      set({
        loading: false,
        entries: [],
        matched: 0,
        indexing: null,
        error: page.message,
      });
      return;
    }
    set({
      loading: false,
      error: null,
      entries: page.entries,
      total: page.total,
      matched: page.matched,
      actions: page.actions,
      indexing: page.indexing ?? null,
    });
    // Until main has read the whole log, ask again (unless something else was asked for since).
    if (page.indexing)
      setTimeout(() => {
        if (mine === queryGeneration) void readPage(true);
      }, REQUERY_MS);
  }

  async function verify(): Promise<void> {
    const verdict = await callMain(window.vault.audit.verify({}));
    if (verdict instanceof Refusal) set({ verdict: null, error: verdict.message });
    else set({ verdict });
  }

  async function readNames(): Promise<void> {
    const names = await callMain(window.vault.audit.names({}));
    if (names instanceof Refusal) return;
    set({
      names: {
        therapist: names.therapist,
        auditors: new Map(names.auditors.map((auditor) => [auditor.auditorId, auditor.name])),
      },
    });
  }

  return {
    filters: noFilters,
    cursors: [undefined],
    entries: [],
    total: 0,
    matched: 0,
    actions: [],
    indexing: null,
    verdict: null,
    names: noNames,
    loading: false,
    error: null,
    exported: { phase: 'idle' },

    async open() {
      const running = ['choosing', 'running'].includes(get().exported.phase);
      set({
        filters: noFilters,
        cursors: [undefined],
        entries: [],
        total: 0,
        matched: 0,
        indexing: null,
        verdict: null,
        names: noNames,
        error: null,
        ...(running ? {} : { exported: { phase: 'idle' } as const }),
      });
      await Promise.all([verify(), readPage(), readNames()]);
    },

    close() {
      queryGeneration += 1;
      set({ loading: false });
    },

    setFilters(patch) {
      set({ filters: { ...get().filters, ...patch }, cursors: [undefined] });
      void readPage();
    },

    clearFilters() {
      set({ filters: noFilters, cursors: [undefined] });
      void readPage();
    },

    older() {
      const last = get().entries.at(-1);
      if (!last) return;
      set({ cursors: [...get().cursors, last.seq] });
      void readPage();
    },

    newer() {
      const { cursors } = get();
      if (cursors.length <= 1) return;
      set({ cursors: cursors.slice(0, -1) });
      void readPage();
    },

    async exportLog(format, onlyFiltered = false) {
      if (['choosing', 'running'].includes(get().exported.phase)) return;
      set({ exported: { phase: 'choosing', format } });
      const filters = get().filters;
      // The signed bundle is always whole: a part of the chain could not be checked.
      const filter = onlyFiltered && format !== 'json' && isFiltered(filters);
      const started = await callMain(
        window.vault.audit.exportStart({
          format,
          ...(filter ? { filter: filterRequest(filters) } : {}),
        }),
      );
      if (started instanceof Refusal) {
        set({ exported: { phase: 'failed', format, message: started.message } });
        return;
      }
      // The person closed the dialog: nothing was exported, and nothing needs saying.
      if (!started.started) {
        set({ exported: { phase: 'idle' } });
        return;
      }
      const { exportId, total, fileName, signingKeyFingerprint: fingerprint } = started;
      set({ exported: { phase: 'running', format, written: 0, total, fingerprint, fileName } });
      let rows = 0;
      for (;;) {
        const page = await callMain(window.vault.audit.exportNext({ exportId }));
        if (page instanceof Refusal) {
          set({ exported: { phase: 'failed', format, message: page.message } });
          return;
        }
        set({
          exported: {
            phase: 'running',
            format,
            written: page.written,
            total: page.total,
            fingerprint,
            fileName,
          },
        });
        rows = page.rows;
        if (page.done) break;
      }
      set({
        exported: {
          phase: 'done',
          format,
          exportId,
          fileName,
          entries: rows,
          filtered: started.filtered,
          fingerprint,
        },
      });
      // The export wrote its own entry: show it, and the chain as it now stands.
      await Promise.all([verify(), readPage()]);
    },

    async showInFolder() {
      const exported = get().exported;
      if (exported.phase !== 'done') return;
      const shown = await callMain(window.vault.audit.showExport({ exportId: exported.exportId }));
      set({ error: shown instanceof Refusal ? shown.message : null });
    },
  };
});
