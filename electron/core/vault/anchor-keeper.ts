// Keeps the rollback anchor (docs/threat-model.md, "Mechanisms (b)") in step with the vault, and
// at every open judges the vault against it before anything can play or be swept: an older copy
// put back (a restored folder or backup) has the destructions, revocations and ends of therapy it
// undid redone, and is logged and shown.
import type { RollbackNotice } from '../../../shared/api';
import {
  RECENT_CLOSED_MAX,
  closingTagOf,
  withClosed,
  withHead,
  type AnchorRecord,
  type ClosingEvent,
} from '../platform/anchor-record';
import type { AnchorStore } from '../platform/anchor-store';
import { equalBytes } from '../platform/crypto';
import { judgeAgainstAnchor, type VaultSnapshot } from '../platform/rollback-check';
import type { Destroyer } from '../retention/destroyer';
import { anchorHoldOf, setAnchorHold, type AnchorHold } from './anchor-hold';
import { KEY_IDS } from './key-store';
import type { OpenVault } from './open-vault';
import { VAULT_KEY_REPLACED } from './vault-record';
import type { VaultService } from './vault-service';

export const ROLLBACK_REASON = 'this copy is older (rollback)';

/**
 * The key the anchor pins: the vault state key, which signs the vault record (and so the clients'
 * keys and the log's key). A vault that has none yet (before its first unlock since migration 40)
 * pins the access log's signing key, as anchors did before.
 */
function pinnedKeyOf(vault: OpenVault): Uint8Array {
  return vault.signedState.vaultRecord.storedPublicKey() ?? vault.audit.signingPublicKey();
}

/**
 * An anchor from before that pins the log's key, on a vault that now has its state key: upgraded,
 * not alarmed. A file with no vault state key at all is judged as such a vault was (the unlock's
 * key check makes one, and its record names what it could not sign).
 */
function upgradedPin(anchor: AnchorRecord, vault: OpenVault): AnchorRecord {
  const logKey = vault.audit.signingPublicKey();
  if (!vault.signedState.vaultRecord.storedPublicKey())
    return equalBytes(anchor.statePublicKey, logKey)
      ? anchor
      : { ...anchor, statePublicKey: logKey };
  const pinned = pinnedKeyOf(vault);
  return equalBytes(anchor.statePublicKey, logKey) && !equalBytes(anchor.statePublicKey, pinned)
    ? { ...anchor, statePublicKey: pinned }
    : anchor;
}

function snapshotOf(vault: OpenVault, pinned: Uint8Array = pinnedKeyOf(vault)): VaultSnapshot {
  return {
    vaultId: vault.vaultId,
    logHeadSeq: vault.audit.head()?.seq ?? 0,
    entryHashAt: (seq) => vault.audit.entryHashAt(seq),
    closedCount: vault.ledger.count(),
    closedDigestAt: (count) => vault.ledger.digestAt(count),
    statePublicKey: pinned,
    liveRecordingIds: vault.anchorSnapshot.liveRecordingIds(),
    unrevokedClientIds: vault.anchorSnapshot.unrevokedClientIds(),
    ongoingClientIds: vault.anchorSnapshot.ongoingClientIds(),
  };
}

export class AnchorKeeper {
  private record: AnchorRecord | null = null;
  private writes: Promise<void> = Promise.resolve();
  private problem: RollbackNotice | null = null;
  /** No vault at open: the one created in this run gets its first anchor at creation. */
  private createdLater = false;
  private following: OpenVault | null = null;
  /** The vault state key a genuine anchor pinned: kept, even when the file's copy was replaced. */
  private pinned: Uint8Array | null = null;

  constructor(
    private readonly store: AnchorStore,
    private readonly lifecycle: VaultService,
    private readonly destroyer: Destroyer,
    private readonly now: () => number,
  ) {}

  /**
   * The time the anchor vouches for: the last good date, so a clock leapt forward and not yet
   * confirmed never becomes the time the next start takes as seen.
   */
  private newestTime(): number {
    return this.lifecycle.clock.destructionTime();
  }

  /**
   * What the therapist and auditors are shown: the last rollback or anchor alarm of this run, or
   * a hold from an earlier run that the therapist has not confirmed yet.
   */
  get notice(): RollbackNotice | null {
    const vault = this.vault();
    const hold = vault ? anchorHoldOf(vault) : null;
    if (this.problem) return { ...this.problem, held: hold !== null };
    if (!hold) return null;
    return { kind: hold.kind, at: hold.at, missingEntries: 0, redone: 0, unnamed: 0, held: true };
  }

  /** Holds every recording until the therapist confirms; never destroys for it. */
  private hold(vault: OpenVault, kind: AnchorHold['kind']): void {
    try {
      setAnchorHold(vault, { kind, at: this.now() });
    } catch {
      // A full disk: the notice is still shown; an anchor missing is judged again at next open.
    }
  }

  /**
   * The therapist has read the notice: logged first, then the hold is lifted. What the anchor
   * could not name stays as the copy had it; the notice stays for this run.
   */
  confirm(): RollbackNotice | null {
    const { vault, info } = this.lifecycle.unlocked();
    const hold = anchorHoldOf(vault);
    vault.db.transaction(() => {
      vault.audit.append({
        actorRole: info.role,
        action: 'anchor.confirm',
        outcome: 'ok',
        reason: hold
          ? `hold lifted (${hold.kind}); the therapist read the notice`
          : 'nothing was held',
      });
      setAnchorHold(vault, null);
    })();
    return this.notice;
  }

  /** Resolves once every anchor write asked for so far has been tried. */
  settled(): Promise<void> {
    return this.writes;
  }

  private vault(): OpenVault | null {
    const state = this.lifecycle.state;
    return state === 'locked' || state === 'unlocked' ? this.lifecycle.opened() : null;
  }

  /** This vault as it stands now, as a fresh record (first anchor, or after an alarm). */
  private recordOf(vault: OpenVault, generation: number): AnchorRecord {
    const count = vault.ledger.count();
    const head = vault.audit.head() ?? { seq: 0, hash: new Uint8Array(32) };
    return {
      generation,
      logHeadSeq: head.seq,
      logHeadHash: head.hash,
      newestTime: this.newestTime(),
      statePublicKey: this.pinned ?? pinnedKeyOf(vault),
      closedCount: count,
      closedDigest: vault.ledger.digestAt(count)!,
      recentClosed: vault.ledger
        .recentEvents(Math.min(RECENT_CLOSED_MAX, count))
        .map((event) => closingTagOf(vault.vaultId, event)),
    };
  }

  /**
   * Called once at open, before the first sweep and before anything can be asked for. Never
   * throws: a keychain that cannot be reached is logged and shown, and the vault opens.
   */
  async check(): Promise<void> {
    this.pinned = null;
    const vault = this.vault();
    if (!vault) {
      this.createdLater = this.lifecycle.state === 'absent';
      return;
    }
    this.follow(vault);
    let read;
    try {
      read = await this.store.read(vault.vaultId);
    } catch {
      this.alarm('anchor', 'the keychain could not be read', 'unavailable');
      return;
    }
    const anchoredBefore = vault.anchorSnapshot.anchorGeneration() > 0;
    if (read.state === 'absent' && !anchoredBefore) {
      this.write(this.recordOf(vault, 1));
      return;
    }
    if (read.state !== 'present') {
      const why =
        read.state === 'forged'
          ? `the keychain record against old copies is not genuine (${read.reason})`
          : 'the keychain record against old copies is missing';
      this.alarm('anchor', why, 'anchor-missing');
      // A vault whose keys another computer tagged was moved here: this keychain never held its
      // anchor. Rewriting the device check to fake that is caught at open (key-store.ts).
      const movedHere = read.state === 'absent' && vault.keys.tagOwner() === 'other-device';
      if (!movedHere) this.hold(vault, 'anchor-missing');
      this.write(this.recordOf(vault, vault.anchorSnapshot.anchorGeneration() + 1));
      return;
    }
    const anchor = upgradedPin(read.record, vault);
    // Genuine (it carries this device's MAC), so its time counts: a restored copy or a log cut
    // after its last checkpoint cannot take retention back to an older time.
    this.lifecycle.clock.seedLater(anchor.newestTime);
    const pinned = this.pinVaultKey(vault, anchor);
    const verdict = judgeAgainstAnchor(anchor, snapshotOf(vault, pinned));
    if (verdict.kind === 'current') {
      this.record = anchor;
      if (anchor !== read.record) this.write(anchor);
      this.headMoved();
      return;
    }
    if (verdict.kind === 'rewritten') {
      this.alarm('vault', verdict.reason, 'rewritten');
      this.write(this.recordOf(vault, anchor.generation + 1));
      return;
    }

    const closedSinceCopy = Math.max(0, anchor.closedCount - vault.ledger.count());
    vault.audit.append({
      actorRole: 'system',
      action: 'vault.rollback',
      outcome: 'ok',
      reason:
        `${verdict.missingEntries} log entries and ${closedSinceCopy} destructions, revocations or ends of therapy missing; ${verdict.unnamedClosed} of them cannot be named` +
        (verdict.unnamedClosed > 0 ? '; every recording held until the therapist confirms' : ''),
    });
    if (verdict.unnamedClosed > 0) this.hold(vault, 'rollback');
    // Consent first, so nothing can start or play between the redo steps.
    for (const clientId of verdict.revokeAgain)
      vault.db.transaction(() => {
        vault.audit.append({
          actorRole: 'system',
          action: 'consent.revoke',
          subject: clientId,
          outcome: 'ok',
          reason: `revoked before; ${ROLLBACK_REASON}`,
        });
        vault.anchorSnapshot.revokeAgain(clientId, this.now());
      })();
    for (const clientId of verdict.endAgain)
      vault.db.transaction(() => {
        vault.audit.append({
          actorRole: 'system',
          action: 'therapy.end',
          subject: clientId,
          outcome: 'ok',
          reason: `ended before; ${ROLLBACK_REASON}`,
        });
        vault.anchorSnapshot.endTherapyAgain(clientId, this.now());
      })();
    for (const recordingId of verdict.destroyAgain)
      this.destroyer.destroyAgain(recordingId, `destroyed before; ${ROLLBACK_REASON}`);
    if (anchor.closedCount > vault.ledger.count())
      vault.db.transaction(() => vault.ledger.rebase(anchor.closedCount, anchor.closedDigest))();

    this.problem = {
      kind: 'rollback',
      at: this.now(),
      missingEntries: verdict.missingEntries,
      redone: verdict.destroyAgain.length + verdict.revokeAgain.length + verdict.endAgain.length,
      unnamed: verdict.unnamedClosed,
      held: false,
    };
    this.record = anchor;
    this.headMoved();
  }

  /**
   * The anchor's vault state key is the one records are verified with. One replaced in the file
   * is named as the unlock's key check names it (one alarm, not two), and the rest of the anchor
   * is still judged.
   */
  private pinVaultKey(vault: OpenVault, anchor: AnchorRecord): Uint8Array {
    if (equalBytes(anchor.statePublicKey, vault.audit.signingPublicKey()))
      return pinnedKeyOf(vault);
    vault.signedState.vaultRecord.pin(anchor.statePublicKey);
    this.pinned = anchor.statePublicKey;
    if (!equalBytes(anchor.statePublicKey, pinnedKeyOf(vault)))
      vault.alarms.raise({
        subject: KEY_IDS.vaultStateKey,
        clientId: null,
        problem: VAULT_KEY_REPLACED,
      });
    return anchor.statePublicKey;
  }

  private alarm(subject: string, reason: string, kind: RollbackNotice['kind']): void {
    this.problem = { kind, at: this.now(), missingEntries: 0, redone: 0, unnamed: 0, held: false };
    try {
      this.vault()?.audit.append({
        actorRole: 'system',
        action: 'integrity.alarm',
        subject,
        outcome: 'failed',
        reason,
      });
    } catch {
      // Shown even when it cannot be logged.
    }
  }

  private follow(vault: OpenVault): void {
    if (this.following === vault) return;
    this.following = vault;
    vault.ledger.onClosed((event) => this.closed(event));
  }

  /** A closing event was written to the ledger: the anchor names it too. */
  private closed(event: ClosingEvent): void {
    const vault = this.vault();
    if (!vault || !this.record) return;
    this.write(withClosed(this.record, vault.vaultId, event));
  }

  /** The log moved on (unlock, lock, quit, the hourly tick): the anchor follows its head. */
  headMoved(): void {
    const vault = this.vault();
    if (vault && this.createdLater) {
      this.createdLater = false;
      this.follow(vault);
      this.write(this.recordOf(vault, 1));
      return;
    }
    const head = vault?.audit.head();
    if (!vault || !head || !this.record) return;
    if (head.seq === this.record.logHeadSeq) return;
    this.write(withHead(upgradedPin(this.record, vault), head, this.newestTime()));
  }

  /**
   * Taken as the new record at once, so the next event builds on it; written in order behind
   * the writes before it. A failed write is logged and retried with the next one.
   */
  private write(record: AnchorRecord): void {
    const vault = this.vault();
    if (!vault) return;
    this.record = record;
    const vaultId = vault.vaultId;
    try {
      vault.anchorSnapshot.setAnchorGeneration(record.generation);
    } catch {
      // A full disk: the keychain write still goes ahead; the vault catches up at the next write.
    }
    this.writes = this.writes.then(async () => {
      try {
        await this.store.write(vaultId, record);
      } catch {
        try {
          this.vault()?.audit.append({
            actorRole: 'system',
            action: 'anchor.write',
            outcome: 'failed',
            reason: 'the keychain could not be written',
          });
        } catch {
          // Retried with the next write either way.
        }
      }
    });
  }
}
