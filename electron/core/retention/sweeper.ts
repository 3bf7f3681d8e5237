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
  const destroy = (destructions: Destruction[]): void => {
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
          vault.recordings.beginDestruction(recordingId, reason);
        }
      })();
    // A small destruction finishes within this call, as before; a large one goes on in later turns.
    if (!remover.runTurn()) remover.schedule();
  };

  return {
    sweep(trigger) {
      if (lifecycle.state !== 'locked' && lifecycle.state !== 'unlocked') return 0;
      const vault = lifecycle.opened();
      const due = vault.recordings.due(now());
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
  };
}
