// Where ciphertext commitments live (state_seals, subject 'commitment/<recording id>'), and the
// rows they commit to, read as they stand in the file: the chunks (or the recording's own audio
// file, hashed whole) and the wrapped recording key.
import { closeSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { hashAll, utf8 } from '../platform/crypto';
import { audioFolderOf, fileBytes, openAudioFile } from './audio-file';
import {
  COMMITMENT_SUBJECT_PREFIX,
  type CommittedRecording,
} from '../platform/ciphertext-commitment';
import { chunksHashOf, wrappedKeyRowHash } from '../platform/state-record';

export interface StoredCommitment {
  recordingId: string;
  signature: Uint8Array;
}

/** BLAKE2b of a recording's audio file, every byte; null when the file is not there. */
function audioFileHash(folder: string | null, recordingId: string): Uint8Array | null {
  if (!folder) return null;
  let fd: number;
  try {
    fd = openAudioFile(folder, recordingId, 'r');
  } catch {
    return null;
  }
  try {
    return hashAll(
      (function* () {
        yield utf8.encode('session-vault/audio-file/v1');
        yield* fileBytes(fd);
      })(),
    );
  } finally {
    closeSync(fd);
  }
}

export class CommitmentStore {
  private readonly audioFolder: string | null;

  constructor(private readonly db: Database) {
    this.audioFolder = audioFolderOf(db);
  }

  /**
   * The recording as the file holds it now, or null when its row, chunks or key are gone.
   * Reads every chunk: called at finalise, at a partial removal, and by `doctor`.
   */
  asStored(recordingId: string): CommittedRecording | null {
    const recording = this.db
      .prepare('SELECT rec_no AS recNo, storage FROM recordings WHERE recording_id = ?')
      .get(recordingId) as { recNo: number; storage: string } | undefined;
    const key = this.db
      .prepare('SELECT key_id, kdf, nonce, ciphertext FROM wrapped_keys WHERE key_id = ?')
      .get(`rk/${recordingId}`) as
      { key_id: string; kdf: string | null; nonce: Buffer; ciphertext: Buffer } | undefined;
    if (!recording || !key) return null;
    const recordingKeyHash = wrappedKeyRowHash({
      keyId: key.key_id,
      kdf: key.kdf,
      nonce: key.nonce,
      ciphertext: key.ciphertext,
    });
    if (recording.storage === 'file') {
      const fileHash = audioFileHash(this.audioFolder, recordingId);
      return fileHash ? { recordingId, chunksHash: fileHash, recordingKeyHash } : null;
    }
    const chunks = this.db
      .prepare(
        `SELECT seq, start_ms AS startMs, duration_ms AS durationMs, nonce, ciphertext
           FROM chunks WHERE rec_no = ? ORDER BY seq`,
      )
      .iterate(recording.recNo) as IterableIterator<{
      seq: number;
      startMs: number;
      durationMs: number;
      nonce: Buffer;
      ciphertext: Buffer;
    }>;
    return {
      recordingId,
      chunksHash: chunksHashOf(chunks),
      recordingKeyHash,
    };
  }

  put(recordingId: string, signature: Uint8Array): void {
    this.db
      .prepare(
        `INSERT INTO state_seals (subject, revision, signature) VALUES (?, 1, ?)
         ON CONFLICT (subject) DO UPDATE SET revision = revision + 1, signature = excluded.signature`,
      )
      .run(`${COMMITMENT_SUBJECT_PREFIX}${recordingId}`, signature);
  }

  all(): StoredCommitment[] {
    const rows = this.db
      .prepare('SELECT subject, signature FROM state_seals WHERE subject LIKE ? ORDER BY subject')
      .all(`${COMMITMENT_SUBJECT_PREFIX}%`) as { subject: string; signature: Buffer }[];
    return rows.map((row) => ({
      recordingId: row.subject.slice(COMMITMENT_SUBJECT_PREFIX.length),
      signature: new Uint8Array(row.signature),
    }));
  }

  /** Recordings finalised (or sealed after an interruption) and not destroyed. */
  finishedRecordingIds(): string[] {
    return (
      this.db
        .prepare(
          `SELECT recording_id AS id FROM recordings
            WHERE state IN ('finalised', 'interrupted') AND final_seq IS NOT NULL ORDER BY rec_no`,
        )
        .all() as { id: string }[]
    ).map((row) => row.id);
  }

  destroyedRecordingIds(): Set<string> {
    return new Set(
      (
        this.db
          .prepare("SELECT recording_id AS id FROM recordings WHERE state = 'destroyed'")
          .all() as { id: string }[]
      ).map((row) => row.id),
    );
  }
}
