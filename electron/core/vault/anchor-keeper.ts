// Keeps the rollback anchor (docs/threat-model.md, "Mechanisms (b)") in step with the vault, and
// at every open judges the vault against it before anything can play or be swept: an older copy
// put back (a restored folder or backup) has the destructions, revocations and ends of therapy it
// undid redone, and is logged and shown.
import type { RollbackNotice } from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import {
  RECENT_CLOSED_MAX,
  closingTagOf,
  withAhead,
  withClosed,
  withHead,
  withoutAhead,
  type AnchorRecord,
  type ClosingEvent,
} from '../platform/anchor-record';
import type { AnchorStore } from '../platform/anchor-store';
import { equalBytes } from '../platform/crypto';
import { judgeAgainstAnchor, type VaultSnapshot } from '../platform/rollback-check';
import type { Destroyer } from '../retention/destroyer';
import { anchorHoldOf, pinAnchorHold, setAnchorHold, type AnchorHold } from './anchor-hold';
import { enforcePins, pinsCurrent, withRecordsComplete } from './anchor-pins';
import { KEY_IDS } from './key-store';
import type { OpenVault } from './open-vault';
import { VAULT_KEY_REPLACED } from './vault-record';
import type { VaultService } from './vault-service';

export const VAULT_KEY_REMOVED =
  'the vault’s signing key was removed outside Session Vault, though this laptop’s keychain pins one: clients deleted with it cannot be named';
export const ROLLBACK_REASON = 'this copy is older (rollback)';
/** A closing event named in the anchor whose commit this file does not have. */
export const UNFINISHED_REASON = 'named before it was committed; this file does not have it';

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
  /**
   * The write queued behind the one in flight and not started yet: a newer record takes its place
   * (it holds everything the older one did), so a sweep of 60 is a few keychain writes, not 60.
   */
  private queuedWrite: { record: AnchorRecord; done: Promise<boolean> } | null = null;
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

  /**
   * Holds every recording until the therapist confirms; never destroys for it. The anchor pins
   * it with the next write, so clearing the setting in the file does not lift it.
   */
  private hold(vault: OpenVault, kind: AnchorHold['kind']): void {
    const hold = { kind, at: this.now() };
    pinAnchorHold(vault, hold);
    if (this.record) this.record = { ...this.record, hold };
    try {
      setAnchorHold(vault, hold);
    } catch {
      // A full disk: the notice is still shown; an anchor missing is judged again at next open.
    }
  }

  /**
   * The therapist has read the notice: the anchor drops the hold first (a crash after that leaves
   * the file holding, the safe way), then the confirmation is logged and the hold lifted. If the
   * keychain cannot be written the hold stays. What the anchor could not name stays as the copy
   * had it; the notice stays for this run.
   */
  async confirm(): Promise<RollbackNotice | null> {
    const held = anchorHoldOf(this.lifecycle.unlocked().vault);
    if (
      held &&
      this.record?.hold &&
      !(await this.write({ ...this.record, generation: this.record.generation + 1, hold: null }))
    )
      throw new VaultError(
        'ANCHOR_UNAVAILABLE',
        'The keychain could not be written, so the hold stays. Nothing was changed. Try again once the keychain is unlocked.',
      );
    const { vault, info } = this.lifecycle.unlocked();
    const hold = anchorHoldOf(vault);
    pinAnchorHold(vault, null);
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
  private recordOf(vault: OpenVault, generation: number, ahead = this.record?.ahead): AnchorRecord {
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
      hold: anchorHoldOf(vault),
      ...(ahead ? { ahead } : {}),
    };
  }

  /**
   * The anchor as the vault's ledger has gone past it (a crash after a commit and before its
   * keychain write): the events it lacks are taken from the ledger, so later ones chain alike.
   */
  private caughtUp(anchor: AnchorRecord, vault: OpenVault): AnchorRecord {
    if (vault.ledger.count() <= anchor.closedCount) return anchor;
    return {
      ...anchor,
      ...this.recordOf(vault, anchor.generation + 1, anchor.ahead),
      hold: anchor.hold ?? null,
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
      void this.write(this.recordOf(vault, 1));
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
      void this.write(this.recordOf(vault, vault.anchorSnapshot.anchorGeneration() + 1));
      return;
    }
    // The anchor pins a vault state key the file no longer has (both halves removed, so that it
    // is judged as a vault from before the vault record): named, though the pin then follows the
    // log's key as for such a vault, and the next unlock signs a new record.
    if (
      vault.signedState.vaultRecord.storedPublicKey() === null &&
      (read.record.vaultRecordComplete === true ||
        !equalBytes(read.record.statePublicKey, vault.audit.signingPublicKey()))
    )
      vault.alarms.raise({
        subject: KEY_IDS.vaultStateKey,
        clientId: null,
        problem: VAULT_KEY_REMOVED,
      });
    const upgraded = upgradedPin(read.record, vault);
    // Genuine (it carries this device's MAC), so its time counts: a restored copy or a log cut
    // after its last checkpoint cannot take retention back to an older time. What it pins holds.
    this.lifecycle.clock.seedLater(upgraded.newestTime);
    const anchor = { ...upgraded, hold: enforcePins(upgraded, vault) };
    const pinned = this.pinVaultKey(vault, anchor);
    const verdict = judgeAgainstAnchor(anchor, snapshotOf(vault, pinned));
    if (verdict.kind === 'current') {
      this.record = this.caughtUp(anchor, vault);
      if (upgraded !== read.record) void this.write(this.record);
      this.headMoved();
      return;
    }
    if (verdict.kind === 'rewritten') {
      this.alarm('vault', verdict.reason, 'rewritten');
      void this.write(this.recordOf(vault, anchor.generation + 1, anchor.ahead));
      return;
    }

    const closedSinceCopy = Math.max(0, anchor.closedCount - vault.ledger.count());
    const unfinished = verdict.finish ?? [];
    vault.audit.append({
      actorRole: 'system',
      action: 'vault.rollback',
      outcome: 'ok',
      reason:
        `${verdict.missingEntries} log entries and ${closedSinceCopy} destructions, revocations or ends of therapy missing; ${verdict.unnamedClosed} of them cannot be named` +
        (unfinished.length > 0
          ? `; ${unfinished.length} more named ahead of a commit this file does not have`
          : '') +
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
    // Named ahead and not committed here: done now and counted, each moving in the anchor from
    // "ahead" to the count as its ledger row is written (closed()).
    this.record = { ...this.caughtUp(anchor, vault), hold: anchorHoldOf(vault) };
    for (const event of unfinished) this.finish(vault, event);

    this.problem = {
      kind: 'rollback',
      at: this.now(),
      missingEntries: verdict.missingEntries,
      redone:
        verdict.destroyAgain.length +
        verdict.revokeAgain.length +
        verdict.endAgain.length +
        unfinished.length,
      unnamed: verdict.unnamedClosed,
      held: false,
    };
    this.headMoved();
  }

  /** A closing event the anchor named ahead of a commit this file lacks: done and counted now. */
  private finish(vault: OpenVault, event: ClosingEvent): void {
    const reason = UNFINISHED_REASON;
    if (event.kind === 'destroyed') {
      this.destroyer.destroyAgain(event.recordingId, reason, 'count');
      return;
    }
    vault.db.transaction(() => {
      vault.audit.append({
        actorRole: 'system',
        action: event.kind === 'revoked' ? 'consent.revoke' : 'therapy.end',
        subject: event.clientId,
        outcome: 'ok',
        reason,
      });
      if (event.kind === 'revoked') vault.anchorSnapshot.revokeAgain(event.clientId, this.now());
      else vault.anchorSnapshot.endTherapyAgain(event.clientId, this.now());
      vault.ledger.append(event);
    })();
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

  /**
   * A closing event was written to the ledger: the anchor counts it (and no longer names it
   * ahead). Written after the commit, not awaited: the name ahead already covers a crash.
   */
  private closed(event: ClosingEvent): void {
    const vault = this.vault();
    if (!vault || !this.record) return;
    void this.write(withClosed(this.record, vault.vaultId, event));
  }

  /**
   * Names closing events in the anchor BEFORE their transaction commits, and resolves once the
   * keychain write was tried: a crash (or a copy taken) between the two leaves the anchor ahead of
   * the file, and the next open does them (the safe direction). A failed write is logged and the
   * events still go ahead: a revocation is never refused for the keychain.
   */
  async ahead(events: ClosingEvent[]): Promise<void> {
    const vault = this.vault();
    if (!vault || !this.record || events.length === 0) return;
    await this.write(withAhead(this.record, vault.vaultId, events));
  }

  /** Their commit did not happen (a full disk, a refusal): nothing is left to redo for them. */
  withdraw(events: ClosingEvent[]): void {
    const vault = this.vault();
    if (!vault || !this.record?.ahead?.length || events.length === 0) return;
    const next = withoutAhead(this.record, vault.vaultId, events);
    if (next.ahead?.length !== this.record.ahead.length) void this.write(next);
  }

  /** The log moved on (unlock, lock, quit, the hourly tick): the anchor follows its head. */
  headMoved(): void {
    const vault = this.vault();
    if (vault && this.createdLater) {
      this.createdLater = false;
      this.follow(vault);
      void this.write(this.recordOf(vault, 1));
      return;
    }
    const head = vault?.audit.head();
    if (!vault || !head || !this.record) return;
    if (head.seq === this.record.logHeadSeq && pinsCurrent(this.record, vault)) return;
    void this.write(withHead(upgradedPin(this.record, vault), head, this.newestTime()));
  }

  /**
   * Taken as the new record at once, so the next event builds on it; written in order behind
   * the writes before it, or in place of a queued one not started yet. Resolves true once this
   * record (or a newer one) is in the keychain; a failed write is logged and retried with the
   * next one.
   */
  private write(proposed: AnchorRecord): Promise<boolean> {
    const vault = this.vault();
    if (!vault) return Promise.resolve(false);
    const record = withRecordsComplete(proposed, vault);
    this.record = record;
    const vaultId = vault.vaultId;
    try {
      vault.anchorSnapshot.setAnchorGeneration(record.generation);
    } catch {
      // A full disk: the keychain write still goes ahead; the vault catches up at the next write.
    }
    if (this.queuedWrite) {
      this.queuedWrite.record = record;
      return this.queuedWrite.done;
    }
    const slot: { record: AnchorRecord; done: Promise<boolean> } = {
      record,
      done: Promise.resolve(false),
    };
    this.queuedWrite = slot;
    slot.done = this.writes.then(async () => {
      if (this.queuedWrite === slot) this.queuedWrite = null;
      try {
        await this.store.write(vaultId, slot.record);
        return true;
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
        return false;
      }
    });
    this.writes = slot.done.then(() => undefined);
    return slot.done;
  }
}
