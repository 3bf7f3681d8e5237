// The access log as main reports it: the latest entries and whether the chain is intact.
import { create } from 'zustand';
import type { AuditEntryView, AuditVerdict } from '../../shared/api';

interface AuditState {
  entries: AuditEntryView[];
  total: number;
  verdict: AuditVerdict | null;
  loading: boolean;
  /** A sentence for the person when the log could not be read or checked. */
  error: string | null;
  load(): Promise<void>;
}

export const useAudit = create<AuditState>()((set) => ({
  entries: [],
  total: 0,
  verdict: null,
  loading: false,
  error: null,

  async load() {
    set({ loading: true, error: null });
    const [recent, verdict] = await Promise.all([
      window.vault.audit.recent({ limit: 100 }),
      window.vault.audit.verify({}),
    ]);
    set({
      loading: false,
      entries: recent.ok ? recent.value.entries : [],
      total: recent.ok ? recent.value.total : 0,
      verdict: verdict.ok ? verdict.value : null,
      error: !recent.ok ? recent.error.message : !verdict.ok ? verdict.error.message : null,
    });
  },
}));
