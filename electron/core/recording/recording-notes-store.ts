// A recording's title and the therapist's private note, sealed with the recording key: the same
// key deletion that destroys the audio destroys them, on every path (a sweep, a revocation, the
// end of therapy, a destruction redone after a rollback), with no second deletion to forget.
import type { Database } from 'better-sqlite3';
import { AEAD_NONCE_BYTES, open, seal, toHex, utf8 } from '../platform/crypto';
import { ChunkIntegrityError } from './chunk-integrity-error';

type Field = 'title' | 'note';
const columns = { title: 'sealed_title', note: 'sealed_note' } as const;

export class RecordingNotesStore {
  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
  ) {}

  private associatedData(recordingId: string, field: Field): Uint8Array {
    return utf8.encode(`session-vault/recording-${field}/v1|${toHex(this.vaultId)}|${recordingId}`);
  }

  /** Seals `text` in place of the field's value, or clears it for null. */
  write(recordingId: string, recordingKey: Uint8Array, field: Field, text: string | null): void {
    let value: Buffer | null = null;
    if (text !== null) {
      const sealed = seal(recordingKey, utf8.encode(text), this.associatedData(recordingId, field));
      value = Buffer.concat([sealed.nonce, sealed.ciphertext]);
    }
    this.db
      .prepare(`UPDATE recordings SET ${columns[field]} = ? WHERE recording_id = ?`)
      .run(value, recordingId);
  }

  read(
    recordingId: string,
    recordingKey: Uint8Array,
  ): { title: string | null; note: string | null } {
    const row = this.db
      .prepare('SELECT sealed_title, sealed_note FROM recordings WHERE recording_id = ?')
      .get(recordingId) as { sealed_title: Buffer | null; sealed_note: Buffer | null } | undefined;
    const openField = (field: Field, value: Buffer | null | undefined): string | null => {
      if (!value) return null;
      const bytes = new Uint8Array(value);
      const text = open(
        recordingKey,
        {
          nonce: bytes.subarray(0, AEAD_NONCE_BYTES),
          ciphertext: bytes.subarray(AEAD_NONCE_BYTES),
        },
        this.associatedData(recordingId, field),
      );
      if (!text) throw new ChunkIntegrityError('CHUNK_ALTERED', recordingId, -1, field);
      return utf8.decode(text);
    };
    return {
      title: openField('title', row?.sealed_title),
      note: openField('note', row?.sealed_note),
    };
  }
}
