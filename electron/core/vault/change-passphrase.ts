// The therapist changes the passphrase while signed in: the old one must open the master key
// again (a wrong one counts toward the unlock delay, as at the lock screen), the new one must be
// strong against the practice's and the therapist's names, and exactly one row is rewrapped, in
// the same transaction as its log entry.
import { VaultError } from '../../../shared/errors';
import { assessPassphrase } from '../../../shared/passphrase';
import { utf8, wipe } from '../platform/crypto';
import { KEY_IDS, wrapWithSecret, type KdfCost } from './key-store';
import type { OpenVault } from './open-vault';
import { refuseWhileDelayed, unwrapMasterKey } from './unlock-attempts';

export function changePassphrase(
  vault: OpenVault,
  session: { masterKey: Uint8Array; names: string[] },
  request: { oldPassphrase: string; newPassphrase: string },
  kdfCost: KdfCost,
): void {
  if (!assessPassphrase(request.newPassphrase, session.names).acceptable)
    throw new VaultError('WEAK_PASSPHRASE');
  if (request.newPassphrase === request.oldPassphrase)
    throw new VaultError('INVALID_REQUEST', 'Choose a passphrase different from the one in use.');
  refuseWhileDelayed(vault, 'passphrase.change');
  const proved = unwrapMasterKey(
    vault,
    'passphrase.change',
    KEY_IDS.therapistMasterKey,
    request.oldPassphrase,
    new VaultError('WRONG_PASSPHRASE', 'That is not the passphrase in use. Nothing was changed.'),
  );
  wipe(proved);
  vault.db.transaction(() => {
    vault.audit.append({
      actorRole: 'therapist',
      action: 'passphrase.change',
      outcome: 'ok',
      reason: 'passphrase replaced; the recovery key is unchanged',
    });
    wrapWithSecret(
      vault.keys,
      KEY_IDS.therapistMasterKey,
      utf8.encode(request.newPassphrase),
      session.masterKey,
      kdfCost,
    );
  })();
}
