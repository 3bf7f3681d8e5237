// Compares an opened vault with its rollback anchor: is this the vault the anchor last saw (or a
// newer one), an older copy put back (a restored folder or backup), or a rewritten one? If older,
// which destructions, revocations and ends of therapy happened after the copy was made, so that
// they are redone before anything can play.
import { equalBytes, toHex } from './crypto';
import { closingTagOf, type AnchorRecord, type ClosingEvent } from './anchor-record';

/** What the opened vault says about itself, read without any key. */
export interface VaultSnapshot {
  vaultId: Uint8Array;
  logHeadSeq: number;
  /** The stored entry hash at `seq`, or null when the log has no such entry. */
  entryHashAt(seq: number): Uint8Array | null;
  /** The vault's own ledger of closing events: how many, and the chained digest after the first n. */
  closedCount: number;
  closedDigestAt(count: number): Uint8Array | null;
  statePublicKey: Uint8Array;
  /** Recordings the file still holds keys or chunks for. */
  liveRecordingIds: readonly string[];
  /** Clients whose consent the file shows as not revoked. */
  unrevokedClientIds: readonly string[];
  /** Clients whose therapy the file shows as not ended. */
  ongoingClientIds: readonly string[];
}

export type RollbackVerdict =
  | { kind: 'current' }
  | {
      kind: 'rollback';
      /** Live here, yet the anchor saw them destroyed: destroy again before anything plays. */
      destroyAgain: string[];
      /** Active here, yet the anchor saw their consent revoked: revoke again. */
      revokeAgain: string[];
      /** Ongoing here, yet the anchor saw their therapy end: end it again. */
      endAgain: string[];
      /**
       * More closing events happened after the copy than the anchor names one by one: every
       * other live recording is held (never played) until its client confirms consent again.
       */
      unnamedClosed: number;
      /** How far the log went back, in entries. */
      missingEntries: number;
      /**
       * Named in the anchor ahead of their commit, and not done in this file (a crash between the
       * two, or a copy taken then): redone, and counted now.
       */
      finish?: ClosingEvent[];
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

  const closedBehind = vault.closedCount < anchor.closedCount;
  if (!closedBehind) {
    const digest = vault.closedDigestAt(anchor.closedCount);
    if (!digest || !equalBytes(digest, anchor.closedDigest))
      return {
        kind: 'rewritten',
        reason: 'the record of destructions and revocations differs from the anchored one',
      };
  }
  const open: ClosingEvent[] = [
    ...vault.liveRecordingIds.map((recordingId): ClosingEvent => ({
      kind: 'destroyed',
      recordingId,
    })),
    ...vault.unrevokedClientIds.map((clientId): ClosingEvent => ({ kind: 'revoked', clientId })),
    ...vault.ongoingClientIds.map((clientId): ClosingEvent => ({
      kind: 'therapy-ended',
      clientId,
    })),
  ];
  const namedIn = (tags: Uint8Array[]): ClosingEvent[] => {
    const set = new Set(tags.map(toHex));
    return open.filter((event) => set.has(toHex(closingTagOf(vault.vaultId, event))));
  };
  const finish = namedIn(anchor.ahead ?? []);
  if (!logBehind && !closedBehind)
    return finish.length === 0
      ? { kind: 'current' }
      : {
          kind: 'rollback',
          destroyAgain: [],
          revokeAgain: [],
          endAgain: [],
          unnamedClosed: 0,
          missingEntries: 0,
          finish,
        };

  const idOf = (event: ClosingEvent): string =>
    event.kind === 'destroyed' ? event.recordingId : event.clientId;
  const named = namedIn(anchor.recentClosed);
  const closedSinceCopy = Math.max(0, anchor.closedCount - vault.closedCount);
  return {
    kind: 'rollback',
    destroyAgain: named.filter((event) => event.kind === 'destroyed').map(idOf),
    revokeAgain: named.filter((event) => event.kind === 'revoked').map(idOf),
    endAgain: named.filter((event) => event.kind === 'therapy-ended').map(idOf),
    unnamedClosed: Math.max(0, closedSinceCopy - anchor.recentClosed.length),
    missingEntries: Math.max(0, anchor.logHeadSeq - vault.logHeadSeq),
    ...(finish.length > 0 ? { finish } : {}),
  };
}
