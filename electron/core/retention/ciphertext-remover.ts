// The second step of a destruction: the key is already gone (the recording cannot be heard from
// that moment), and here its ciphertext leaves the file in small transactions, a slice per turn of
// main, so ending therapy or a sweep of many recordings never freezes the app (issue 16: 4.5 s
// for 30 recordings in one call). A recording kept in its own file loses it with one `rm` off
// main, and every removal that settled together is marked complete in one transaction. What a
// quit or a crash interrupts resumes at the next start.
import { performance } from 'node:perf_hooks';
import { checkpointAndTruncateWal, checkpointPassive, vacuumSome } from '../platform/db';
import type { VaultService } from '../vault/vault-service';

/** 100 chunks (~400 KB) per transaction: 24 ms at most in the study, at a load of 19. */
export const CHUNKS_PER_SLICE = 100;
/** How long one turn of main may keep removing before it lets everything else run. */
export const TURN_BUDGET_MS = 20;
/**
 * Recording files removed together, their completions then logged in one transaction: a sweep of
 * 60 removed them all at once and completed them in one turn of main (each deleting its frame
 * index and sealing a log entry), 405 ms at load 15 (issue 16, `sweep_60_max_block_ms`).
 */
export const FILES_PER_GROUP = 4;

export class CiphertextRemover {
  private scheduled: NodeJS.Immediate | null = null;
  private checkpointing: NodeJS.Immediate | null = null;
  private removedSinceCheckpoint = false;
  private stopped = false;
  /** Recording files being removed now, so a turn does not start their removal twice. */
  private readonly removingFiles = new Set<string>();

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
      const awaiting = vault.recordings.awaitingRemoval();
      this.removeFiles(awaiting.filter((r) => r.storage === 'file'));
      const next = awaiting.find((r) => r.storage === 'sqlite');
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

  /**
   * Starts removing the next group of files; once those settle, one transaction marks every one
   * removed complete and logs it. A failed removal is tried again on a later turn.
   */
  private removeFiles(recordings: { recNo: number; recordingId: string }[]): void {
    // One group at a time: the next starts when this one's completions are logged.
    if (this.removingFiles.size > 0) return;
    const starting = recordings.slice(0, FILES_PER_GROUP);
    if (starting.length === 0) return;
    const vault = this.lifecycle.opened();
    for (const r of starting) this.removingFiles.add(r.recordingId);
    void Promise.allSettled(starting.map((r) => vault.recordings.removeAudioFile(r.recordingId)))
      .then((results) => {
        const removed = starting.filter((_, i) => results[i]?.status === 'fulfilled');
        const open = this.lifecycle.state === 'locked' || this.lifecycle.state === 'unlocked';
        if (this.stopped || !open || this.lifecycle.opened() !== vault || removed.length === 0)
          return;
        vault.recordings.completeFileRemovals(removed, (recordingId) =>
          vault.audit.append({
            actorRole: 'system',
            action: 'recording.destroy.complete',
            subject: recordingId,
            outcome: 'ok',
          }),
        );
        this.removedSinceCheckpoint = true;
        this.checkpointSoon();
      })
      .catch(() => {
        // A closed vault or a full disk: the next start or tick finds them still awaiting removal.
      })
      .finally(() => {
        for (const r of starting) this.removingFiles.delete(r.recordingId);
        if (!this.stopped) this.schedule();
      });
  }

  /** True while recording files are being removed (a completion is still to be logged). */
  get busy(): boolean {
    return this.removingFiles.size > 0;
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

  /**
   * A passive checkpoint in a turn of its own, after a transaction of a destruction (a batch of
   * keys, a group of files' index rows): the final truncation then has little left to copy.
   */
  checkpointSoon(): void {
    if (this.checkpointing || this.stopped) return;
    this.checkpointing = setImmediate(() => {
      this.checkpointing = null;
      if (this.lifecycle.state !== 'locked' && this.lifecycle.state !== 'unlocked') return;
      try {
        checkpointPassive(this.lifecycle.opened().db);
      } catch {
        // A busy or full disk: the truncation at the end still empties the WAL.
      }
    });
  }

  stop(): void {
    if (this.checkpointing) clearImmediate(this.checkpointing);
    this.checkpointing = null;
    this.stopped = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
  }
}
