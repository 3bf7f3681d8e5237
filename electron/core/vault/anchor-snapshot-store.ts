// What the rollback check reads from the vault file without any key: which recordings still have
// a key or chunks, whose consent is not revoked, whose therapy has not ended, and the anchor
// generation the vault last wrote.
import type { Database } from 'better-sqlite3';

export class AnchorSnapshotStore {
  constructor(private readonly db: Database) {}

  liveRecordingIds(): string[] {
    return (
      this.db
        .prepare("SELECT recording_id AS id FROM recordings WHERE state <> 'destroyed'")
        .all() as { id: string }[]
    ).map((row) => row.id);
  }

  unrevokedClientIds(): string[] {
    return (
      this.db
        .prepare(
          `SELECT c.client_id AS id FROM clients c LEFT JOIN consent_events e USING (client_id)
            WHERE e.revoked_at IS NULL`,
        )
        .all() as { id: string }[]
    ).map((row) => row.id);
  }

  ongoingClientIds(): string[] {
    return (
      this.db
        .prepare(
          `SELECT c.client_id AS id FROM clients c LEFT JOIN consent_events e USING (client_id)
            WHERE e.therapy_ended_at IS NULL`,
        )
        .all() as { id: string }[]
    ).map((row) => row.id);
  }

  anchorGeneration(): number {
    return (
      this.db
        .prepare('SELECT anchor_generation AS g FROM vault_meta WHERE singleton = 1')
        .get() as {
        g: number;
      }
    ).g;
  }

  setAnchorGeneration(generation: number): void {
    this.db
      .prepare('UPDATE vault_meta SET anchor_generation = ? WHERE singleton = 1')
      .run(generation);
  }

  /** A revocation redone after a rollback: who revoked is not known to the anchor, so it stays empty. */
  revokeAgain(clientId: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO consent_events (client_id, revoked_at) VALUES (?, ?)
         ON CONFLICT (client_id) DO UPDATE SET revoked_at = excluded.revoked_at,
           revoked_by_role = NULL, revoked_by_id = NULL`,
      )
      .run(clientId, at);
  }

  endTherapyAgain(clientId: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO consent_events (client_id, therapy_ended_at) VALUES (?, ?)
         ON CONFLICT (client_id) DO UPDATE SET therapy_ended_at = excluded.therapy_ended_at`,
      )
      .run(clientId, at);
  }
}
