// Writes a new vault into an empty, migrated file, in one transaction: its identity, the master
// key wrapped by the passphrase and by the recovery key, the audit keys, the default policy, the
// sealed practice and therapist names, and the first entries of the access log.
import type { Database } from 'better-sqlite3';
import { AuditLog } from '../audit/audit-log';
import { packAuditSecrets, type AuditSecrets } from '../audit/audit-format';
import { ConsentStore, DEFAULT_POLICY_TEXT } from '../consent/consent-store';
import {
  newBoxKeyPair,
  newKey,
  newSigningKeyPair,
  randomBytes,
  utf8,
  wipe,
} from '../platform/crypto';
import { KEY_IDS, KeyStore, newRecoveryKey, wrapWithSecret, type KdfCost } from './key-store';
import { SealedFieldStore } from '../platform/sealed-field-store';
import { deviceCheckOf, integrityKeyOf } from '../platform/wrapped-key-integrity';
import { SettingsStore } from './settings-store';
import { StateSealStore } from './state-seal-store';
import { firstVaultRecord } from './vault-record';
import { VaultMetaStore } from './vault-meta-store';

export const DEFAULT_IDLE_LOCK_MINUTES = 10;

export interface NewVault {
  vaultId: Uint8Array;
  masterKey: Uint8Array;
  recoveryKey: string;
  auditSecrets: AuditSecrets;
}

export function initialiseVault(
  db: Database,
  request: { practiceName: string; therapistName: string; passphrase: string },
  kdfCost: KdfCost,
  now: () => number,
  deviceSecret: Uint8Array,
): NewVault {
  const vaultId = randomBytes(16);
  const masterKey = newKey();
  const recoveryKey = newRecoveryKey();
  const auditSecrets: AuditSecrets = { box: newBoxKeyPair(), signing: newSigningKeyPair() };
  const at = now();
  db.transaction(() => {
    const integrityKey = integrityKeyOf(deviceSecret, vaultId);
    new VaultMetaStore(db).create(vaultId, at, deviceCheckOf(integrityKey));
    const keys = new KeyStore(db, vaultId, now, integrityKey);
    wrapWithSecret(
      keys,
      KEY_IDS.therapistMasterKey,
      utf8.encode(request.passphrase),
      masterKey,
      kdfCost,
    );
    wrapWithSecret(keys, KEY_IDS.recoveryMasterKey, utf8.encode(recoveryKey), masterKey, kdfCost);
    const stateKey = newSigningKeyPair();
    keys.put(KEY_IDS.vaultStateKey, masterKey, stateKey.secretKey);
    new VaultMetaStore(db).setStatePublicKey(stateKey.publicKey);
    firstVaultRecord(
      new StateSealStore(db),
      vaultId,
      stateKey.secretKey,
      auditSecrets.signing.publicKey,
    );
    wipe(stateKey.secretKey);
    const secretBytes = packAuditSecrets(auditSecrets);
    keys.put(KEY_IDS.auditSecrets, masterKey, secretBytes);
    wipe(secretBytes);
    AuditLog.install(db, auditSecrets);
    new ConsentStore(db, vaultId, now).setPolicy(masterKey, DEFAULT_POLICY_TEXT);
    const sealedFields = new SealedFieldStore(db, vaultId);
    sealedFields.write(masterKey, 'practiceName', request.practiceName, at);
    sealedFields.write(masterKey, 'therapistName', request.therapistName, at);
    new SettingsStore(db).set('idleLockMinutes', String(DEFAULT_IDLE_LOCK_MINUTES));
    const audit = new AuditLog(db, vaultId, now);
    audit.append({ actorRole: 'therapist', action: 'vault.create', outcome: 'ok' });
    audit.append({
      actorRole: 'therapist',
      action: 'session.unlock',
      outcome: 'ok',
      reason: 'new vault',
    });
    audit.checkpoint(auditSecrets);
  })();
  return { vaultId, masterKey, recoveryKey, auditSecrets };
}
