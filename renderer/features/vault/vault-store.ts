// The renderer's picture of the vault. Main is the authority: this store only mirrors what
// window.vault answers, and re-reads the status every two seconds to notice an idle lock.
import { create } from 'zustand';
import type { Result, VaultStatus } from '../../../shared/api';
import type { VaultErrorInfo } from '../../../shared/errors';
import { uiText } from '../../../shared/ui-text';
import { callMain, Refusal } from '../../app/call-main';
import { readKeptWizardDraft } from '../consent/kept-draft-store';

export type View = 'home' | 'clients' | 'access-log' | 'auditors' | 'settings';

/**
 * A screen opened from a tab: a client, the consent wizard, the recording screen, the player.
 * Cleared when a tab is chosen or the vault locks.
 */
export type Detail =
  | { kind: 'client'; clientId: string }
  | { kind: 'consent'; clientId: string }
  | { kind: 'record'; clientId: string }
  | { kind: 'voice-note'; clientId: string }
  /** `atMs`: open at that moment (a marked moment chosen on the client's screen or in review). */
  | { kind: 'player'; recordingId: string; clientId: string; atMs?: number };

interface Announcement {
  text: string;
  /** Changes on every announcement, so saying the same words twice is still heard. */
  id: number;
}

interface VaultState {
  /** Exactly what main last answered to vault.status; never made up here. */
  status: VaultStatus | null;
  /** Set when vault.status itself was refused, so the page can say why. */
  statusProblem: string | null;
  /** Shown once, right after the vault is created; cleared on Continue or when the vault locks. */
  recoveryKey: string | null;
  /** The laptop's name, for the recovery sheet (main's answer to creating the vault). */
  deviceName: string;
  view: View;
  detail: Detail | null;
  announcement: Announcement;
  /** Whole seconds until main accepts the next unlock try (0: now). */
  retrySecondsLeft: number;

  refresh(): Promise<void>;
  createVault(input: {
    practiceName: string;
    therapistName: string;
    passphrase: string;
  }): Promise<VaultErrorInfo | null>;
  finishRecoverySheet(): void;
  unlock(passphrase: string): Promise<VaultErrorInfo | null>;
  recover(recoveryKey: string, newPassphrase: string): Promise<VaultErrorInfo | null>;
  lock(): Promise<VaultErrorInfo | null>;
  setIdleLock(minutes: number): Promise<VaultErrorInfo | null>;
  changePassphrase(oldPassphrase: string, newPassphrase: string): Promise<VaultErrorInfo | null>;
  /** The therapist confirms the date after the clock leapt forward. */
  confirmDate(): Promise<VaultErrorInfo | null>;
  /** The therapist lifts the hold an anchor finding put on every recording. */
  confirmAnchor(): Promise<VaultErrorInfo | null>;
  /** "Keep going" in the time-limit warning: tells main the person is here, then re-reads. */
  keepGoing(): Promise<VaultErrorInfo | null>;
  navigate(view: View): void;
  open(detail: Detail | null): void;
  announce(text: string): void;
}

// A status read that started before an action finished must not undo what the action showed.
let generation = 0;
let actionsInFlight = 0;
let retryDeadline = 0;
let retryTimer: ReturnType<typeof setInterval> | null = null;
let announcementId = 0;

export const useVault = create<VaultState>()((set, get) => {
  /**
   * Counts down to main's next accepted unlock try. At zero it asks main again instead of
   * assuming: main's clock decides, so the button never wakes up early.
   */
  function startRetryCountdown(ms: number): void {
    if (ms <= 0) {
      retryDeadline = 0;
      if (retryTimer !== null) clearInterval(retryTimer);
      retryTimer = null;
      if (get().retrySecondsLeft !== 0) set({ retrySecondsLeft: 0 });
      return;
    }
    retryDeadline = Date.now() + ms;
    const update = () => {
      const left = Math.ceil((retryDeadline - Date.now()) / 1000);
      if (left > 0) {
        if (left !== get().retrySecondsLeft) set({ retrySecondsLeft: left });
        return;
      }
      if (retryTimer !== null) clearInterval(retryTimer);
      retryTimer = null;
      void get().refresh();
    };
    update();
    if (retryTimer === null) retryTimer = setInterval(update, 250);
  }

  /** Applies a new status, noticing when main locked the vault while it was open here. */
  function applyStatus(next: VaultStatus): void {
    const previous = get().status;
    const lockedUnderUs = previous?.state === 'unlocked' && next.state !== 'unlocked';
    if (lockedUnderUs) {
      set({ status: next, recoveryKey: null, view: 'home', detail: null });
      get().announce(uiText.vaultLocked);
    } else if (JSON.stringify(previous) !== JSON.stringify(next)) {
      // An unchanged answer to a poll re-renders nothing.
      set({ status: next });
    }
    startRetryCountdown(next.state === 'locked' ? next.unlockRetryAfterMs : 0);
  }

  async function readStatus(): Promise<void> {
    const status = await callMain(window.vault.vault.status({}));
    if (status instanceof Refusal) {
      set({ statusProblem: status.message });
    } else {
      set({ statusProblem: null });
      applyStatus(status);
    }
  }

  /** Runs one request, then reads the status main now reports, before any poll may apply. */
  async function requestThenReadStatus<T>(
    call: () => Promise<Result<T>>,
    onValue: (value: T) => void = () => undefined,
  ): Promise<VaultErrorInfo | null> {
    generation += 1;
    actionsInFlight += 1;
    try {
      const outcome = await callMain(call());
      if (!(outcome instanceof Refusal)) onValue(outcome);
      await readStatus();
      return outcome instanceof Refusal ? outcome.error : null;
    } finally {
      actionsInFlight -= 1;
      generation += 1;
    }
  }

  return {
    status: null,
    statusProblem: null,
    recoveryKey: null,
    deviceName: '',
    view: 'home',
    detail: null,
    announcement: { text: '', id: 0 },
    retrySecondsLeft: 0,

    async refresh() {
      if (actionsInFlight > 0) return;
      const started = generation;
      const status = await callMain(window.vault.vault.status({}));
      if (started !== generation || actionsInFlight > 0) return;
      if (status instanceof Refusal) {
        set({ statusProblem: status.message });
      } else {
        set({ statusProblem: null });
        applyStatus(status);
      }
    },

    createVault(input) {
      return requestThenReadStatus(
        () => window.vault.vault.create(input),
        (value) =>
          set({ recoveryKey: value.recoveryKey, deviceName: value.deviceName, view: 'home' }),
      );
    },

    finishRecoverySheet() {
      set({ recoveryKey: null, view: 'home' });
    },

    async unlock(passphrase) {
      let resume: Detail | null = null;
      const error = await requestThenReadStatus(
        async () => {
          const unlocked = await window.vault.session.unlock({ passphrase });
          // A consent walk-through the lock interrupted comes back where it was.
          const kept = unlocked.ok ? await readKeptWizardDraft() : null;
          if (kept) resume = { kind: 'consent', clientId: kept.clientId };
          return unlocked;
        },
        () => set({ view: 'home', detail: resume }),
      );
      if (error?.retryAfterMs) startRetryCountdown(error.retryAfterMs);
      return error;
    },

    async recover(recoveryKey, newPassphrase) {
      const error = await requestThenReadStatus(
        () => window.vault.session.recover({ recoveryKey, newPassphrase }),
        () => {
          set({ view: 'home' });
          get().announce('The passphrase is changed and the vault is open.');
        },
      );
      if (error?.retryAfterMs) startRetryCountdown(error.retryAfterMs);
      return error;
    },

    lock() {
      return requestThenReadStatus(() => window.vault.session.lock({}));
    },

    setIdleLock(minutes) {
      return requestThenReadStatus(() => window.vault.settings.setIdleLock({ minutes }));
    },

    changePassphrase(oldPassphrase, newPassphrase) {
      return requestThenReadStatus(() =>
        window.vault.session.changePassphrase({ oldPassphrase, newPassphrase }),
      );
    },

    confirmDate() {
      return requestThenReadStatus(() => window.vault.vault.confirmDate({}));
    },

    confirmAnchor() {
      return requestThenReadStatus(() => window.vault.vault.confirmAnchor({}));
    },

    keepGoing() {
      lastTouch = Date.now();
      return requestThenReadStatus(() => window.vault.session.touch({}));
    },

    navigate(view) {
      set({ view, detail: null });
    },

    open(detail) {
      set({ detail });
    },

    announce(text) {
      announcementId += 1;
      set({ announcement: { text, id: announcementId } });
    },
  };
});

/** The person is still here: tell main, at most once every 15 seconds. */
const touchEveryMs = 15_000;
let lastTouch = 0;
// While a time-limit warning is up, only its own button answers it: a Tab to reach that button
// must not push the lock back and make the warning vanish under the reader's finger.
let warningShown = false;
export function setTimeLimitWarningShown(shown: boolean): void {
  warningShown = shown;
}
export function touchSession(): void {
  if (warningShown) return;
  if (useVault.getState().status?.state !== 'unlocked') return;
  const now = Date.now();
  if (now - lastTouch < touchEveryMs) return;
  lastTouch = now;
  void window.vault.session.touch({});
}
