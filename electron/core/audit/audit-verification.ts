// Checking the access log: walks the hash chain from its genesis and every signed checkpoint up to
// the head; with the audit secret key, also opens every sealed entry against its content hash.
// Needs no key otherwise, so the offline doctor runs it too.
import type { AuditVerdict } from '../../../shared/api';
import { chainHash, checkpointMessage, genesisHash, type AuditSecrets } from './audit-format';
import type { AuditEntryStore, CheckpointRow, EntryRow } from './audit-entry-store';
import { equalBytes, verifySignature } from '../platform/crypto';

/** What the walk reads from the log. */
export interface ChainSource {
  entries: AuditEntryStore;
  vaultId: Uint8Array;
  signingPublicKey(): Uint8Array;
  /** The newest entry's seq, 0 for an empty log. */
  headSeq(): number;
  /** Opens a sealed entry; throws when it does not open or does not match its hashes. */
  openRow(secrets: AuditSecrets, row: EntryRow): { at: number };
}

/**
 * Walks the chain and every checkpoint up to the head as it is now; with `secrets`, also opens
 * every sealed entry. Yields after each slice; returns the verdict, naming the first bad entry.
 */
export function* verifyChainSteps(
  source: ChainSource,
  secrets: AuditSecrets | null,
): Generator<number, AuditVerdict> {
  const signPublic = source.signingPublicKey();
  if (secrets && !equalBytes(secrets.signing.publicKey, signPublic))
    return {
      intact: false,
      entries: 0,
      checkpoints: 0,
      firstBadSeq: null,
      problem: 'The log signing key was replaced.',
      timeWentBack: null,
    };
  const headSeq = source.headSeq();
  const checkpoints = new Map<number, CheckpointRow>();
  // Every checkpoint there is now: one past the head means entries it signed are gone.
  for (const row of source.entries.checkpoints()) checkpoints.set(row.seq, row);
  let prev = genesisHash(source.vaultId);
  let expectedSeq = 1;
  let checked = 0;
  let checkpointsChecked = 0;
  const times = new TimeWentBack();
  const bad = (seq: number, problem: string): AuditVerdict => ({
    intact: false,
    entries: checked,
    checkpoints: checkpointsChecked,
    firstBadSeq: seq,
    problem,
    timeWentBack: times.notice(),
  });
  for (;;) {
    // Read a slice at a time: a statement left open across a yield would keep the connection busy.
    const rows: EntryRow[] = source.entries.entriesFrom(
      expectedSeq,
      headSeq,
      secrets ? 2_000 : 20_000,
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expectedSeq) return bad(expectedSeq, `Entry ${expectedSeq} is missing.`);
      const contentHash = new Uint8Array(row.content_hash);
      const entryHash = chainHash(prev, row.seq, contentHash);
      if (!equalBytes(entryHash, new Uint8Array(row.entry_hash)))
        return bad(row.seq, `Entry ${row.seq} does not follow from the one before it.`);
      if (secrets) {
        let at: number;
        try {
          at = source.openRow(secrets, row).at;
        } catch {
          return bad(row.seq, `Entry ${row.seq} was altered.`);
        }
        times.see(row.seq, at);
      }
      const checkpoint = checkpoints.get(row.seq);
      if (checkpoint) {
        const message = checkpointMessage(
          source.vaultId,
          checkpoint.seq,
          new Uint8Array(checkpoint.head_hash),
          checkpoint.at,
        );
        if (
          !equalBytes(new Uint8Array(checkpoint.head_hash), entryHash) ||
          !verifySignature(signPublic, message, new Uint8Array(checkpoint.signature))
        )
          return bad(row.seq, `The signed checkpoint at entry ${row.seq} does not match.`);
        checkpointsChecked += 1;
        checkpoints.delete(row.seq);
      }
      prev = entryHash;
      expectedSeq += 1;
      checked += 1;
    }
    yield checked;
  }
  if (expectedSeq <= headSeq) return bad(expectedSeq, `Entry ${expectedSeq} is missing.`);
  const orphan = [...checkpoints.keys()].sort((a, b) => a - b)[0];
  if (orphan !== undefined)
    return bad(orphan, `Entries up to ${orphan} were signed but are missing.`);
  return {
    intact: true,
    entries: checked,
    checkpoints: checkpointsChecked,
    firstBadSeq: null,
    problem: null,
    timeWentBack: times.notice(),
  };
}

/** Counts entries dated earlier than the one before them: a notice, the chain is not broken. */
export class TimeWentBack {
  private last: number | null = null;
  private count = 0;
  private firstSeq = 0;
  private largestMs = 0;

  see(seq: number, at: number): void {
    if (this.last !== null && at < this.last) {
      if (this.count === 0) this.firstSeq = seq;
      this.count += 1;
      this.largestMs = Math.max(this.largestMs, this.last - at);
    }
    this.last = at;
  }

  notice(): AuditVerdict['timeWentBack'] {
    return this.count === 0
      ? null
      : { count: this.count, firstSeq: this.firstSeq, largestMs: this.largestMs };
  }
}
