// Client review mode as the renderer sees it: the PIN wait, the client's own library, revoking,
// and how the last review ended. Main decides all of it; this store mirrors what main answers.
import { create } from 'zustand';
import type { Reply } from '../../../shared/api';
import type { VaultErrorInfo } from '../../../shared/errors';
import { callMain, Refusal } from '../../app/call-main';
import { useVault } from '../vault/vault-store';

export type ReviewLibrary = Reply<'review.library'>;

/** The review that just ended, for the screen that says so. */
export interface EndedReview {
  displayName: string;
  endsAt: number;
  /** 'client': they pressed End review; 'by-itself': idle, time up, or the laptop locked. */
  endedBy: 'client' | 'by-itself';
}

interface ReviewState {
  library: ReviewLibrary | null;
  libraryProblem: string | null;
  /** Whole seconds until main takes the next PIN (0: now). */
  pinSecondsLeft: number;
  ended: EndedReview | null;
  /** When the review's time limit falls, on this page's clock, as of main's last status. */
  reviewDeadline: number | null;

  /** Starts (or re-syncs) the countdown from main's answer; main's clock decides, not ours. */
  waitForPin(ms: number): void;
  unlock(pin: string): Promise<VaultErrorInfo | null>;
  acknowledge(): Promise<VaultErrorInfo | null>;
  loadLibrary(): Promise<void>;
  revoke(): Promise<Reply<'review.revoke'> | Refusal>;
  end(): Promise<void>;
  /** Opens the player, at `atMs` when a marked moment was chosen. */
  play(recordingId: string, atMs?: number): void;
  dismissEnded(): void;
}

let pinDeadline = 0;
let pinTimer: ReturnType<typeof setInterval> | null = null;
let endingByClient = false;

export const useReview = create<ReviewState>()((set, get) => ({
  library: null,
  libraryProblem: null,
  pinSecondsLeft: 0,
  ended: null,
  reviewDeadline: null,

  waitForPin(ms) {
    if (ms <= 0) {
      pinDeadline = 0;
      if (pinTimer !== null) clearInterval(pinTimer);
      pinTimer = null;
      if (get().pinSecondsLeft !== 0) set({ pinSecondsLeft: 0 });
      return;
    }
    pinDeadline = Date.now() + ms;
    const update = () => {
      const left = Math.ceil((pinDeadline - Date.now()) / 1000);
      if (left > 0) {
        if (left !== get().pinSecondsLeft) set({ pinSecondsLeft: left });
        return;
      }
      if (pinTimer !== null) clearInterval(pinTimer);
      pinTimer = null;
      set({ pinSecondsLeft: 0 });
      // Ask main again rather than assume: if it still wants a wait, the status says so.
      void useVault.getState().refresh();
    };
    update();
    if (pinTimer === null) pinTimer = setInterval(update, 250);
  },

  async unlock(pin) {
    const unlocked = await callMain(window.vault.review.unlock({ pin }));
    if (unlocked instanceof Refusal) {
      get().waitForPin(unlocked.error.retryAfterMs ?? 0);
      await useVault.getState().refresh();
      return unlocked.error;
    }
    get().waitForPin(0);
    set({ library: null, libraryProblem: null, ended: null });
    await useVault.getState().refresh();
    return null;
  },

  async acknowledge() {
    const agreed = await callMain(window.vault.review.acknowledge({}));
    // The library loads once the status says the sentence was agreed to.
    await useVault.getState().refresh();
    return agreed instanceof Refusal ? agreed.error : null;
  },

  async loadLibrary() {
    const library = await callMain(window.vault.review.library({}));
    if (library instanceof Refusal) set({ libraryProblem: library.message });
    else set({ library, libraryProblem: null });
  },

  async revoke() {
    const revoked = await callMain(window.vault.review.revoke({}));
    await get().loadLibrary();
    return revoked;
  },

  async end() {
    endingByClient = true;
    useVault.getState().open(null);
    const ended = await callMain(window.vault.review.end({}));
    if (ended instanceof Refusal) endingByClient = false;
    await useVault.getState().refresh();
  },

  play(recordingId, atMs) {
    const clientId = useVault.getState().status?.session?.review?.clientId;
    if (clientId)
      useVault
        .getState()
        .open({ kind: 'player', recordingId, clientId, ...(atMs === undefined ? {} : { atMs }) });
  },

  dismissEnded() {
    set({ ended: null });
  },
}));

// Notices every way a review ends (End review, idle, time up, the laptop locking), because main
// ends it and this window only hears about it from the status.
useVault.subscribe((state, previous) => {
  // Main's clock decides: every status it sends sets the deadline the page counts down to again.
  if (state.status !== previous.status) {
    const left = state.status?.reviewMsLeft ?? null;
    useReview.setState({ reviewDeadline: left === null ? null : Date.now() + left });
  }
  const was = previous.status?.session;
  const now = state.status?.session;
  if (was?.role === 'client' && was.review && now?.role !== 'client') {
    useReview.setState({
      ended: {
        displayName: was.review.displayName,
        endsAt: was.review.endsAt,
        endedBy: endingByClient ? 'client' : 'by-itself',
      },
      library: null,
      libraryProblem: null,
    });
    endingByClient = false;
  }
  // Whoever signs in next, or a new hand-over, no longer needs the goodbye.
  if (
    useReview.getState().ended &&
    (state.status?.state === 'unlocked' || state.status?.pendingReview)
  )
    useReview.setState({ ended: null });
});
