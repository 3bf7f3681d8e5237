// The practice and the therapist as the printed consent names them, as main last answered. The
// names also live in the session, so a save re-reads the vault's status.
import { create } from 'zustand';
import type { PracticeDetails } from '../../../shared/api';
import type { VaultErrorInfo } from '../../../shared/errors';
import { callMain, Refusal } from '../../app/call-main';
import { useVault } from '../vault/vault-store';

interface PracticeState {
  details: PracticeDetails | null;
  load(): Promise<void>;
  save(details: PracticeDetails): Promise<VaultErrorInfo | null>;
}

export const usePractice = create<PracticeState>()((set) => ({
  details: null,

  async load() {
    const details = await callMain(window.vault.settings.practice({}));
    if (!(details instanceof Refusal)) set({ details });
  },

  async save(request) {
    const details = await callMain(window.vault.settings.setPractice(request));
    if (details instanceof Refusal) return details.error;
    set({ details });
    await useVault.getState().refresh();
    return null;
  },
}));
