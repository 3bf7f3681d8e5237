// The second step of a destruction: the key is already gone (the recording cannot be heard from
// that moment), and here its ciphertext leaves the file in small transactions, steps of main's
// background queue (platform/background-turns.ts), so ending therapy or a sweep of many
// recordings never freezes the app (issue 16: 4.5 s for 30 recordings in one call). A recording
// kept in its own file loses it with one `rm` off main, and every removal that settled together
// is marked complete in one transaction, a step of its own. What a quit or a crash interrupts
// resumes at the next start.
import { performance } from 'node:perf_hooks';
import { checkpointAndTruncateWal, checkpointPassive, vacuumSome } from '../platform/db';
import type { VaultService } from '../vault/vault-service';
import type { BackgroundTurns } from '../platform/background-turns';

/** 100 chunks (~400 KB) per transaction: 24 ms at most in the study, at a load of 19. */
export const CHUNKS_PER_SLICE = 100;
/**
 * Recording files removed together, their completions then logged in one transaction: a sweep of
 * 60 removed them all at once and completed them in one turn of main (each deleting its frame
 * index and sealing a log entry), 405 ms at load 15 (issue 16, `sweep_60_max_block_ms`).
 */
export const FILES_PER_GROUP = 4;

export class CiphertextRemover {
  private turnQueued = false;
  private checkpointQueued = false;
  private removedSinceCheckpoint = false;
  private stopped = false;
  /** Recording files being removed now, so a turn does not start their removal twice. */
  private readonly removingFiles = new Set<string>();

  constructor(
    private readonly lifecycle: VaultService,
    private readonly turns: BackgroundTurns,
  ) {}

  /**
   * Removes slices until the budget (what is left of the queue's turn) is spent or nothing is
   * left, then returns the freed pages to the disk; true when all is done. The WAL is then
   * emptied, so no copy of a removed chunk stays.
   */
  runTurn(budgetMs = this.turns.remainingMs()): boolean {
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
   * Starts removing the next group of files off main; once those settle, a step of the queue
   * marks every one removed complete and logs it in one transaction (never the poll callback
   * itself, which would add it to whatever else that turn runs). A failed removal is tried again
   * on a later turn.
   */
  private removeFiles(recordings: { recNo: number; recordingId: string }[]): void {
    // One group at a time: the next starts when this one's completions are logged.
    if (this.removingFiles.size > 0) return;
    const starting = recordings.slice(0, FILES_PER_GROUP);
    if (starting.length === 0) return;
    const vault = this.lifecycle.opened();
    for (const r of starting) this.removingFiles.add(r.recordingId);
    void Promise.allSettled(
      starting.map((r) => vault.recordings.removeAudioFile(r.recordingId)),
    ).then((results) =>
      this.turns.push(() => {
        try {
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
        } catch {
          // A closed vault or a full disk: the next start or tick finds them still awaiting removal.
        } finally {
          for (const r of starting) this.removingFiles.delete(r.recordingId);
          if (!this.stopped) this.schedule();
        }
      }),
    );
  }

  /** Keeps removing, a step of the queue at a time, until nothing is left (or the core closes). */
  schedule(): void {
    if (this.turnQueued || this.stopped) return;
    this.turnQueued = true;
    this.turns.push(() => {
      this.turnQueued = false;
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
   * A passive checkpoint as a step of its own, after a transaction of a destruction (a batch of
   * keys, a group of files' index rows): the final truncation then has little left to copy.
   */
  checkpointSoon(): void {
    if (this.checkpointQueued || this.stopped) return;
    this.checkpointQueued = true;
    this.turns.push(() => {
      this.checkpointQueued = false;
      if (this.lifecycle.state !== 'locked' && this.lifecycle.state !== 'unlocked') return;
      try {
        checkpointPassive(this.lifecycle.opened().db);
      } catch {
        // A busy or full disk: the truncation at the end still empties the WAL.
      }
    });
  }

  /** The queue itself is stopped by its owner (the sweeper). */
  stop(): void {
    this.stopped = true;
    this.turnQueued = false;
    this.checkpointQueued = false;
  }
}
