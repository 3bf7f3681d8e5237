// The sweeper: destroys every recording whose destroy-after time has passed. It needs no key
// (destroying is deleting a key), so it runs while the vault is locked too: at start-up, on
// unlock, hourly, and right after a revocation or the end of therapy.
import type { VaultService } from '../vault/vault-service';
import { CiphertextRemover } from './ciphertext-remover';
import type { Destroyer } from './destroyer';

export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Keys destroyed per transaction: ~3 ms each under load, so a batch stays well within 50 ms. */
export const KEYS_PER_TRANSACTION = 8;

const causeText = {
  retention: 'the terms keep recordings only so long',
  termination: 'therapy ended',
  revocation: 'consent was revoked',
} as const;

interface Destruction {
  recordingId: string;
  reason: string;
  actorRole: 'system' | 'therapist' | 'client';
}

export function createSweeper(lifecycle: VaultService, now: () => number): Destroyer {
  const remover = new CiphertextRemover(lifecycle);

  /** Due destructions whose key step has not run yet, in order, a batch per turn of main. */
  const queued: { destruction: Destruction; ledger: 'count' | 'already-counted' }[] = [];
  const queuedIds = new Set<string>();
  let batchTimer: NodeJS.Immediate | null = null;
  let stopped = false;

  /**
   * One batch of keys in one transaction (one sync), each logged first inside it: if an entry
   * cannot be written, nothing in the batch is destroyed and the next sweep retries. A hundred in
   * one transaction held main 316 ms (issue 16), so a larger destruction goes a batch per turn.
   * Nothing waiting is playable meanwhile: decide() refuses a recording from its deadline, at
   * every open and every chunk, whether or not its key is gone yet; a quit leaves them due, and
   * the next start's sweep takes them.
   */
  const destroyBatch = (): void => {
    const vault = lifecycle.opened();
    const batch = queued.splice(0, KEYS_PER_TRANSACTION);
    try {
      vault.db.transaction(() => {
        for (const { destruction, ledger } of batch) {
          const { recordingId, reason, actorRole } = destruction;
          vault.audit.append({
            actorRole,
            action: 'recording.destroy',
            subject: recordingId,
            outcome: 'ok',
            reason,
          });
          vault.clients.deleteRecordingKey(recordingId);
          // A redo after a rollback is an event the anchor already counts.
          if (ledger === 'count') vault.ledger.append({ kind: 'destroyed', recordingId });
          vault.recordings.beginDestruction(recordingId, reason);
        }
      })();
    } finally {
      for (const { destruction } of batch) queuedIds.delete(destruction.recordingId);
    }
  };

  const scheduleBatches = (): void => {
    if (batchTimer || stopped || queued.length === 0) return;
    batchTimer = setImmediate(() => {
      batchTimer = null;
      if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') {
        queued.length = 0;
        queuedIds.clear();
        return;
      }
      try {
        destroyBatch();
      } catch {
        // A full disk or a closed vault: these stay due, and the next sweep takes them again.
        queued.length = 0;
        queuedIds.clear();
        return;
      }
      if (queued.length > 0) scheduleBatches();
      else if (!remover.runTurn()) remover.schedule();
    });
  };

  const destroy = (
    destructions: Destruction[],
    ledger: 'count' | 'already-counted' = 'count',
  ): void => {
    for (const destruction of destructions) {
      if (queuedIds.has(destruction.recordingId)) continue;
      queuedIds.add(destruction.recordingId);
      queued.push({ destruction, ledger });
    }
    // The first batch within this call, as before: a small destruction is complete on return.
    if (queued.length > 0) destroyBatch();
    if (queued.length > 0) {
      scheduleBatches();
      return;
    }
    // A small destruction finishes within this call, as before; a large one goes on in later turns.
    if (!remover.runTurn()) remover.schedule();
  };

  /**
   * What is due now among `among` (every candidate when absent). A clock leapt forward holds
   * destruction at the last good date (destructionTime) until the therapist confirms the date; a
   * revocation is the client's own act and never waits (their recordings past retention by the
   * new date are then due by revocation as well). By the signed deadlines: an edited
   * destroy_after neither keeps nor destroys (issue 11). One batch for both dates: each record's
   * signature is checked once, not twice (twice was 290 of a 425 ms turn for 20 due; issue 16).
   */
  const dueNow = (revokedClientId?: string, among?: ReadonlySet<string>) => {
    const vault = lifecycle.opened();
    return vault.signedState.batch(() => {
      const dueByDate = new Set(
        vault.signedState
          .due(lifecycle.clock.destructionTime(), among)
          .map((row) => row.recordingId),
      );
      return vault.signedState
        .due(now(), among)
        .filter(
          (row) =>
            row.cause === 'revocation' ||
            row.clientId === revokedClientId ||
            dueByDate.has(row.recordingId),
        );
    });
  };

  const destructionsOf = (due: ReturnType<typeof dueNow>, trigger: string): Destruction[] =>
    due.map((row) => ({
      recordingId: row.recordingId,
      reason: `${causeText[row.cause ?? 'retention']} (sweep: ${trigger})`,
      actorRole: 'system',
    }));

  /** Candidates of `sweepInTurns` not checked yet, a batch per turn (a sweep of 60 due checked
   * every signature in one turn: 324 of its 401 ms at load 20; issue 16). */
  const unchecked: { recordingId: string; trigger: string }[] = [];
  let checkTimer: NodeJS.Immediate | null = null;

  const checkSome = (): void => {
    const slice = unchecked.splice(0, KEYS_PER_TRANSACTION);
    const byTrigger = new Map<string, Set<string>>();
    for (const { recordingId, trigger } of slice)
      byTrigger.set(trigger, (byTrigger.get(trigger) ?? new Set()).add(recordingId));
    // Called even with nothing due: it also resumes a removal a quit left (as `sweep` does).
    destroy(
      [...byTrigger].flatMap(([trigger, among]) =>
        destructionsOf(dueNow(undefined, among), trigger),
      ),
    );
  };

  const scheduleChecks = (): void => {
    if (checkTimer || stopped || unchecked.length === 0) return;
    checkTimer = setImmediate(() => {
      checkTimer = null;
      if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') {
        unchecked.length = 0;
        return;
      }
      try {
        checkSome();
      } catch {
        // A full disk or a closed vault: these stay due, and the next sweep takes them again.
        unchecked.length = 0;
        return;
      }
      scheduleChecks();
    });
  };

  return {
    sweep(trigger, revokedClientId) {
      if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') return 0;
      const due = dueNow(revokedClientId);
      destroy(destructionsOf(due, trigger));
      return due.length;
    },
    sweepInTurns(trigger) {
      if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') return;
      const waiting = new Set(unchecked.map((entry) => entry.recordingId));
      for (const recordingId of lifecycle.opened().signedState.candidates(now()))
        if (!waiting.has(recordingId) && !queuedIds.has(recordingId))
          unchecked.push({ recordingId, trigger });
      // The first batch within this call, as `sweep` does: a small sweep is done on return.
      checkSome();
      scheduleChecks();
    },
    destroyNow(recordingId, reason, actorRole) {
      destroy([{ recordingId, reason, actorRole }]);
    },
    continueRemoval() {
      if (!remover.runTurn()) remover.schedule();
    },
    stop() {
      stopped = true;
      if (batchTimer) clearImmediate(batchTimer);
      batchTimer = null;
      if (checkTimer) clearImmediate(checkTimer);
      checkTimer = null;
      remover.stop();
    },
    destroyAgain(recordingId, reason) {
      destroy([{ recordingId, reason, actorRole: 'system' }], 'already-counted');
    },
  };
}
