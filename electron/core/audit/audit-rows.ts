// The access log's tables as SQLite returns them: a sealed entry and a signed checkpoint.

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
