// The sweeper: destroys every recording whose destroy-after time has passed. It needs no key
// (destroying is deleting a key), so it runs while the vault is locked too: at start-up, on
// unlock, hourly, and right after a revocation or the end of therapy.
import type { ClosingEvent } from '../platform/anchor-record';
import type { VaultService } from '../vault/vault-service';
import { CiphertextRemover } from './ciphertext-remover';
import type { Destroyer } from './destroyer';

export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

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

/** Names closing events in the rollback anchor and resolves once the keychain write was tried. */
export type AnchorAhead = (events: ClosingEvent[]) => Promise<void>;

export function createSweeper(
  lifecycle: VaultService,
  now: () => number,
  anchorAhead: AnchorAhead = () => Promise.resolve(),
): Destroyer {
  const remover = new CiphertextRemover(lifecycle);
  // One destruction at a time: two sweeps must not both name (and count) the same recording.
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(step: () => Promise<T>): Promise<T> => {
    const run = queue.then(step, step);
    queue = run.catch(() => undefined);
    return run;
  };

  /**
   * Every key in one transaction (one sync, however many are due), each logged first inside it:
   * if an entry cannot be written, nothing is destroyed and the next sweep retries. From its
   * commit no recording in it can be played; the ciphertext follows in slices.
   */
  const commit = (
    destructions: Destruction[],
    ledger: 'count' | 'already-counted' = 'count',
  ): void => {
    const vault = lifecycle.opened();
    if (destructions.length > 0)
      vault.db.transaction(() => {
        for (const { recordingId, reason, actorRole } of destructions) {
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
    // A small destruction finishes within this call, as before; a large one goes on in later turns.
    if (!remover.runTurn()) remover.schedule();
  };

  /**
   * "Name, await the anchor, then one small transaction": a crash in between leaves the anchor
   * ahead of the file, and the next open destroys these again. What another sweep destroyed
   * meanwhile is left out.
   */
  const destroy = async (destructions: Destruction[]): Promise<number> => {
    const live = (list: Destruction[]) =>
      list.filter(({ recordingId }) => {
        const row = lifecycle.opened().recordings.find(recordingId);
        return row !== null && row.state !== 'destroyed';
      });
    const named = live(destructions);
    if (named.length === 0) {
      // Nothing new to destroy: what an earlier destruction left (a quit, a crash) goes on.
      commit([]);
      return 0;
    }
    await anchorAhead(named.map(({ recordingId }) => ({ kind: 'destroyed', recordingId })));
    if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') return 0;
    const due = live(named);
    commit(due);
    return due.length;
  };

  return {
    sweep: (trigger, revokedClientId) =>
      oneAtATime(async () => {
        if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') return 0;
        const vault = lifecycle.opened();
        // A clock leapt forward holds destruction at the last good date (destructionTime) until
        // the therapist confirms the date; a revocation is the client's own act and never waits
        // (their recordings past retention by the new date are then due by revocation as well).
        const dueByDate = new Set(
          vault.recordings.due(lifecycle.clock.destructionTime()).map((row) => row.recordingId),
        );
        const due = vault.recordings
          .due(now())
          .filter(
            (row) =>
              row.cause === 'revocation' ||
              row.clientId === revokedClientId ||
              dueByDate.has(row.recordingId),
          );
        return destroy(
          due.map((row) => ({
            recordingId: row.recordingId,
            reason: `${causeText[row.cause ?? 'retention']} (sweep: ${trigger})`,
            actorRole: 'system',
          })),
        );
      }),
    destroyNow: async (recordingId, reason, actorRole) => {
      await oneAtATime(() => destroy([{ recordingId, reason, actorRole }]));
    },
    continueRemoval() {
      if (!remover.runTurn()) remover.schedule();
    },
    stop() {
      remover.stop();
    },
    destroyAgain(recordingId, reason) {
      commit([{ recordingId, reason, actorRole: 'system' }], 'already-counted');
    },
  };
}
