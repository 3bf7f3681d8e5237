// Compares an opened vault with its rollback anchor: is this the vault the anchor last saw (or a
// newer one), or an older copy put back (a restored folder or backup), or a rewritten one? And if
// older, which recordings it still holds that were destroyed after the copy was made.
import { equalBytes, toHex } from '../crypto';
import { destroyedTagOf, type AnchorRecord } from './anchor-record';

/** What the opened vault says about itself, read without any key. */
export interface VaultSnapshot {
  vaultId: Uint8Array;
  logHeadSeq: number;
  /** The stored entry hash at `seq`, or null when the log has no such entry. */
  entryHashAt(seq: number): Uint8Array | null;
  /** The vault's own destruction ledger: how many, and the chained digest after the first n. */
  destroyedCount: number;
  destroyedDigestAt(count: number): Uint8Array | null;
  statePublicKey: Uint8Array;
  /** Recordings the file still holds keys or chunks for. */
  liveRecordingIds: readonly string[];
}

export type RollbackVerdict =
  | { kind: 'current' }
  | {
      kind: 'rollback';
      /** Live here, yet the anchor saw them destroyed: destroy again before anything plays. */
      destroyAgain: string[];
      /**
       * More recordings were destroyed after the copy than the anchor names one by one: every
       * other live recording is held (never played) until its client confirms it again.
       */
      unnamedDestroyed: number;
      /** How far the log went back, in entries. */
      missingEntries: number;
    }
  | { kind: 'rewritten'; reason: string };

export function judgeAgainstAnchor(anchor: AnchorRecord, vault: VaultSnapshot): RollbackVerdict {
  if (!equalBytes(anchor.statePublicKey, vault.statePublicKey))
    return { kind: 'rewritten', reason: 'the state-signing key differs from the pinned one' };

  const logBehind = vault.logHeadSeq < anchor.logHeadSeq;
  if (!logBehind && anchor.logHeadSeq > 0) {
    const stored = vault.entryHashAt(anchor.logHeadSeq);
    if (!stored || !equalBytes(stored, anchor.logHeadHash))
      return {
        kind: 'rewritten',
        reason: `log entry ${anchor.logHeadSeq} differs from the anchored one`,
      };
  }

  const destroyedBehind = vault.destroyedCount < anchor.destroyedCount;
  if (!destroyedBehind) {
    const digest = vault.destroyedDigestAt(anchor.destroyedCount);
    if (!digest || !equalBytes(digest, anchor.destroyedDigest))
      return {
        kind: 'rewritten',
        reason: 'the record of destroyed recordings differs from the anchored one',
      };
  }
  if (!logBehind && !destroyedBehind) return { kind: 'current' };

  const liveByTag = new Map(
    vault.liveRecordingIds.map((id) => [toHex(destroyedTagOf(vault.vaultId, id)), id]),
  );
  const destroyAgain: string[] = [];
  for (const tag of anchor.recentDestroyed) {
    const id = liveByTag.get(toHex(tag));
    if (id !== undefined && !destroyAgain.includes(id)) destroyAgain.push(id);
  }
  const destroyedSinceCopy = Math.max(0, anchor.destroyedCount - vault.destroyedCount);
  return {
    kind: 'rollback',
    destroyAgain,
    unnamedDestroyed: Math.max(0, destroyedSinceCopy - anchor.recentDestroyed.length),
    missingEntries: Math.max(0, anchor.logHeadSeq - vault.logHeadSeq),
  };
}
