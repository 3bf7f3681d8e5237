// Recordings a crash cut off. At start-up none can be running, so any still marked running is
// marked interrupted and logged; at unlock, when the keys are at hand, their end markers are
// sealed, so a missing tail is detected from then on.
import { wipe } from '../platform/crypto';
import { commitCiphertext } from './commit-ciphertext';
import type { OpenVault } from '../vault/open-vault';

/** No recording runs before start-up: any still marked running was cut off by a crash. */
export function recoverInterruptedRecordings(vault: OpenVault): void {
  for (const recordingId of vault.recordings.markInterrupted())
    vault.audit.append({
      actorRole: 'system',
      action: 'recording.interrupted',
      subject: recordingId,
      outcome: 'ok',
      reason: 'the app stopped during the recording; kept up to the last saved second',
    });
}

/** Seals the end marker of interrupted recordings, which needs their keys (so: on unlock). */
export function sealInterruptedRecordings(
  vault: OpenVault,
  masterKey: Uint8Array,
  signingSecretKey: Uint8Array,
): void {
  for (const recording of vault.recordings.unsealedInterruptions()) {
    let clientKey: Uint8Array | null = null;
    let recordingKey: Uint8Array | null = null;
    try {
      clientKey = vault.clients.keyForTherapist(recording.clientId, masterKey);
      recordingKey = vault.clients.recordingKey(recording.recordingId, clientKey);
      vault.recordings.finalise(recording.recordingId, recordingKey, 'interrupted');
      commitCiphertext(vault, recording.recordingId, signingSecretKey);
    } catch {
      // Left unsealed; `doctor` and the library report it. Unlocking must not fail over it.
    } finally {
      wipe(recordingKey);
      wipe(clientKey);
    }
  }
}
