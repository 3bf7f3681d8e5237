// The vault's own ledger of closing events (a recording destroyed, a consent revoked, therapy
// ended), chained the way the keychain anchor chains them, so a restored older copy is told from
// the current vault without any key. Written in the same transaction as the event it records.
import type { Database } from 'better-sqlite3';
import {
  closingTagOf,
  emptyClosedDigest,
  nextClosedDigest,
  type ClosingEvent,
} from '../platform/anchor-record';

export class ClosingLedgerStore {
  private readonly listeners = new Set<(event: ClosingEvent) => void>();

  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
  ) {}

  /** Calls `listener` for each event appended (inside its transaction); returns a stop. */
  onClosed(listener: (event: ClosingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private last(): { n: number; digest: Uint8Array } {
    const row = this.db
      .prepare('SELECT n, digest FROM closing_ledger ORDER BY n DESC LIMIT 1')
      .get() as { n: number; digest: Buffer } | undefined;
    return row
      ? { n: row.n, digest: new Uint8Array(row.digest) }
      : { n: 0, digest: emptyClosedDigest(this.vaultId) };
  }

  append(event: ClosingEvent): void {
    const last = this.last();
    const subject = event.kind === 'destroyed' ? event.recordingId : event.clientId;
    const digest = nextClosedDigest(last.digest, closingTagOf(this.vaultId, event));
    this.db
      .prepare('INSERT INTO closing_ledger (n, kind, subject_id, digest) VALUES (?, ?, ?, ?)')
      .run(last.n + 1, event.kind, subject, digest);
    for (const listener of this.listeners) listener(event);
  }

  /** After a rollback was redone: the ledger takes the anchor's count and digest. */
  rebase(count: number, digest: Uint8Array): void {
    this.db
      .prepare(
        "INSERT INTO closing_ledger (n, kind, subject_id, digest) VALUES (?, 'rebase', '', ?)",
      )
      .run(count, digest);
  }

  count(): number {
    return this.last().n;
  }

  /** The digest after the first `count` events, or null when the ledger never stood there. */
  digestAt(count: number): Uint8Array | null {
    if (count === 0) return emptyClosedDigest(this.vaultId);
    const row = this.db.prepare('SELECT digest FROM closing_ledger WHERE n = ?').get(count) as
      { digest: Buffer } | undefined;
    return row ? new Uint8Array(row.digest) : null;
  }

  /** The latest events' tags since the last rebase, oldest first, at most `limit`. */
  recentEvents(limit: number): ClosingEvent[] {
    const rows = this.db
      .prepare(
        `SELECT kind, subject_id AS subjectId FROM closing_ledger
          WHERE n > coalesce((SELECT max(n) FROM closing_ledger WHERE kind = 'rebase'), 0)
          ORDER BY n DESC LIMIT ?`,
      )
      .all(limit) as { kind: ClosingEvent['kind']; subjectId: string }[];
    return rows
      .reverse()
      .map(({ kind, subjectId }) =>
        kind === 'destroyed' ? { kind, recordingId: subjectId } : { kind, clientId: subjectId },
      );
  }
}
