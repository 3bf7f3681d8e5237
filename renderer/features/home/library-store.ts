// Every recording across every client, as main's one-call library answered it (recordings.library):
// Home and the clients list read it instead of asking for each client's detail.
import { create } from 'zustand';
import type { IntegrityStatus, LibraryEntry } from '../../../shared/api';
import { callMain, Refusal } from '../../app/call-main';

interface LibraryState {
  recordings: LibraryEntry[] | null;
  loadProblem: string | null;
  /** The background whole-file check's last answer (vault.fileCheck). */
  fileCheck: IntegrityStatus | null;
  loadLibrary(): Promise<void>;
  loadFileCheck(): Promise<void>;
}

export const useLibrary = create<LibraryState>()((set) => ({
  recordings: null,
  loadProblem: null,
  fileCheck: null,
  async loadLibrary() {
    const answer = await callMain(window.vault.recordings.library({}));
    if (answer instanceof Refusal) set({ loadProblem: answer.message });
    else set({ recordings: answer.recordings, loadProblem: null });
  },
  async loadFileCheck() {
    const answer = await callMain(window.vault.vault.fileCheck({}));
    if (!(answer instanceof Refusal)) set({ fileCheck: answer });
  },
}));

/** What the clients list shows of one client's recordings. */
export interface ClientRecordingFacts {
  /** Recordings that can still be heard or are still kept (not destroyed). */
  kept: number;
  lastStartedAt: number | null;
  /** The soonest destruction date among the kept recordings that are not held. */
  nextDestroyAfter: number | null;
  /** Kept recordings held (their record changed outside the app, or the vault held), and why. */
  held: number;
  heldReason: string | null;
}

export function recordingFactsByClient(
  recordings: readonly LibraryEntry[],
): Map<string, ClientRecordingFacts> {
  const facts = new Map<string, ClientRecordingFacts>();
  for (const recording of recordings) {
    const fact = facts.get(recording.clientId) ?? {
      kept: 0,
      lastStartedAt: null,
      nextDestroyAfter: null,
      held: 0,
      heldReason: null,
    };
    fact.lastStartedAt = Math.max(fact.lastStartedAt ?? 0, recording.startedAt);
    if (recording.state !== 'destroyed') {
      fact.kept += 1;
      if (recording.held !== null) {
        fact.held += 1;
        fact.heldReason ??= recording.held;
      }
      if (recording.destroyAfter !== null)
        fact.nextDestroyAfter = Math.min(
          fact.nextDestroyAfter ?? Number.POSITIVE_INFINITY,
          recording.destroyAfter,
        );
    }
    facts.set(recording.clientId, fact);
  }
  return facts;
}
