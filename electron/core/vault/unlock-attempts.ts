// Unlocking with a secret (the passphrase or the recovery key) and what a wrong one costs: it is
// counted and logged before the refusal is answered, and after too many, tries are refused
// until the delay has passed (unlock-throttle.ts).
import { refusalReason, type AuditAction } from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import { utf8, wipe } from '../platform/crypto';
import { KdfError, type DeriveKek } from '../platform/kdf';
import { DamagedKeyError, unwrapWithSecret } from './key-store';
import type { OpenVault } from './open-vault';

/** Whose tries the throttle counts. */
export const THERAPIST = 'therapist';

export function refuseWhileDelayed(vault: OpenVault, action: AuditAction): void {
  const retryAfterMs = vault.throttle.retryAfterMs(THERAPIST);
  if (retryAfterMs > 0) {
    vault.audit.append({
      actorRole: 'unknown',
      action,
      outcome: 'refused',
      reason: refusalReason.unlockDelayed,
    });
    throw new VaultError('UNLOCK_DELAYED', undefined, { retryAfterMs });
  }
}

/** A wrapped key whose tag does not match: named in the log, never counted as a wrong secret. */
export function alarmDamagedKey(vault: OpenVault, keyId: string, clientId: string | null): void {
  vault.alarms.raise(
    { subject: keyId, clientId, problem: 'wrapped key damaged: changed outside Session Vault' },
    { everyTime: true },
  );
}

/** Unwraps with a secret; a wrong one is counted and logged before the refusal is answered. */
export function unwrapMasterKey(
  vault: OpenVault,
  action: AuditAction,
  keyId: string,
  secret: string,
  wrong: VaultError,
): Uint8Array {
  try {
    return unwrapWithSecret(vault.keys, keyId, utf8.encode(secret), wrong);
  } catch (error) {
    throw refusalOf(vault, action, keyId, error, wrong);
  }
}

/**
 * `unwrapMasterKey` with the KDF run by `derive` (a worker thread in the app: platform/kdf.ts),
 * so main goes on meanwhile. The caller lets one try run at a time, or the throttle would count
 * the failures of tries made together only after all of them had run.
 */
export async function unwrapMasterKeyOffMain(
  vault: OpenVault,
  action: AuditAction,
  keyId: string,
  secret: string,
  wrong: VaultError,
  derive: DeriveKek,
): Promise<Uint8Array> {
  const bytes = utf8.encode(secret);
  try {
    return await vault.keys.takeWithSecret(keyId, bytes, derive, wrong);
  } catch (error) {
    if (error instanceof KdfError) {
      // Not a try and not damage: logged as what it was, and answered as an internal failure.
      vault.audit.append({
        actorRole: 'unknown',
        action,
        outcome: 'failed',
        reason: 'key derivation failed',
      });
      throw error;
    }
    throw refusalOf(vault, action, keyId, error, wrong);
  } finally {
    wipe(bytes);
  }
}

/** A failed try, counted (a wrong secret) or named (a damaged key) and logged: what to throw. */
function refusalOf(
  vault: OpenVault,
  action: AuditAction,
  keyId: string,
  error: unknown,
  wrong: VaultError,
): unknown {
  if (error === wrong) {
    vault.throttle.recordFailure(THERAPIST);
    vault.audit.append({
      actorRole: 'unknown',
      action,
      outcome: 'refused',
      reason: wrong.code.toLowerCase(),
    });
    const retryAfterMs = vault.throttle.retryAfterMs(THERAPIST);
    return new VaultError(wrong.code, undefined, retryAfterMs > 0 ? { retryAfterMs } : undefined);
  }
  vault.audit.append({
    actorRole: 'unknown',
    action,
    outcome: 'failed',
    reason: 'wrapped key damaged',
  });
  if (error instanceof DamagedKeyError) {
    alarmDamagedKey(vault, keyId, null);
    // Without this key the vault cannot open: damage to the vault, said as such, never a try.
    return new VaultError(
      'VAULT_DAMAGED',
      'The key this secret opens was changed outside Session Vault, so it was not used. This is not a wrong passphrase or recovery key, and the try was not counted. The other of the two (passphrase or recovery key) may still open the vault.',
    );
  }
  return error;
}
