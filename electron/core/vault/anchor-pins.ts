// Values kept in the clear in the vault file that nothing signed covers, pinned in the keychain
// anchor instead: that every state record is signed (migration 110's pending flag, which would
// otherwise have the next unlock sign rows as they stand), that the vault record is signed
// (migration 130's flag, which would otherwise let each client's own key decide until then), and
// that a hold is in force (a plain setting). Someone who can write the file could turn any of them
// back; against a genuine anchor the file is named (an alarm) and put back.
import type { AnchorRecord } from '../platform/anchor-record';
import { pinAnchorHold, setAnchorHold, storedAnchorHold } from './anchor-hold';
import type { OpenVault } from './open-vault';

/** The record as it goes to the keychain: "complete" is set once and never goes back. */
export function withRecordsComplete(record: AnchorRecord, vault: OpenVault): AnchorRecord {
  let pinned = record;
  if (record.stateRecordsComplete !== true && !vault.signedState.recordsPending()) {
    vault.signedState.pinRecordsComplete();
    pinned = { ...pinned, stateRecordsComplete: true };
  }
  const vaultRecord = vault.signedState.vaultRecord;
  if (
    record.vaultRecordComplete !== true &&
    vaultRecord.storedPublicKey() !== null &&
    !vaultRecord.pending()
  ) {
    vaultRecord.pinComplete();
    pinned = { ...pinned, vaultRecordComplete: true };
  }
  return pinned;
}

/** Whether the anchor already says what the file can: nothing left to pin. */
export function pinsCurrent(record: AnchorRecord, vault: OpenVault): boolean {
  const vaultRecord = vault.signedState.vaultRecord;
  return (
    (record.stateRecordsComplete === true || vault.signedState.recordsPending()) &&
    (record.vaultRecordComplete === true ||
      vaultRecord.storedPublicKey() === null ||
      vaultRecord.pending())
  );
}

/**
 * At open, with an anchor that carries this device's MAC: what it pins holds, whatever the file
 * says. Returns the hold in force, which the keeper keeps pinning.
 */
export function enforcePins(anchor: AnchorRecord, vault: OpenVault): AnchorRecord['hold'] {
  if (anchor.stateRecordsComplete === true) vault.signedState.pinRecordsComplete();
  if (anchor.vaultRecordComplete === true) vault.signedState.vaultRecord.pinComplete();
  const inFile = storedAnchorHold(vault);
  const pinned = anchor.hold ?? null;
  if (pinned && !inFile) {
    vault.alarms.raise({
      subject: 'settings.anchorHold',
      clientId: null,
      problem: `the hold on every recording (${pinned.kind}) was lifted outside Session Vault, though this laptop’s keychain still holds it: held again until the therapist confirms`,
    });
    setAnchorHold(vault, pinned);
  }
  // A hold in the file the anchor does not know yet (its write was cut short) stands as well.
  const hold = inFile ?? pinned;
  pinAnchorHold(vault, hold);
  return hold;
}
