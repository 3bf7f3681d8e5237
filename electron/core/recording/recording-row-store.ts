// A recording's row: who it is of, when it started, its state and deadlines (in the clear, for
// the sweeper), and its container details sealed with the recording key. Also the states a crash
// or a full disk leaves behind. The recording store composes this with the chunks and timeline.
import type { Database, Statement } from 'better-sqlite3';
import type { RecordingKind } from '../../../shared/consent-terms';
import { VaultError } from '../../../shared/errors';
import { AEAD_NONCE_BYTES, open, seal, toHex, utf8 } from '../platform/crypto';
import { ChunkIntegrityError } from './chunk-integrity-error';

export type RecordingState = 'recording' | 'finalised' | 'interrupted' | 'destroyed';

/** Where a recording's sealed chunks are: the `chunks` table (before 0070) or its own file. */
export type ChunkStorage = 'sqlite' | 'file';

export type DestroyCause = 'retention' | 'termination' | 'revocation';

export interface RecordingRow {
  recNo: number;
  recordingId: string;
  clientId: string;
  kind: RecordingKind;
  startedAt: number;
  state: RecordingState;
  finalSeq: number | null;
  destroyAfter: number | null;
  destroyedAt: number | null;
  destroyReason: string | null;
  storage: ChunkStorage;
}

export interface RecordingMeta {
  mimeType: string;
  consentId: string | null;
  consentVersion: number | null;
  /**
   * The kind, sealed as well as in the clear: an edited row cannot move a voice note under the
   * session terms. Absent in recordings made before voice notes existed (sessions).
   */
  kind?: RecordingKind;
}

function toRecording(row: Record<string, unknown>): RecordingRow {
  return {
    recNo: row.rec_no as number,
    recordingId: row.recording_id as string,
    clientId: row.client_id as string,
    kind: row.kind as RecordingKind,
    startedAt: row.started_at as number,
    state: row.state as RecordingState,
    finalSeq: (row.final_seq as number | null) ?? null,
    destroyAfter: (row.destroy_after as number | null) ?? null,
    destroyedAt: (row.destroyed_at as number | null) ?? null,
    destroyReason: (row.destroy_reason as string | null) ?? null,
    storage: (row.storage as ChunkStorage | undefined) ?? 'sqlite',
  };
}

export class RecordingRowStore {
  /** Prepared once: preparing on every chunk read cost more than decrypting it. */
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly now: () => number,
    /** Where new recordings keep their chunks. */
    private readonly newStorage: ChunkStorage = 'sqlite',
  ) {}

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  create(
    recording: {
      recordingId: string;
      clientId: string;
      /** A session when not said. */
      kind?: RecordingKind;
      destroyAfter: number | null;
    },
    recordingKey: Uint8Array,
    meta: RecordingMeta,
  ): RecordingRow {
    const sealed = seal(
      recordingKey,
      utf8.encode(JSON.stringify(meta)),
      this.metaAssociatedData(recording.recordingId),
    );
    this.stmt(
      `INSERT INTO recordings (recording_id, client_id, kind, started_at, state, sealed_meta, destroy_after, storage)
         VALUES (?, ?, ?, ?, 'recording', ?, ?, ?)`,
    ).run(
      recording.recordingId,
      recording.clientId,
      recording.kind ?? 'session',
      this.now(),
      Buffer.concat([sealed.nonce, sealed.ciphertext]),
      recording.destroyAfter,
      this.newStorage,
    );
    return this.get(recording.recordingId);
  }

  private metaAssociatedData(recordingId: string): Uint8Array {
    return utf8.encode(`session-vault/recording-meta/v1|${toHex(this.vaultId)}|${recordingId}`);
  }

  updateMeta(recordingId: string, recordingKey: Uint8Array, meta: RecordingMeta): void {
    const sealed = seal(
      recordingKey,
      utf8.encode(JSON.stringify(meta)),
      this.metaAssociatedData(recordingId),
    );
    this.stmt('UPDATE recordings SET sealed_meta = ? WHERE recording_id = ?').run(
      Buffer.concat([sealed.nonce, sealed.ciphertext]),
      recordingId,
    );
  }

  /** The container type and details, which only a key holder may read. */
  meta(recordingId: string, recordingKey: Uint8Array): RecordingMeta {
    const row = this.stmt('SELECT sealed_meta FROM recordings WHERE recording_id = ?').get(
      recordingId,
    ) as { sealed_meta: Buffer } | undefined;
    if (!row) throw new VaultError('NOT_FOUND');
    const bytes = new Uint8Array(row.sealed_meta);
    const text = open(
      recordingKey,
      { nonce: bytes.subarray(0, AEAD_NONCE_BYTES), ciphertext: bytes.subarray(AEAD_NONCE_BYTES) },
      this.metaAssociatedData(recordingId),
    );
    if (!text) throw new ChunkIntegrityError('CHUNK_ALTERED', recordingId, -1, 'recording details');
    return JSON.parse(utf8.decode(text)) as RecordingMeta;
  }

  get(recordingId: string): RecordingRow {
    const recording = this.find(recordingId);
    if (!recording) throw new VaultError('NOT_FOUND');
    return recording;
  }

  find(recordingId: string): RecordingRow | null {
    const row = this.stmt('SELECT * FROM recordings WHERE recording_id = ?').get(recordingId) as
      Record<string, unknown> | undefined;
    return row ? toRecording(row) : null;
  }

  list(clientId?: string): RecordingRow[] {
    const rows = (
      clientId === undefined
        ? this.stmt('SELECT * FROM recordings ORDER BY started_at').all()
        : this.db
            .prepare('SELECT * FROM recordings WHERE client_id = ? ORDER BY started_at')
            .all(clientId)
    ) as Record<string, unknown>[];
    return rows.map(toRecording);
  }

  /** Recordings still marked running (at start-up: cut off by a crash). */
  running(): RecordingRow[] {
    return (
      this.stmt("SELECT * FROM recordings WHERE state = 'recording'").all() as Record<
        string,
        unknown
      >[]
    ).map(toRecording);
  }

  /** At start-up no recording can be running: any left 'recording' was cut off by a crash. */
  markInterrupted(): string[] {
    const ids = (
      this.stmt("SELECT recording_id FROM recordings WHERE state = 'recording'").all() as {
        recording_id: string;
      }[]
    ).map((row) => row.recording_id);
    this.stmt("UPDATE recordings SET state = 'interrupted' WHERE state = 'recording'").run();
    return ids;
  }

  /** Recordings cut off by a crash whose end marker still needs sealing (needs the key). */
  unsealedInterruptions(): RecordingRow[] {
    return (
      this.stmt(
        "SELECT * FROM recordings WHERE state = 'interrupted' AND final_seq IS NULL",
      ).all() as Record<string, unknown>[]
    ).map(toRecording);
  }

  /** Marks one recording cut short, if its row still says it is recording. */
  markOneInterrupted(recordingId: string): void {
    this.stmt(
      "UPDATE recordings SET state = 'interrupted' WHERE recording_id = ? AND state = 'recording'",
    ).run(recordingId);
  }

  /** The end marker's sequence number and the state it leaves the recording in. */
  setFinal(recNo: number, state: 'finalised' | 'interrupted', finalSeq: number): void {
    this.stmt('UPDATE recordings SET state = ?, final_seq = ? WHERE rec_no = ?').run(
      state,
      finalSeq,
      recNo,
    );
  }

  markDestroyed(recNo: number, reason: string): void {
    this.stmt(
      // The sealed title and note are noise once the key goes; they go with the key, not later.
      "UPDATE recordings SET state = 'destroyed', destroyed_at = ?, destroy_reason = ?, sealed_title = NULL, sealed_note = NULL WHERE rec_no = ?",
    ).run(this.now(), reason, recNo);
  }

  /** Destroyed recordings whose ciphertext is still being removed, oldest destruction first. */
  awaitingRemoval(): { recNo: number; recordingId: string; storage: ChunkStorage }[] {
    return (
      this.stmt(
        "SELECT rec_no, recording_id, storage FROM recordings WHERE state = 'destroyed' AND ciphertext_removed_at IS NULL ORDER BY destroyed_at, rec_no",
      ).all() as { rec_no: number; recording_id: string; storage: ChunkStorage }[]
    ).map((row) => ({ recNo: row.rec_no, recordingId: row.recording_id, storage: row.storage }));
  }

  markCiphertextRemoved(recNo: number): void {
    this.stmt('UPDATE recordings SET ciphertext_removed_at = ? WHERE rec_no = ?').run(
      this.now(),
      recNo,
    );
  }

  setDeadline(recNo: number, destroyAfter: number | null, cause: DestroyCause): void {
    this.stmt('UPDATE recordings SET destroy_after = ?, destroy_cause = ? WHERE rec_no = ?').run(
      destroyAfter,
      cause,
      recNo,
    );
  }

  setDestroyCause(recordingId: string, cause: DestroyCause): void {
    this.stmt('UPDATE recordings SET destroy_cause = ? WHERE recording_id = ?').run(
      cause,
      recordingId,
    );
  }

  destroyCause(recordingId: string): DestroyCause | null {
    return (
      this.stmt('SELECT destroy_cause FROM recordings WHERE recording_id = ?').get(recordingId) as {
        destroy_cause: DestroyCause | null;
      }
    ).destroy_cause;
  }

  /** Recordings whose destroy-after time has passed, and which rule set it. */
  due(at: number): { recordingId: string; clientId: string; cause: DestroyCause | null }[] {
    return (
      this.stmt(
        "SELECT recording_id, client_id, destroy_cause FROM recordings WHERE state <> 'destroyed' AND state <> 'recording' AND destroy_after IS NOT NULL AND destroy_after <= ?",
      ).all(at) as { recording_id: string; client_id: string; destroy_cause: DestroyCause | null }[]
    ).map((row) => ({
      recordingId: row.recording_id,
      clientId: row.client_id,
      cause: row.destroy_cause,
    }));
  }
}
