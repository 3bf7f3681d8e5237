// Clients, the open client's detail and the practice policy, as main last answered them. Each
// action returns null or the refusal, so a screen can show main's sentence under its form.
import { create } from 'zustand';
import type { Reply, Request, Result } from '../../../shared/api';
import type { ClientDetail, ClientSummary, DefaultTerms } from '../../../shared/api-practice';
import type { VaultErrorInfo } from '../../../shared/errors';
import { callMain } from '../../app/call-main';
import { useVault } from '../vault/vault-store';

/** The practice's policy and, in `defaults`, what the consent wizard starts from. */
export type Policy = Reply<'policy.get'>;

interface ClientsState {
  clients: ClientSummary[] | null;
  /** The detail of the client on screen; null until loaded. */
  detail: ClientDetail | null;
  policy: Policy | null;
  /** Why the last read failed, for the screen to say. */
  loadProblem: string | null;

  loadClients(): Promise<void>;
  addClient(displayName: string, otherParticipants: string[]): Promise<VaultErrorInfo | null>;
  loadDetail(clientId: string): Promise<void>;
  archive(clientId: string, archived: boolean): Promise<VaultErrorInfo | null>;
  loadPolicy(): Promise<void>;
  setPolicy(text: string): Promise<VaultErrorInfo | null>;
  setDefaults(defaults: DefaultTerms): Promise<VaultErrorInfo | null>;
  sign(request: Request<'consent.sign'>): Promise<VaultErrorInfo | null>;
  revoke(clientId: string): Promise<{ destroyed: number } | VaultErrorInfo>;
  endTherapy(clientId: string): Promise<{ destroyed: number } | VaultErrorInfo>;
  addTakeaway(request: Request<'takeaways.add'>): Promise<VaultErrorInfo | null>;
  removeRange(request: Request<'recording.removeRange'>): Promise<VaultErrorInfo | null>;
  destroyRecording(clientId: string, recordingId: string): Promise<VaultErrorInfo | null>;
  startReview(clientId: string, maxMinutes: number): Promise<VaultErrorInfo | null>;
}

export function isRefusal<T>(value: T | VaultErrorInfo): value is VaultErrorInfo {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}

/** One client's detail for a screen that keeps its own copy (the recording screen). */
export function readClientDetail(clientId: string) {
  return callMain(window.vault.clients.detail({ clientId }));
}

/** The terms and policy text of an earlier signed version of a client's consent. */
export function readConsentVersion(clientId: string, version: number) {
  return callMain(window.vault.consent.version({ clientId, version }));
}

export const useClients = create<ClientsState>()((set, get) => {
  /** After a change, re-read what main now says about this client (and the list). */
  async function reread(clientId: string): Promise<void> {
    await Promise.all([get().loadDetail(clientId), get().loadClients()]);
  }

  async function change<T>(
    clientId: string,
    call: () => Promise<Result<T>>,
  ): Promise<T | VaultErrorInfo> {
    const result = await call();
    // Refused or not, show what main now holds: a refusal may mean the screen was stale.
    await reread(clientId);
    return result.ok ? result.value : result.error;
  }

  return {
    clients: null,
    detail: null,
    policy: null,
    loadProblem: null,

    async loadClients() {
      const result = await window.vault.clients.list({});
      if (result.ok) set({ clients: result.value.clients, loadProblem: null });
      else set({ loadProblem: result.error.message });
    },

    async addClient(displayName, otherParticipants) {
      const result = await window.vault.clients.add({ displayName, otherParticipants });
      if (!result.ok) return result.error;
      await get().loadClients();
      return null;
    },

    async loadDetail(clientId) {
      const result = await window.vault.clients.detail({ clientId });
      if (result.ok) set({ detail: result.value, loadProblem: null });
      else set({ loadProblem: result.error.message });
    },

    async archive(clientId, archived) {
      const outcome = await change(clientId, () =>
        window.vault.clients.archive({ clientId, archived }),
      );
      return isRefusal(outcome) ? outcome : null;
    },

    async loadPolicy() {
      const result = await window.vault.policy.get({});
      if (result.ok) set({ policy: result.value, loadProblem: null });
      else set({ loadProblem: result.error.message });
    },

    async setPolicy(text) {
      const result = await window.vault.policy.set({ text });
      if (!result.ok) return result.error;
      set({ policy: result.value });
      return null;
    },

    async setDefaults(defaults) {
      const result = await window.vault.policy.setDefaults({ defaults });
      if (!result.ok) return result.error;
      set({ policy: result.value });
      return null;
    },

    async sign(request) {
      const result = await window.vault.consent.sign(request);
      if (!result.ok) return result.error;
      set({ detail: result.value });
      await get().loadClients();
      return null;
    },

    revoke(clientId) {
      return change(clientId, () => window.vault.consent.revoke({ clientId }));
    },

    endTherapy(clientId) {
      return change(clientId, () => window.vault.consent.endTherapy({ clientId }));
    },

    async addTakeaway(request) {
      const result = await window.vault.takeaways.add(request);
      if (!result.ok) return result.error;
      set({ detail: result.value });
      return null;
    },

    async removeRange(request) {
      const clientId = get().detail?.client.clientId ?? '';
      const outcome = await change(clientId, () => window.vault.recording.removeRange(request));
      return isRefusal(outcome) ? outcome : null;
    },

    async destroyRecording(clientId, recordingId) {
      const outcome = await change(clientId, () => window.vault.recording.destroy({ recordingId }));
      return isRefusal(outcome) ? outcome : null;
    },

    async startReview(clientId, maxMinutes) {
      const result = await window.vault.review.start({ clientId, maxMinutes });
      if (!result.ok) return result.error;
      // Main locked the vault for the hand-over: show the client's PIN screen now, not at the next poll.
      useVault.getState().open(null);
      await useVault.getState().refresh();
      return null;
    },
  };
});
