// Decisions made without a recording: the client declined, or chose an alternative. Each is
// sealed with the client's key, bound to its id; only the time it was made is in the clear.
import type { Database } from 'better-sqlite3';
import { recordingDecisionSchema, type RecordingDecision } from '../../../shared/consent-terms';
import { VaultError } from '../../../shared/errors';
import { open, seal, toHex, utf8 } from '../platform/crypto';
import { newOpaqueId } from '../platform/ids';

export interface StoredDecision extends RecordingDecision {
  decisionId: string;
  decidedAt: number;
}

export class DecisionStore {
  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly now: () => number,
  ) {}

  private associatedData(clientId: string, decisionId: string): Uint8Array {
    return utf8.encode(
      `session-vault/consent-decision/v1|${toHex(this.vaultId)}|${clientId}|${decisionId}`,
    );
  }

  add(clientId: string, clientKey: Uint8Array, decision: RecordingDecision): string {
    const decisionId = newOpaqueId();
    const sealed = seal(
      clientKey,
      utf8.encode(JSON.stringify(decision)),
      this.associatedData(clientId, decisionId),
    );
    this.db
      .prepare(
        'INSERT INTO consent_decisions (decision_id, client_id, decided_at, nonce, sealed_decision) VALUES (?, ?, ?, ?, ?)',
      )
      .run(decisionId, clientId, this.now(), sealed.nonce, sealed.ciphertext);
    return decisionId;
  }

  list(clientId: string, clientKey: Uint8Array): StoredDecision[] {
    const rows = this.db
      .prepare(
        'SELECT decision_id, decided_at, nonce, sealed_decision FROM consent_decisions WHERE client_id = ? ORDER BY decided_at',
      )
      .all(clientId) as {
      decision_id: string;
      decided_at: number;
      nonce: Buffer;
      sealed_decision: Buffer;
    }[];
    return rows.map((row) => {
      const text = open(
        clientKey,
        { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.sealed_decision) },
        this.associatedData(clientId, row.decision_id),
      );
      if (!text) throw new VaultError('VAULT_DAMAGED');
      return {
        decisionId: row.decision_id,
        decidedAt: row.decided_at,
        ...recordingDecisionSchema.parse(JSON.parse(utf8.decode(text))),
      };
    });
  }
}
