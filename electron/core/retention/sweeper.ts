// The sweeper: destroys every recording whose destroy-after time has passed. It needs no key
// (destroying is deleting a key), so it runs while the vault is locked too: at start-up, on
// unlock, hourly, and right after a revocation or the end of therapy.
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

export function createSweeper(lifecycle: VaultService, now: () => number): Destroyer {
  const remover = new CiphertextRemover(lifecycle);

  /**
   * Every key in one transaction (one sync, however many are due), each logged first inside it:
   * if an entry cannot be written, nothing is destroyed and the next sweep retries. From its
   * commit no recording in it can be played; the ciphertext follows in slices.
   */
  const destroy = (
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

  return {
    sweep(trigger, revokedClientId) {
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
      destroy(
        due.map((row) => ({
          recordingId: row.recordingId,
          reason: `${causeText[row.cause ?? 'retention']} (sweep: ${trigger})`,
          actorRole: 'system',
        })),
      );
      return due.length;
    },
    destroyNow(recordingId, reason, actorRole) {
      destroy([{ recordingId, reason, actorRole }]);
    },
    continueRemoval() {
      if (!remover.runTurn()) remover.schedule();
    },
    stop() {
      remover.stop();
    },
    destroyAgain(recordingId, reason) {
      destroy([{ recordingId, reason, actorRole: 'system' }], 'already-counted');
    },
  };
}
