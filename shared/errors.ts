// Every error a person can meet: a code for tests, a sentence for the person.
import type { DecisionCode } from './consent-terms';

export const errorSentences = {
  INVALID_REQUEST: 'That request was not understood, so nothing was changed.',
  UNKNOWN_CHANNEL: 'That action does not exist, so nothing was changed.',
  FORBIDDEN_SENDER: 'That request did not come from Session Vault, so it was refused.',
  NO_VAULT: 'There is no vault on this laptop yet. Create one to begin.',
  VAULT_EXISTS: 'A vault already exists on this laptop. Unlock it instead.',
  VAULT_LOCKED: 'The vault is locked. Unlock it to continue.',
  NOT_A_VAULT:
    'The vault file is not a Session Vault file. Nothing was changed. Check the vault folder.',
  VAULT_DAMAGED:
    'The vault file is damaged, so it cannot be opened. Nothing was changed. A backup can be put back, but it is an older copy: on this laptop Session Vault destroys again what was destroyed after it was made, and on another computer it still holds those recordings.',
  VAULT_IN_USE:
    'This vault is already open in another Session Vault window or process. Close that one first: two at once would lose each other’s work. Nothing was changed.',
  ANCHOR_UNAVAILABLE:
    'Session Vault could not reach this computer’s keychain to check that the vault is not an older copy. Unlock the keychain (sign in to the desktop session again), then start Session Vault again.',
  VAULT_TOO_NEW:
    'This vault was written by a newer version of Session Vault. Install the newer version to open it. Nothing was changed.',
  WRONG_PASSPHRASE: 'That passphrase is not right. The vault stays locked.',
  WRONG_RECOVERY_KEY: 'That recovery key is not right. The vault stays locked.',
  UNLOCK_DELAYED: 'Too many tries. Wait a moment before trying again.',
  WEAK_PASSPHRASE:
    'That passphrase is too easy to guess. Use at least 12 characters, or a few unrelated words.',
  AUDIT_UNAVAILABLE:
    'The access log could not be written, so the action was stopped. Nothing was changed.',
  NOT_ALLOWED: 'This is not allowed.',
  WRONG_PIN: 'That PIN is not right.',
  REVIEW_LOCKED:
    'Your review is locked after too many wrong PINs. Ask your therapist to unlock it.',
  WRONG_CREDENTIAL: 'That name or passphrase is not right.',
  NOT_FOUND: 'That could not be found. It may have been destroyed.',
  RECORDING_NOT_ARMED: 'That recording is not running, so the audio was not kept.',
  CHUNK_OUT_OF_SEQUENCE: 'A piece of audio arrived out of order, so it was refused.',
  CHUNK_TOO_LARGE: 'A piece of audio was larger than allowed, so it was refused.',
  CHUNK_ALTERED: 'Part of this recording was changed after it was saved, so it will not play.',
  CHUNK_REORDERED:
    'Parts of this recording were moved out of order after it was saved, so it will not play.',
  CHUNK_DUPLICATED: 'Part of this recording was copied over another part, so it will not play.',
  CHUNK_SPLICED: 'Part of this recording came from another recording, so it will not play.',
  CHUNK_MISSING: 'Part of this recording is missing. It was removed without a record of why.',
  RECORDING_TRUNCATED: 'The end of this recording is missing, so it will not play past that point.',
  RECORDING_DESTROYED: 'This recording was destroyed and cannot be played.',
  EXPORT_UNAVAILABLE:
    'This copy of Session Vault cannot save files, so nothing was exported and nothing was logged.',
  EXPORT_NOT_SAVED:
    'The export could not be written there, so the unfinished file was removed. Choose another place and export again.',
  VAULT_HELD:
    'Nothing plays or records until the therapist reads what was found about this vault and confirms it, on the therapist’s screen. Nothing was destroyed because of it.',
  KEY_DAMAGED:
    'A key in the vault was changed outside Session Vault, so it was not used. This is not a wrong PIN or passphrase, and the try was not counted. Tell the therapist; the access log names the key.',
  RECORDING_HELD:
    'This recording’s record was changed outside Session Vault, so it is held: it does not play, and only its signed date can destroy it. The access log names it.',
  CONSENT_HELD:
    'This client’s consent record was changed outside Session Vault, so nothing is recorded or played for them until it is put right. The access log names it.',
  INTERNAL: 'Something went wrong inside Session Vault. Nothing was changed.',
} as const;

export type ErrorCode = keyof typeof errorSentences;

/** What the rollback check found at open, for the person at the laptop (vault.status). */
export const integrityNoticeSentences = {
  rollback:
    'This vault is an older copy than the one this laptop last saw: a folder or backup was put back. Session Vault destroyed again the recordings destroyed since, and revoked again the consents revoked since. The access log records it.',
  rewritten:
    'This vault was changed outside Session Vault: its access log or its record of destructions differs from the one this laptop last saw. The access log records it.',
  'anchor-missing':
    'The record that protects this vault against old copies is missing from this laptop’s keychain. If a copy of the vault was put back, recordings destroyed since may be in it. The access log records it.',
  unavailable: errorSentences.ANCHOR_UNAVAILABLE,
} as const;

/** Added to the notice while recordings are held (vault.confirmAnchor lifts it). */
export const integrityHoldSentence =
  'Until you confirm that you have read this, nothing plays and nothing records, and nothing is destroyed because of it.';

export interface VaultErrorInfo {
  code: ErrorCode;
  message: string;
  /** For UNLOCK_DELAYED: how long until the next try is accepted. */
  retryAfterMs?: number;
  /** For a refusal consent decided: the decision's codes, so the page need not read sentences. */
  decisionCodes?: DecisionCode[];
}

/** A failure a person should see. Thrown inside main, turned into an envelope at the door. */
export class VaultError extends Error {
  readonly code: ErrorCode;
  readonly retryAfterMs: number | undefined;
  readonly decisionCodes: DecisionCode[] | undefined;

  constructor(
    code: ErrorCode,
    message?: string,
    options?: { retryAfterMs?: number; decisionCodes?: DecisionCode[]; cause?: unknown },
  ) {
    super(message ?? errorSentences[code], { cause: options?.cause });
    this.name = 'VaultError';
    this.code = code;
    this.retryAfterMs = options?.retryAfterMs;
    this.decisionCodes = options?.decisionCodes;
  }

  toInfo(): VaultErrorInfo {
    const info: VaultErrorInfo = { code: this.code, message: this.message };
    if (this.retryAfterMs !== undefined) info.retryAfterMs = this.retryAfterMs;
    if (this.decisionCodes !== undefined) info.decisionCodes = [...this.decisionCodes];
    return info;
  }
}
