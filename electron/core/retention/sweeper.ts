// The sweeper: destroys every recording whose destroy-after time has passed. It needs no key
// (destroying is deleting a key), so it runs while the vault is locked too: at start-up, on
// unlock, hourly, and right after a revocation or the end of therapy. Every destruction is named
// in the rollback anchor before its keys go (docs/threat-model.md, "The anchor is written before
// each closing event commits").
import type { ClosingEvent } from '../platform/anchor-record';
import type { VaultService } from '../vault/vault-service';
import type { BackgroundTurns } from '../platform/background-turns';
import { CiphertextRemover } from './ciphertext-remover';
import type { Destroyer } from './destroyer';

export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Keys destroyed per transaction: ~3 ms each under load, so a batch stays well within 50 ms. */
export const KEYS_PER_TRANSACTION = 8;
/**
 * Destructions named in one keychain write (about 180 ms on gnome-keyring): a sweep of 60 is one
 * write; a larger one goes in rounds, each named once the one before it is committed, so the
 * anchor never names more than its 128 ahead.
 */
export const NAMED_PER_WRITE = 64;

/** The rollback anchor, as the sweeper sees it (vault/anchor-keeper.ts). */
export interface AnchorAhead {
  /** Names the events before they commit; resolves once the keychain write was tried. */
  ahead(events: ClosingEvent[]): Promise<void>;
  /** Their commit did not happen: nothing is to be redone for them. */
  withdraw(events: ClosingEvent[]): void;
}

const noAnchor: AnchorAhead = { ahead: () => Promise.resolve(), withdraw: () => undefined };

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

/**
 * `turns` is main's one background queue (createCore makes it and stops it at close): every step
 * of a sweep and of the removal after it shares each turn's budget with the unlock's checks.
 */
export function createSweeper(
  lifecycle: VaultService,
  now: () => number,
  turns: BackgroundTurns,
  anchor: AnchorAhead = noAnchor,
): Destroyer {
  const remover = new CiphertextRemover(lifecycle, turns);

  /** Due destructions whose key step has not run yet, in order, a batch per turn of main. */
  const queued: { destruction: Destruction; ledger: 'count' | 'already-counted' }[] = [];
  const queuedIds = new Set<string>();
  /** Being named in the anchor, not queued yet: another sweep leaves them to this one. */
  const naming = new Set<string>();
  /** The rounds of naming and committing, one after another. */
  let rounds: Promise<unknown> = Promise.resolve();
  /** Told when the queue is empty (every batch committed, or dropped). */
  let drainedWaiters: (() => void)[] = [];
  let batchQueued = false;
  let stopped = false;

  const isOpen = () => lifecycle.state === 'locked' || lifecycle.state === 'unlocked';
  const eventOf = (destruction: Destruction): ClosingEvent => ({
    kind: 'destroyed',
    recordingId: destruction.recordingId,
  });
  const drained = (): Promise<void> =>
    queued.length === 0 ? Promise.resolve() : new Promise((done) => drainedWaiters.push(done));
  const tellDrained = (): void => {
    if (queued.length > 0) return;
    const waiters = drainedWaiters;
    drainedWaiters = [];
    for (const done of waiters) done();
  };
  /** The queue is given up (a full disk, a closed vault): still due, the next sweep retries. */
  const dropQueued = (): void => {
    anchor.withdraw(queued.filter((q) => q.ledger === 'count').map((q) => eventOf(q.destruction)));
    queued.length = 0;
    queuedIds.clear();
    tellDrained();
  };

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
          // Destroyed meanwhile by another path: its ledger row is written already.
          if (vault.recordings.find(recordingId)?.state === 'destroyed') continue;
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
          vault.recordingNotes.forget(recordingId);
        }
      })();
    } catch (error) {
      anchor.withdraw(batch.filter((q) => q.ledger === 'count').map((q) => eventOf(q.destruction)));
      throw error;
    } finally {
      for (const { destruction } of batch) queuedIds.delete(destruction.recordingId);
    }
    remover.checkpointSoon();
  };

  const scheduleBatches = (): void => {
    if (batchQueued || stopped || queued.length === 0) return;
    batchQueued = true;
    turns.push(() => {
      batchQueued = false;
      if (!isOpen()) {
        dropQueued();
        return;
      }
      try {
        destroyBatch();
      } catch {
        // A full disk or a closed vault: these stay due, and the next sweep takes them again.
        dropQueued();
        return;
      }
      if (queued.length > 0) scheduleBatches();
      else {
        tellDrained();
        remover.schedule();
      }
    });
  };

  /**
   * Queues destructions already named in the anchor (or counted by it). `now`: the first batch is
   * committed within this call, and the removal's first slice after it, so a small destruction a
   * person asked for is complete on return; `in-turns` (a sweep's): every batch and every slice is
   * a step of the queue. The rest goes on in later turns.
   */
  const commit = (
    destructions: Destruction[],
    ledger: 'count' | 'already-counted',
    firstBatch: 'now' | 'in-turns',
  ): void => {
    for (const destruction of destructions) {
      if (queuedIds.has(destruction.recordingId)) continue;
      queuedIds.add(destruction.recordingId);
      queued.push({ destruction, ledger });
    }
    if (firstBatch === 'now' && queued.length > 0) {
      try {
        destroyBatch();
      } catch (error) {
        dropQueued();
        throw error;
      }
    }
    if (queued.length > 0) {
      scheduleBatches();
      return;
    }
    tellDrained();
    if (firstBatch === 'in-turns' || !remover.runTurn()) remover.schedule();
  };

  /**
   * "Name, await the anchor, then one small transaction" (a batch of keys), in rounds of
   * NAMED_PER_WRITE. A crash between the name and the commit leaves the anchor ahead of the
   * file, and the next open destroys them (the safe direction). Nothing new to destroy still
   * moves the removal of ciphertext a quit or a crash left on: a sweep at start or unlock resumes
   * it (bfe1896 returned before it, so an interrupted removal waited for the hourly tick).
   */
  const destroy = (
    destructions: Destruction[],
    firstBatch: 'now' | 'in-turns' = 'now',
  ): Promise<void> => {
    const fresh = destructions.filter(
      ({ recordingId }) => !queuedIds.has(recordingId) && !naming.has(recordingId),
    );
    for (const { recordingId } of fresh) naming.add(recordingId);
    const run = rounds.then(async () => {
      try {
        for (let first = 0; first < fresh.length; first += NAMED_PER_WRITE) {
          const round = fresh.slice(first, first + NAMED_PER_WRITE);
          await anchor.ahead(round.map(eventOf));
          if (stopped || !isOpen()) {
            anchor.withdraw(round.map(eventOf));
            return;
          }
          for (const { recordingId } of round) naming.delete(recordingId);
          commit(round, 'count', firstBatch);
          // A sweep's round is over once its keys are gone; the next is named only then.
          if (firstBatch === 'in-turns' || first + NAMED_PER_WRITE < fresh.length) await drained();
        }
        if (fresh.length === 0 && isOpen()) remover.schedule();
      } finally {
        for (const { recordingId } of fresh) naming.delete(recordingId);
      }
    });
    rounds = run.catch(() => undefined);
    return run;
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

  /**
   * Candidates of `sweepInTurns` not checked yet, a batch per step (a sweep of 60 due checked
   * every signature in one turn: 324 of its 401 ms at load 20; issue 16).
   */
  const unchecked: { recordingId: string; trigger: string }[] = [];
  let checkQueued = false;
  /** Told when every candidate was checked (or given up) and the rounds it named have run. */
  let checkedWaiters: (() => void)[] = [];
  const tellChecked = (): void => {
    if (unchecked.length > 0 || checkQueued) return;
    const waiters = checkedWaiters;
    checkedWaiters = [];
    const done = rounds;
    for (const resolve of waiters) void done.then(resolve);
  };

  const checkSome = (): void => {
    const slice = unchecked.splice(0, KEYS_PER_TRANSACTION);
    const byTrigger = new Map<string, Set<string>>();
    for (const { recordingId, trigger } of slice)
      byTrigger.set(trigger, (byTrigger.get(trigger) ?? new Set()).add(recordingId));
    // Called even with nothing due: it also resumes a removal a quit left (as `sweep` does).
    // Its failure is the round's own (rounds carries on); the destructions stay due.
    destroy(
      [...byTrigger].flatMap(([trigger, among]) =>
        destructionsOf(dueNow(undefined, among), trigger),
      ),
      'in-turns',
    ).catch(() => undefined);
  };

  const scheduleChecks = (): void => {
    if (checkQueued || stopped || unchecked.length === 0) {
      tellChecked();
      return;
    }
    checkQueued = true;
    turns.push(() => {
      checkQueued = false;
      if (!isOpen()) {
        unchecked.length = 0;
        tellChecked();
        return;
      }
      try {
        checkSome();
      } catch {
        // A full disk or a closed vault: these stay due, and the next sweep takes them again.
        unchecked.length = 0;
        tellChecked();
        return;
      }
      scheduleChecks();
    });
  };

  return {
    async sweep(trigger, revokedClientId) {
      if (!isOpen()) return 0;
      const due = dueNow(revokedClientId);
      await destroy(destructionsOf(due, trigger));
      return due.length;
    },
    sweepInTurns(trigger) {
      if (!isOpen()) return Promise.resolve();
      const checked = new Promise<void>((resolve) => checkedWaiters.push(resolve));
      const waiting = new Set(unchecked.map((entry) => entry.recordingId));
      const { signedState } = lifecycle.opened();
      // Checked at every sweep, due or not: a client deleted or a key replaced is named while
      // locked, even when no candidate comes to be checked.
      signedState.checkVault();
      for (const recordingId of signedState.candidates(now()))
        if (!waiting.has(recordingId) && !queuedIds.has(recordingId) && !naming.has(recordingId))
          unchecked.push({ recordingId, trigger });
      // Checked and destroyed in steps of the queue, from the next turn on. A removal a quit or a
      // crash cut short resumes whether or not anything is due (bfe1896 lost that once).
      remover.schedule();
      scheduleChecks();
      return checked;
    },
    destroyNow(recordingId, reason, actorRole) {
      return destroy([{ recordingId, reason, actorRole }]);
    },
    continueRemoval() {
      remover.schedule();
    },
    stop() {
      stopped = true;
      batchQueued = false;
      checkQueued = false;
      unchecked.length = 0;
      tellChecked();
      remover.stop();
      // What was queued stays due (and named ahead): the next start takes it.
      queued.length = 0;
      queuedIds.clear();
      tellDrained();
    },
    destroyAgain(recordingId, reason, ledger = 'already-counted') {
      commit([{ recordingId, reason, actorRole: 'system' }], ledger, 'now');
    },
  };
}
