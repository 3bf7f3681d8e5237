// The access log's tables: sealed entries, signed checkpoints, and the public keys the log is
// sealed to and signed with. Rows are returned as SQLite gives them; the log makes sense of them.
import type { Database, Statement } from 'better-sqlite3';

export interface EntryRow {
  seq: number;
  epoch_id: number;
  sealed: Buffer;
  content_hash: Buffer;
  entry_hash: Buffer;
}

export interface CheckpointRow {
  seq: number;
  at: number;
  head_hash: Buffer;
  signature: Buffer;
}

const ENTRY_COLUMNS = 'seq, epoch_id, sealed, content_hash, entry_hash';

export class AuditEntryStore {
  // Prepared once: every action appends, and appending reads the head first.
  private readonly insert: Statement;
  private readonly last: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(`INSERT INTO audit_entries (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?)`);
    this.last = db.prepare('SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1');
  }

  installKeys(boxPublic: Uint8Array, signPublic: Uint8Array): void {
    this.db
      .prepare('INSERT INTO audit_keys (singleton, box_public, sign_public) VALUES (1, ?, ?)')
      .run(boxPublic, signPublic);
  }

  publicKeys(): { box_public: Buffer; sign_public: Buffer } | undefined {
    return this.db
      .prepare('SELECT box_public, sign_public FROM audit_keys WHERE singleton = 1')
      .get() as { box_public: Buffer; sign_public: Buffer } | undefined;
  }

  insertEntry(entry: {
    seq: number;
    epochId: number;
    sealed: Uint8Array;
    contentHash: Uint8Array;
    entryHash: Uint8Array;
  }): void {
    this.insert.run(entry.seq, entry.epochId, entry.sealed, entry.contentHash, entry.entryHash);
  }

  /** The newest checkpoints, newest first. */
  newestCheckpoints(limit: number): CheckpointRow[] {
    return this.db
      .prepare(
        'SELECT seq, at, head_hash, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT ?',
      )
      .all(limit) as CheckpointRow[];
  }

  /** The newest entry, if any. */
  head(): { seq: number; entry_hash: Buffer } | undefined {
    return this.last.get() as { seq: number; entry_hash: Buffer } | undefined;
  }

  entryHashAt(seq: number): Buffer | null {
    const row = this.db.prepare('SELECT entry_hash FROM audit_entries WHERE seq = ?').get(seq) as
      { entry_hash: Buffer } | undefined;
    return row?.entry_hash ?? null;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM audit_entries').get() as { n: number }).n;
  }

  /** Newest first, below `beforeSeq`. */
  entriesBefore(beforeSeq: number, limit: number): EntryRow[] {
    return this.db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE seq < ? ORDER BY seq DESC LIMIT ?`)
      .all(beforeSeq, limit) as EntryRow[];
  }

  /** Oldest first, `fromSeq` to `toSeq` included. */
  entriesFrom(fromSeq: number, toSeq: number, limit: number): EntryRow[] {
    return this.db
      .prepare(
        `SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?`,
      )
      .all(fromSeq, toSeq, limit) as EntryRow[];
  }

  hasCheckpoint(seq: number): boolean {
    return this.db.prepare('SELECT 1 FROM audit_checkpoints WHERE seq = ?').get(seq) !== undefined;
  }

  insertCheckpoint(row: {
    seq: number;
    at: number;
    headHash: Uint8Array;
    signature: Uint8Array;
  }): void {
    this.db
      .prepare('INSERT INTO audit_checkpoints (seq, at, head_hash, signature) VALUES (?, ?, ?, ?)')
      .run(row.seq, row.at, row.headHash, row.signature);
  }

  lastCheckpointSeq(): number {
    return (
      this.db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM audit_checkpoints').get() as {
        seq: number;
      }
    ).seq;
  }

  /** Oldest first; every checkpoint there is when `toSeq` is left out. */
  checkpoints(toSeq = Number.MAX_SAFE_INTEGER): CheckpointRow[] {
    return this.db
      .prepare(
        'SELECT seq, at, head_hash, signature FROM audit_checkpoints WHERE seq <= ? ORDER BY seq',
      )
      .all(toSeq) as CheckpointRow[];
  }
}
