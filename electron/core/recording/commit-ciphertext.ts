// Signs a finished recording's commitment while the therapist's session holds the log's signing
// key: at finalise, when an interrupted recording is sealed at unlock, after a partial removal.
import type { OpenVault } from '../vault/open-vault';
import { signCommitment } from '../platform/ciphertext-commitment';

export function commitCiphertext(
  vault: OpenVault,
  recordingId: string,
  signingSecretKey: Uint8Array,
): void {
  const stored = vault.commitments.asStored(recordingId);
  if (!stored) return;
  vault.commitments.put(recordingId, signCommitment(vault.vaultId, stored, signingSecretKey));
}
