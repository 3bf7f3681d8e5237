// A recording's title and the therapist's private note, sealed with the recording key: the same
// key deletion that destroys the audio destroys them, on every path (a sweep, a revocation, the
// end of therapy, a destruction redone after a rollback), with no second deletion to forget.
import type { Database } from 'better-sqlite3';
import { AEAD_NONCE_BYTES, open, seal, toHex, utf8, wipe } from '../platform/crypto';
import { ChunkIntegrityError } from './chunk-integrity-error';

type Field = 'title' | 'note';
const columns = { title: 'sealed_title', note: 'sealed_note' } as const;

export class RecordingNotesStore {
  /**
   * Titles opened for the therapist while the vault is unlocked: one unwrap per named recording
   * made the library 2–5× slower at 300 recordings. Forgotten at every lock (`forgetAll`) and
   * at each destruction (`forget`), so a title never outlives its key or the session.
   */
  private readonly openedTitles = new Map<string, string | null>();

  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
  ) {}

  private associatedData(recordingId: string, field: Field): Uint8Array {
    return utf8.encode(`session-vault/recording-${field}/v1|${toHex(this.vaultId)}|${recordingId}`);
  }

  /** Seals `text` in place of the field's value, or clears it for null. */
  write(recordingId: string, recordingKey: Uint8Array, field: Field, text: string | null): void {
    if (field === 'title') this.openedTitles.delete(recordingId);
    let value: Buffer | null = null;
    if (text !== null) {
      const sealed = seal(recordingKey, utf8.encode(text), this.associatedData(recordingId, field));
      value = Buffer.concat([sealed.nonce, sealed.ciphertext]);
    }
    this.db
      .prepare(`UPDATE recordings SET ${columns[field]} = ? WHERE recording_id = ?`)
      .run(value, recordingId);
  }

  private openField(
    recordingId: string,
    recordingKey: Uint8Array,
    field: Field,
    value: Buffer | null | undefined,
  ): string | null {
    if (!value) return null;
    const bytes = new Uint8Array(value);
    const text = open(
      recordingKey,
      { nonce: bytes.subarray(0, AEAD_NONCE_BYTES), ciphertext: bytes.subarray(AEAD_NONCE_BYTES) },
      this.associatedData(recordingId, field),
    );
    if (!text) throw new ChunkIntegrityError('CHUNK_ALTERED', recordingId, -1, field);
    return utf8.decode(text);
  }

  read(
    recordingId: string,
    recordingKey: Uint8Array,
  ): { title: string | null; note: string | null } {
    const row = this.db
      .prepare('SELECT sealed_title, sealed_note FROM recordings WHERE recording_id = ?')
      .get(recordingId) as { sealed_title: Buffer | null; sealed_note: Buffer | null } | undefined;
    return {
      title: this.openField(recordingId, recordingKey, 'title', row?.sealed_title),
      note: this.openField(recordingId, recordingKey, 'note', row?.sealed_note),
    };
  }

  /**
   * The title alone, for the therapist (the library and the player's heading need no note).
   * `recordingKey` is asked for only when the title is not open already, and wiped after use.
   */
  title(recordingId: string, recordingKey: () => Uint8Array): string | null {
    const known = this.openedTitles.get(recordingId);
    if (known !== undefined) return known;
    const row = this.db
      .prepare('SELECT sealed_title FROM recordings WHERE recording_id = ?')
      .get(recordingId) as { sealed_title: Buffer | null } | undefined;
    if (!row?.sealed_title) return null;
    const key = recordingKey();
    try {
      const title = this.openField(recordingId, key, 'title', row.sealed_title);
      this.openedTitles.set(recordingId, title);
      return title;
    } finally {
      wipe(key);
    }
  }

  /**
   * The titles of many recordings, for the therapist's library: those not open yet are read in one
   * query and opened with the keys `eachKey` unwraps together (one query per recording, three for
   * its key and one for its title, made the first library after an unlock 60–180 ms at 300
   * titles). A title whose key or seal does not open is null here and not remembered, as `title`.
   */
  titles(
    recordingIds: readonly string[],
    eachKey: (
      recordingIds: string[],
      use: (recordingId: string, recordingKey: Uint8Array) => void,
    ) => void,
  ): Map<string, string | null> {
    const titles = new Map<string, string | null>();
    const unopened: string[] = [];
    for (const recordingId of recordingIds) {
      const known = this.openedTitles.get(recordingId);
      if (known === undefined) unopened.push(recordingId);
      else titles.set(recordingId, known);
    }
    if (unopened.length === 0) return titles;
    const rows = this.db
      .prepare(
        `SELECT recording_id, sealed_title FROM recordings
          WHERE recording_id IN (SELECT value FROM json_each(?)) AND sealed_title IS NOT NULL`,
      )
      .all(JSON.stringify(unopened)) as { recording_id: string; sealed_title: Buffer }[];
    const sealed = new Map(rows.map((row) => [row.recording_id, row.sealed_title]));
    eachKey([...sealed.keys()], (recordingId, recordingKey) => {
      try {
        const title = this.openField(recordingId, recordingKey, 'title', sealed.get(recordingId));
        this.openedTitles.set(recordingId, title);
        titles.set(recordingId, title);
      } catch {
        // A seal that does not open costs its title, never the others; the detail names it.
      }
    });
    for (const recordingId of unopened) if (!titles.has(recordingId)) titles.set(recordingId, null);
    return titles;
  }

  forget(recordingId: string): void {
    this.openedTitles.delete(recordingId);
  }

  forgetAll(): void {
    this.openedTitles.clear();
  }
}
