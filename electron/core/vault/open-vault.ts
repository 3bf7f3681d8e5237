// An open vault file and the stores over it, each given the vault id, the clock and what else it
// needs. Opening one reads only the vault id: no key is needed until something is unsealed.
import { DecisionStore } from '../consent/decision-store';
import type { Database } from 'better-sqlite3';
import { AuditLog } from '../audit/audit-log';
import { AuditorStore } from '../audit/auditor-store';
import { ClientStore } from '../clients/client-store';
import { KeyStore, type KdfCost } from './key-store';
import { RecordingStore } from '../recording/recording-store';
import { SealedFieldStore } from '../platform/sealed-field-store';
import { SettingsStore } from './settings-store';
import { UnlockThrottle } from './unlock-throttle';
import { VaultMetaStore } from './vault-meta-store';

export interface OpenVault {
  db: Database;
  vaultId: Uint8Array;
  keys: KeyStore;
  audit: AuditLog;
  throttle: UnlockThrottle;
  clients: ClientStore;
  auditors: AuditorStore;
  recordings: RecordingStore;
  settings: SettingsStore;
  sealedFields: SealedFieldStore;
  decisions: DecisionStore;
}

export function attachVault(db: Database, now: () => number, kdfCost: KdfCost): OpenVault {
  const vaultId = new VaultMetaStore(db).vaultId();
  const keys = new KeyStore(db, vaultId, now);
  return {
    db,
    vaultId,
    keys,
    audit: new AuditLog(db, vaultId, now),
    throttle: new UnlockThrottle(db, now),
    clients: new ClientStore(db, vaultId, keys, now, kdfCost),
    auditors: new AuditorStore(db, vaultId, keys, now, kdfCost),
    recordings: new RecordingStore(db, vaultId, now),
    settings: new SettingsStore(db),
    sealedFields: new SealedFieldStore(db, vaultId),
    decisions: new DecisionStore(db, vaultId, now),
  };
}
