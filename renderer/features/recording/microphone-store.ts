// Which microphone records, and the short test before recording. Main asks the hidden capture
// window for both (this page never opens the microphone); the test's level is polled for the meter.
import { create } from 'zustand';
import type { Microphone, Reply } from '../../../shared/api';
import { callMain, Refusal } from '../../app/call-main';
import { useVault } from '../vault/vault-store';

const LEVEL_POLL_MS = 150;

type Verdict = Reply<'microphone.test'>;

interface MicrophoneState {
  /** Null until main has listed them. */
  microphones: Microphone[] | null;
  /** The input chosen on this laptop; null for the system's default. */
  chosen: string | null;
  listing: boolean;
  problem: string | null;
  testing: boolean;
  level: number;
  verdict: Verdict | null;
  load(): Promise<void>;
  choose(deviceId: string | null): Promise<void>;
  test(): Promise<void>;
}

export const useMicrophone = create<MicrophoneState>()((set, get) => ({
  microphones: null,
  chosen: null,
  listing: false,
  problem: null,
  testing: false,
  level: 0,
  verdict: null,

  async load() {
    if (get().listing) return;
    set({ listing: true, problem: null });
    const listed = await callMain(window.vault.microphone.list({}));
    if (listed instanceof Refusal)
      set({ listing: false, microphones: [], problem: listed.message });
    else set({ listing: false, microphones: listed.microphones, chosen: listed.chosen });
  },

  async choose(deviceId) {
    const before = get().chosen;
    set({ chosen: deviceId, verdict: null, problem: null });
    const kept = await callMain(window.vault.microphone.choose({ deviceId }));
    if (kept instanceof Refusal) set({ chosen: before, problem: kept.message });
  },

  async test() {
    if (get().testing) return;
    set({ testing: true, level: 0, verdict: null, problem: null });
    const timer = setInterval(() => {
      void callMain(window.vault.microphone.testLevel({})).then((now) => {
        if (!(now instanceof Refusal) && get().testing) set({ level: now.level });
      });
    }, LEVEL_POLL_MS);
    try {
      const verdict = await callMain(window.vault.microphone.test({ deviceId: get().chosen }));
      if (verdict instanceof Refusal) set({ problem: verdict.message });
      else {
        set({ verdict });
        useVault.getState().announce(verdict.message);
      }
    } finally {
      clearInterval(timer);
      set({ testing: false, level: 0 });
    }
  },
}));
