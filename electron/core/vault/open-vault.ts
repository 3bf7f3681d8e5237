// An open vault file and the stores over it, each given the vault id, the clock and what else it
// needs. Opening one reads only the vault id: no key is needed until something is unsealed.
import { DecisionStore } from '../consent/decision-store';
import { RecordingNotesStore } from '../recording/recording-notes-store';
import type { Database } from 'better-sqlite3';
import { AuditLog } from '../audit/audit-log';
import { AuditorStore } from '../audit/auditor-store';
import { ClientStore } from '../clients/client-store';
import { CommitmentStore } from '../recording/commitment-store';
import { AnchorSnapshotStore } from './anchor-snapshot-store';
import { ClosingLedgerStore } from './closing-ledger-store';
import { KeyStore, type KdfCost } from './key-store';
import { RecordingStore } from '../recording/recording-store';
import { audioFolderOf } from '../recording/audio-file';
import type { ChunkStorage } from '../recording/recording-row-store';
import { SealedFieldStore } from '../platform/sealed-field-store';
import { SettingsStore } from './settings-store';
import { UnlockThrottle } from './unlock-throttle';
import { VaultMetaStore } from './vault-meta-store';
import type { VaultClock } from '../platform/vault-clock';
import { IntegrityAlarms } from './integrity-alarms';
import { integrityKeyOf } from '../platform/wrapped-key-integrity';
import { SignedState } from './signed-state';
import { StateSealStore } from './state-seal-store';
import { VaultRecord } from './vault-record';

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
  ledger: ClosingLedgerStore;
  commitments: CommitmentStore;
  anchorSnapshot: AnchorSnapshotStore;
  alarms: IntegrityAlarms;
  decisions: DecisionStore;
  /** The signed state records: checked before play, record and sweep (signed-state.ts). */
  signedState: SignedState;
  /** Each recording's title and the therapist's private note, sealed with its key. */
  recordingNotes: RecordingNotesStore;
}

export function attachVault(
  db: Database,
  now: () => number,
  kdfCost: KdfCost,
  deviceSecret: Uint8Array,
  clock?: VaultClock,
  newRecordingStorage: ChunkStorage = 'file',
): OpenVault {
  const vaultId = new VaultMetaStore(db).vaultId();
  const keys = new KeyStore(db, vaultId, now, integrityKeyOf(deviceSecret, vaultId));
  // A vault from before keyed tags: take over the rows its public hashes still vouch for.
  if (keys.tagOwner() === 'untagged') keys.tagRows('untagged');
  const audit = new AuditLog(db, vaultId, now);
  const clients = new ClientStore(db, vaultId, keys, now, kdfCost);
  const alarms = new IntegrityAlarms(audit, now);
  if (keys.repairRewrittenDeviceCheck())
    alarms.raise({
      subject: 'vault_meta.device_check',
      clientId: null,
      problem:
        'the device check was changed outside Session Vault to make this laptop look like another computer; the keys are checked as this laptop’s',
    });
  const seals = new StateSealStore(db);
  const vaultRecord = new VaultRecord(vaultId, seals, keys, alarms, () => {
    try {
      return audit.signingPublicKey();
    } catch {
      return null; // a log without keys is named by its own verification
    }
  });
  return {
    db,
    vaultId,
    keys,
    audit,
    throttle: new UnlockThrottle(db, now, undefined, clock),
    clients,
    auditors: new AuditorStore(db, vaultId, keys, now, kdfCost),
    recordings: new RecordingStore(
      db,
      vaultId,
      now,
      audioFolderOf(db),
      db.memory ? 'sqlite' : newRecordingStorage,
    ),
    settings: new SettingsStore(db),
    sealedFields: new SealedFieldStore(db, vaultId),
    ledger: new ClosingLedgerStore(db, vaultId),
    commitments: new CommitmentStore(db),
    anchorSnapshot: new AnchorSnapshotStore(db),
    alarms,
    decisions: new DecisionStore(db, vaultId, now),
    signedState: new SignedState(vaultId, seals, keys, clients, alarms, vaultRecord),
    recordingNotes: new RecordingNotesStore(db, vaultId),
  };
}
