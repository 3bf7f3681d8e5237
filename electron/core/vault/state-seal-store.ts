// The signed state records' table (state_seals, subjects 'vault', 'client/<id>', 'consent/<id>',
// 'recording/<id>'), and the clear columns each record binds, read as they stand in the file so a
// check compares the signed values with what an attacker may have written there.
import type { Database, Statement } from 'better-sqlite3';
import type { DestroyCause } from '../recording/recording-row-store';

export interface StoredSeal {
  revision: number;
  signature: Uint8Array;
  /** The signed record (JSON); null for a ciphertext commitment. */
  record: string | null;
}

export interface BoundRecordingRow {
  recordingId: string;
  clientId: string;
  recNo: number;
  startedAt: number;
  destroyAfter: number | null;
  destroyCause: DestroyCause | null;
  state: 'recording' | 'finalised' | 'interrupted' | 'destroyed';
}

export interface BoundConsentEvents {
  revokedAt: number | null;
  revokedByRole: 'client' | 'therapist' | null;
  revokedById: string | null;
  therapyEndedAt: number | null;
}

export interface BoundConsentVersion {
  version: number;
  consentId: string;
  signedAt: number;
  nonce: Uint8Array;
  sealedTerms: Uint8Array;
}

export interface BoundKeyRow {
  keyId: string;
  kdf: string | null;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

function toBoundRecording(row: Record<string, unknown>): BoundRecordingRow {
  return {
    recordingId: row.recording_id as string,
    clientId: row.client_id as string,
    recNo: row.rec_no as number,
    startedAt: row.started_at as number,
    destroyAfter: (row.destroy_after as number | null) ?? null,
    destroyCause: (row.destroy_cause as DestroyCause | null) ?? null,
    state: row.state as BoundRecordingRow['state'],
  };
}

const RECORDING_COLUMNS =
  'recording_id, client_id, rec_no, started_at, destroy_after, destroy_cause, state';

export class StateSealStore {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  private stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  transaction<T>(write: () => T): T {
    return this.db.transaction(write)();
  }

  get(subject: string): StoredSeal | null {
    const row = this.stmt(
      'SELECT revision, signature, record FROM state_seals WHERE subject = ?',
    ).get(subject) as { revision: number; signature: Buffer; record: string | null } | undefined;
    return row
      ? { revision: row.revision, signature: new Uint8Array(row.signature), record: row.record }
      : null;
  }

  put(subject: string, revision: number, signature: Uint8Array, record: string): void {
    this.stmt(
      `INSERT INTO state_seals (subject, revision, signature, record) VALUES (?, ?, ?, ?)
       ON CONFLICT (subject) DO UPDATE SET revision = excluded.revision,
         signature = excluded.signature, record = excluded.record`,
    ).run(subject, revision, signature, record);
  }

  /** Set by migration 110 in a vault whose rows nobody signed yet; cleared once they are. */
  recordsPending(): boolean {
    const row = this.stmt(
      'SELECT state_records_pending FROM vault_meta WHERE singleton = 1',
    ).get() as { state_records_pending: number } | undefined;
    return row?.state_records_pending === 1;
  }

  clearRecordsPending(): void {
    this.stmt('UPDATE vault_meta SET state_records_pending = 0 WHERE singleton = 1').run();
  }

  /** Set by migration 130 in a vault without a vault record yet; cleared once it is signed. */
  vaultRecordPending(): boolean {
    const row = this.stmt(
      'SELECT vault_record_pending FROM vault_meta WHERE singleton = 1',
    ).get() as { vault_record_pending: number } | undefined;
    return row?.vault_record_pending === 1;
  }

  clearVaultRecordPending(): void {
    this.stmt('UPDATE vault_meta SET vault_record_pending = 0 WHERE singleton = 1').run();
  }

  /** The vault state key's public half as the file stores it (null before migration 40). */
  vaultStatePublicKey(): Uint8Array | null {
    const row = this.stmt('SELECT state_public_key FROM vault_meta WHERE singleton = 1').get() as
      { state_public_key: Buffer | null } | undefined;
    return row?.state_public_key ? new Uint8Array(row.state_public_key) : null;
  }

  /** Every client's state public key as the file stores it: what the vault record binds. */
  clientStateKeys(): { clientId: string; statePublicKey: Uint8Array | null }[] {
    return (
      this.stmt('SELECT client_id, state_public_key FROM clients ORDER BY created_at').all() as {
        client_id: string;
        state_public_key: Buffer | null;
      }[]
    ).map((row) => ({
      clientId: row.client_id,
      statePublicKey: row.state_public_key ? new Uint8Array(row.state_public_key) : null,
    }));
  }

  recording(recordingId: string): BoundRecordingRow | null {
    const row = this.stmt(`SELECT ${RECORDING_COLUMNS} FROM recordings WHERE recording_id = ?`).get(
      recordingId,
    ) as Record<string, unknown> | undefined;
    return row ? toBoundRecording(row) : null;
  }

  recordingsOf(clientId: string): BoundRecordingRow[] {
    return (
      this.stmt(
        `SELECT ${RECORDING_COLUMNS} FROM recordings WHERE client_id = ? ORDER BY rec_no`,
      ).all(clientId) as Record<string, unknown>[]
    ).map(toBoundRecording);
  }

  /**
   * Recordings that may be due at `at`: by the clear column or by the signed record's deadline,
   * so an edit of either way is looked at. The caller decides by the verified signed value.
   */
  dueCandidates(at: number): BoundRecordingRow[] {
    return (
      this.stmt(
        `SELECT ${RECORDING_COLUMNS} FROM recordings
          WHERE state <> 'destroyed' AND state <> 'recording'
            AND (destroy_after <= @at OR EXISTS (
              SELECT 1 FROM state_seals
               WHERE subject = 'recording/' || recording_id
                 AND json_extract(record, '$.destroyAfter') <= @at))
          ORDER BY rec_no`,
      ).all({ at }) as Record<string, unknown>[]
    ).map(toBoundRecording);
  }

  consentEvents(clientId: string): BoundConsentEvents {
    const row = this.stmt(
      'SELECT revoked_at, revoked_by_role, revoked_by_id, therapy_ended_at FROM consent_events WHERE client_id = ?',
    ).get(clientId) as
      | {
          revoked_at: number | null;
          revoked_by_role: 'client' | 'therapist' | null;
          revoked_by_id: string | null;
          therapy_ended_at: number | null;
        }
      | undefined;
    return {
      revokedAt: row?.revoked_at ?? null,
      revokedByRole: row?.revoked_by_role ?? null,
      revokedById: row?.revoked_by_id ?? null,
      therapyEndedAt: row?.therapy_ended_at ?? null,
    };
  }

  consentVersions(clientId: string): BoundConsentVersion[] {
    return (
      this.stmt(
        'SELECT version, consent_id, signed_at, nonce, sealed_terms FROM consent_versions WHERE client_id = ? ORDER BY version',
      ).all(clientId) as {
        version: number;
        consent_id: string;
        signed_at: number;
        nonce: Buffer;
        sealed_terms: Buffer;
      }[]
    ).map((row) => ({
      version: row.version,
      consentId: row.consent_id,
      signedAt: row.signed_at,
      nonce: new Uint8Array(row.nonce),
      sealedTerms: new Uint8Array(row.sealed_terms),
    }));
  }

  keyRow(keyId: string): BoundKeyRow | null {
    const row = this.stmt(
      'SELECT key_id, kdf, nonce, ciphertext FROM wrapped_keys WHERE key_id = ?',
    ).get(keyId) as
      { key_id: string; kdf: string | null; nonce: Buffer; ciphertext: Buffer } | undefined;
    return row
      ? {
          keyId: row.key_id,
          kdf: row.kdf,
          nonce: new Uint8Array(row.nonce),
          ciphertext: new Uint8Array(row.ciphertext),
        }
      : null;
  }

  clientIds(): string[] {
    return (
      this.stmt('SELECT client_id FROM clients ORDER BY created_at').all() as {
        client_id: string;
      }[]
    ).map((row) => row.client_id);
  }

  /** Puts back the values a valid signed recording record holds over an edited row. */
  restoreRecording(
    recordingId: string,
    values: { startedAt: number; destroyAfter: number | null; destroyCause: DestroyCause | null },
  ): void {
    this.stmt(
      'UPDATE recordings SET started_at = ?, destroy_after = ?, destroy_cause = ? WHERE recording_id = ?',
    ).run(values.startedAt, values.destroyAfter, values.destroyCause, recordingId);
  }

  /** Puts back the consent events a valid signed record holds over an edited row. */
  restoreConsentEvents(clientId: string, events: BoundConsentEvents): void {
    this.stmt(
      `INSERT INTO consent_events (client_id, revoked_at, revoked_by_role, revoked_by_id, therapy_ended_at)
         VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (client_id) DO UPDATE SET revoked_at = excluded.revoked_at,
         revoked_by_role = excluded.revoked_by_role, revoked_by_id = excluded.revoked_by_id,
         therapy_ended_at = excluded.therapy_ended_at`,
    ).run(
      clientId,
      events.revokedAt,
      events.revokedByRole,
      events.revokedById,
      events.therapyEndedAt,
    );
  }
}
