// The state keys of docs/threat-model.md "Mechanisms (a)": the vault state key (secret wrapped by
// MK, public half in vault_meta) and one per client (secret wrapped by that client's key, public
// half in the client's row). Made with the vault and with each client; a vault or client from
// before migration 40 gets its key at the therapist's first unlock. At every therapist unlock each
// secret half is opened and its public half derived and compared with the stored one: a key
// replaced or removed outside the app is a tamper alarm, never silently made again.
import { VaultError } from '../../../shared/errors';
import { equalBytes, newSigningKeyPair, signingPublicKeyOf, wipe } from '../platform/crypto';
import { DamagedKeyError, KEY_IDS } from './key-store';
import type { OpenVault } from './open-vault';
import { VaultMetaStore } from './vault-meta-store';

type Check = 'ok' | 'made' | 'replaced' | 'missing' | 'damaged';

/** Opens (or, for a holder that never had one, makes) one state key and checks its public half. */
function checkOne(
  vault: OpenVault,
  keyId: string,
  wrappingKey: Uint8Array,
  storedPublicKey: Uint8Array | null,
  storePublicKey: (publicKey: Uint8Array) => void,
): Check {
  if (!vault.keys.has(keyId)) {
    // A public half without its secret: the secret row was deleted, not never made.
    if (storedPublicKey !== null) return 'missing';
    const made = newSigningKeyPair();
    vault.keys.put(keyId, wrappingKey, made.secretKey);
    storePublicKey(made.publicKey);
    wipe(made.secretKey);
    return 'made';
  }
  let secretKey: Uint8Array | null = null;
  try {
    secretKey = vault.keys.take(keyId, wrappingKey, new VaultError('VAULT_DAMAGED'));
    const derived = signingPublicKeyOf(secretKey);
    return storedPublicKey !== null && equalBytes(derived, storedPublicKey) ? 'ok' : 'replaced';
  } catch (error) {
    if (error instanceof DamagedKeyError) return 'damaged';
    if (error instanceof VaultError && error.code === 'VAULT_DAMAGED') return 'damaged';
    throw error;
  } finally {
    wipe(secretKey);
  }
}

const problemOf: Record<Exclude<Check, 'ok' | 'made'>, (whose: string) => string> = {
  replaced: (whose) => `${whose} signing key was replaced outside Session Vault`,
  missing: (whose) => `${whose} signing key was removed outside Session Vault`,
  damaged: (whose) => `${whose} signing key was changed outside Session Vault`,
};

/**
 * Run at each therapist unlock, in one transaction: makes what is missing in an older vault and
 * raises an alarm for every key that does not match its public half. One client's damage never
 * stops the check of the others.
 */
export function checkStateKeys(vault: OpenVault, masterKey: Uint8Array): void {
  const meta = new VaultMetaStore(vault.db);
  vault.db.transaction(() => {
    const vaultCheck = checkOne(
      vault,
      KEY_IDS.vaultStateKey,
      masterKey,
      meta.statePublicKey(),
      (publicKey) => meta.setStatePublicKey(publicKey),
    );
    if (vaultCheck !== 'ok' && vaultCheck !== 'made')
      vault.alarms.raise({
        subject: KEY_IDS.vaultStateKey,
        clientId: null,
        problem: problemOf[vaultCheck]('the vault’s'),
      });
    for (const clientId of vault.clients.ids()) {
      let clientKey: Uint8Array | null = null;
      try {
        clientKey = vault.clients.keyForTherapist(clientId, masterKey);
      } catch (error) {
        if (!(error instanceof VaultError) || error.code !== 'VAULT_DAMAGED') throw error;
        vault.alarms.raise({
          subject: error instanceof DamagedKeyError ? error.keyId : `client/${clientId}`,
          clientId,
          problem:
            error instanceof DamagedKeyError
              ? 'wrapped key damaged: changed outside Session Vault'
              : 'client key or profile does not open',
        });
        continue;
      }
      try {
        const check = checkOne(
          vault,
          KEY_IDS.clientStateKey(clientId),
          clientKey,
          vault.clients.statePublicKey(clientId),
          (publicKey) => vault.clients.setStatePublicKey(clientId, publicKey),
        );
        if (check !== 'ok' && check !== 'made')
          vault.alarms.raise({
            subject: KEY_IDS.clientStateKey(clientId),
            clientId,
            problem: problemOf[check]('the client’s'),
          });
      } finally {
        wipe(clientKey);
      }
    }
  })();
}
