// Clients, the open client's detail and the practice policy, as main last answered them. Each
// action returns null or the refusal, so a screen can show main's sentence under its form.
import { create } from 'zustand';
import type { Reply, Request } from '../../../shared/api';
import type { VaultErrorInfo } from '../../../shared/errors';
import { callMain, Refusal } from '../../app/call-main';
import { useVault } from '../vault/vault-store';
import { useIntegrity } from '../vault/integrity-store';

export type ClientSummary = Reply<'clients.list'>['clients'][number];
export type ClientDetail = Reply<'clients.detail'>;
export type RecordingSummary = ClientDetail['recordings'][number];
/** The practice's policy and, in `defaults`, what the consent wizard starts from. */
export type Policy = Reply<'policy.get'>;
export type DefaultTerms = Policy['defaults'];
type Destroyed = Reply<'consent.revoke'>;

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
  revoke(clientId: string): Promise<Destroyed | Refusal>;
  endTherapy(clientId: string): Promise<Destroyed | Refusal>;
  addTakeaway(request: Request<'takeaways.add'>): Promise<VaultErrorInfo | null>;
  recordDecision(request: Request<'consent.recordDecision'>): Promise<VaultErrorInfo | null>;
  removeRange(request: Request<'recording.removeRange'>): Promise<VaultErrorInfo | null>;
  destroyRecording(clientId: string, recordingId: string): Promise<VaultErrorInfo | null>;
  annotate(
    clientId: string,
    request: Request<'recording.annotate'>,
  ): Promise<VaultErrorInfo | null>;
  startReview(clientId: string, maxMinutes: number): Promise<VaultErrorInfo | null>;
}

/** One client's detail for a screen that keeps its own copy (the recording screen). */
export function readClientDetail(clientId: string) {
  return callMain(window.vault.clients.detail({ clientId }));
}

/** Main saves the consent on screen as a tagged PDF, where the therapist chooses. */
export function saveConsentPdf(clientId: string, version: number) {
  return callMain(window.vault.consent.savePdf({ clientId, version }));
}

/** The text of one saved version of the practice policy. */
export function readPolicyVersion(policyHash: string) {
  return callMain(window.vault.policy.version({ policyHash }));
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

  async function change<T>(clientId: string, answer: Promise<T | Refusal>): Promise<T | Refusal> {
    const outcome = await answer;
    // Refused or not, show what main now holds: a refusal may mean the screen was stale.
    await reread(clientId);
    return outcome;
  }

  /** null when main did it, else main's error for the form to show. */
  const refusalOf = (outcome: unknown): VaultErrorInfo | null =>
    outcome instanceof Refusal ? outcome.error : null;

  return {
    clients: null,
    detail: null,
    policy: null,
    loadProblem: null,

    async loadClients() {
      const list = await callMain(window.vault.clients.list({}));
      if (list instanceof Refusal) set({ loadProblem: list.message });
      else set({ clients: list.clients, loadProblem: null });
      // Listing is where a damaged client is found: show its alarm with the list.
      await useIntegrity.getState().loadAlarms();
    },

    async addClient(displayName, otherParticipants) {
      const added = await callMain(window.vault.clients.add({ displayName, otherParticipants }));
      if (added instanceof Refusal) return added.error;
      await get().loadClients();
      return null;
    },

    async loadDetail(clientId) {
      const detail = await callMain(window.vault.clients.detail({ clientId }));
      if (detail instanceof Refusal) set({ loadProblem: detail.message });
      else set({ detail, loadProblem: null });
    },

    async archive(clientId, archived) {
      return refusalOf(
        await change(clientId, callMain(window.vault.clients.archive({ clientId, archived }))),
      );
    },

    async loadPolicy() {
      const policy = await callMain(window.vault.policy.get({}));
      if (policy instanceof Refusal) set({ loadProblem: policy.message });
      else set({ policy, loadProblem: null });
    },

    async setPolicy(text) {
      const policy = await callMain(window.vault.policy.set({ text }));
      if (policy instanceof Refusal) return policy.error;
      set({ policy });
      return null;
    },

    async setDefaults(defaults) {
      const policy = await callMain(window.vault.policy.setDefaults({ defaults }));
      if (policy instanceof Refusal) return policy.error;
      set({ policy });
      return null;
    },

    async sign(request) {
      const detail = await callMain(window.vault.consent.sign(request));
      if (detail instanceof Refusal) return detail.error;
      set({ detail });
      await get().loadClients();
      return null;
    },

    revoke(clientId) {
      return change(clientId, callMain(window.vault.consent.revoke({ clientId })));
    },

    endTherapy(clientId) {
      return change(clientId, callMain(window.vault.consent.endTherapy({ clientId })));
    },

    async addTakeaway(request) {
      const detail = await callMain(window.vault.takeaways.add(request));
      if (detail instanceof Refusal) return detail.error;
      set({ detail });
      return null;
    },

    async recordDecision(request) {
      const detail = await callMain(window.vault.consent.recordDecision(request));
      if (detail instanceof Refusal) return detail.error;
      set({ detail });
      return null;
    },

    async removeRange(request) {
      const clientId = get().detail?.client.clientId ?? '';
      return refusalOf(
        await change(clientId, callMain(window.vault.recording.removeRange(request))),
      );
    },

    async destroyRecording(clientId, recordingId) {
      return refusalOf(
        await change(clientId, callMain(window.vault.recording.destroy({ recordingId }))),
      );
    },

    async annotate(clientId, request) {
      return refusalOf(await change(clientId, callMain(window.vault.recording.annotate(request))));
    },

    async startReview(clientId, maxMinutes) {
      const started = await callMain(window.vault.review.start({ clientId, maxMinutes }));
      if (started instanceof Refusal) return started.error;
      // Main locked the vault for the hand-over: show the client's PIN screen now, not at the next poll.
      useVault.getState().open(null);
      await useVault.getState().refresh();
      return null;
    },
  };
});
