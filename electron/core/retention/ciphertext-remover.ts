// The second step of a destruction: the key is already gone (the recording cannot be heard from
// that moment), and here its ciphertext leaves the file in small transactions, a slice per turn of
// main, so ending therapy or a sweep of many recordings never freezes the app (issue 16: 4.5 s
// for 30 recordings in one call). What a quit or a crash interrupts resumes at the next start.
import { performance } from 'node:perf_hooks';
import { checkpointAndTruncateWal, vacuumSome } from '../platform/db';
import type { VaultService } from '../vault/vault-service';

/** 100 chunks (~400 KB) per transaction: 24 ms at most in the study, at a load of 19. */
export const CHUNKS_PER_SLICE = 100;
/** How long one turn of main may keep removing before it lets everything else run. */
export const TURN_BUDGET_MS = 20;

export class CiphertextRemover {
  private scheduled: NodeJS.Immediate | null = null;
  private removedSinceCheckpoint = false;
  private stopped = false;

  constructor(private readonly lifecycle: VaultService) {}

  /**
   * Removes slices until the budget is spent or nothing is left, then returns the freed pages to
   * the disk; true when all is done. The WAL is then emptied, so no copy of a removed chunk stays.
   */
  runTurn(budgetMs = TURN_BUDGET_MS): boolean {
    if (this.lifecycle.state !== 'locked' && this.lifecycle.state !== 'unlocked') return true;
    const vault = this.lifecycle.opened();
    const started = performance.now();
    for (;;) {
      const [next] = vault.recordings.awaitingRemoval();
      if (!next) {
        // The freed pages go back to the disk (also those a quit left), then the WAL that saw
        // them is emptied.
        if (!vacuumSome(vault.db)) {
          this.removedSinceCheckpoint = true;
          if (performance.now() - started >= budgetMs) return false;
          continue;
        }
        if (!this.removedSinceCheckpoint) return true;
        this.removedSinceCheckpoint = false;
        checkpointAndTruncateWal(vault.db);
        return true;
      }
      vault.recordings.removeSome(next.recNo, CHUNKS_PER_SLICE, () =>
        vault.audit.append({
          actorRole: 'system',
          action: 'recording.destroy.complete',
          subject: next.recordingId,
          outcome: 'ok',
        }),
      );
      this.removedSinceCheckpoint = true;
      if (performance.now() - started >= budgetMs) return false;
    }
  }

  /** Keeps removing, one turn at a time, until nothing is left (or the core closes). */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      let done = true;
      try {
        done = this.runTurn();
      } catch {
        // A full disk or a closed vault: the next tick or start tries again from where it stopped.
      }
      if (!done) this.schedule();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
  }
}
