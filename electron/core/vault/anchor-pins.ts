// Values kept in the clear in the vault file that nothing signed covers, pinned in the keychain
// anchor instead: that every state record is signed (migration 110's pending flag, which would
// otherwise have the next unlock sign rows as they stand) and that a hold is in force (a plain
// setting). Someone who can write the file could turn either back; against a genuine anchor the
// file is named (an alarm) and put back.
import type { AnchorRecord } from '../platform/anchor-record';
import { pinAnchorHold, setAnchorHold, storedAnchorHold } from './anchor-hold';
import type { OpenVault } from './open-vault';

/** The record as it goes to the keychain: "complete" is set once and never goes back. */
export function withRecordsComplete(record: AnchorRecord, vault: OpenVault): AnchorRecord {
  if (record.stateRecordsComplete === true || vault.signedState.recordsPending()) return record;
  vault.signedState.pinRecordsComplete();
  return { ...record, stateRecordsComplete: true };
}

/**
 * At open, with an anchor that carries this device's MAC: what it pins holds, whatever the file
 * says. Returns the hold in force, which the keeper keeps pinning.
 */
export function enforcePins(anchor: AnchorRecord, vault: OpenVault): AnchorRecord['hold'] {
  if (anchor.stateRecordsComplete === true) vault.signedState.pinRecordsComplete();
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
