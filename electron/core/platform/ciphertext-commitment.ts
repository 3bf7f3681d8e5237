// A finalised recording's commitment: its chunks hash and the hash of its wrapped key row, signed
// with the access log's signing key (held only while unlocked), so `doctor` finds altered chunks,
// a swapped key or a recording deleted outside the app without any key (docs/threat-model.md,
// "Mechanisms (c)"). Part 1's signed recording record carries the same two hashes.
import { hash, sign, toHex, utf8, verifySignature } from './crypto';

export interface CommittedRecording {
  recordingId: string;
  chunksHash: Uint8Array;
  recordingKeyHash: Uint8Array;
}

export const COMMITMENT_SUBJECT_PREFIX = 'commitment/';

export function commitmentMessage(vaultId: Uint8Array, recording: CommittedRecording): Uint8Array {
  return hash(
    utf8.encode(
      `session-vault/ciphertext-commitment/v1|${toHex(vaultId)}|${recording.recordingId}|`,
    ),
    recording.chunksHash,
    recording.recordingKeyHash,
  );
}

export function signCommitment(
  vaultId: Uint8Array,
  recording: CommittedRecording,
  signingSecretKey: Uint8Array,
): Uint8Array {
  return sign(signingSecretKey, commitmentMessage(vaultId, recording));
}

export function verifyCommitment(
  vaultId: Uint8Array,
  recording: CommittedRecording,
  signature: Uint8Array,
  signingPublicKey: Uint8Array,
): boolean {
  return verifySignature(signingPublicKey, commitmentMessage(vaultId, recording), signature);
}
