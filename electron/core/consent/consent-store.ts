// Consent records: the practice policy (versioned by the hash of its text, sealed with the master
// key), signed terms (one immutable row per version, sealed with the client's key), and the
// life events of a consent (revoked, therapy ended) that the sweeper needs in the clear.
import type { Database } from 'better-sqlite3';
import { consentTermsSchema, type ConsentState, type ConsentTerms } from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import { hash, open, seal, toHex, utf8 } from '../platform/crypto';
import { SettingsStore } from '../vault/settings-store';

export const DEFAULT_POLICY_TEXT = [
  'Recordings of sessions are for the client’s personal review only.',
  'They are kept encrypted on this laptop only: no cloud, no sharing. A backup of the vault, if the practice keeps one, is encrypted too and opens only with the practice’s passphrase.',
  'The client or the therapist can stop a recording, or revoke consent, at any time.',
  'Recordings are destroyed when the signed terms say so.',
  'Care never depends on agreeing to record.',
].join('\n');

export interface ConsentEvents {
  revokedAt: number | null;
  revokedBy: { role: 'client' | 'therapist'; id: string } | null;
  therapyEndedAt: number | null;
}

export function policyHashOf(text: string): string {
  return toHex(hash(utf8.encode('session-vault/policy/v1'), utf8.encode(text)));
}

export class ConsentStore {
  // The current policy is a setting; the settings store owns that table.
  private readonly settings: SettingsStore;

  constructor(
    private readonly db: Database,
    private readonly vaultId: Uint8Array,
    private readonly now: () => number,
  ) {
    this.settings = new SettingsStore(db);
  }

  private termsAd(clientId: string, version: number): Uint8Array {
    return utf8.encode(`session-vault/consent/v1|${toHex(this.vaultId)}|${clientId}|${version}`);
  }

  private policyAd(policyHash: string): Uint8Array {
    return utf8.encode(`session-vault/policy/v1|${toHex(this.vaultId)}|${policyHash}`);
  }

  /** Saves a policy text as a new version (or finds the same text again) and makes it current. */
  setPolicy(masterKey: Uint8Array, text: string): string {
    const policyHash = policyHashOf(text);
    this.db.transaction(() => {
      if (!this.db.prepare('SELECT 1 FROM policy_versions WHERE policy_hash = ?').get(policyHash)) {
        const sealed = seal(masterKey, utf8.encode(text), this.policyAd(policyHash));
        this.db
          .prepare(
            'INSERT INTO policy_versions (policy_hash, created_at, nonce, sealed_text) VALUES (?, ?, ?, ?)',
          )
          .run(policyHash, this.now(), sealed.nonce, sealed.ciphertext);
      }
      this.settings.set('policyHash', policyHash);
    })();
    return policyHash;
  }

  currentPolicyHash(): string | null {
    return this.settings.get('policyHash');
  }

  policyText(masterKey: Uint8Array, policyHash: string): string {
    const row = this.db
      .prepare('SELECT nonce, sealed_text FROM policy_versions WHERE policy_hash = ?')
      .get(policyHash) as { nonce: Buffer; sealed_text: Buffer } | undefined;
    if (!row) throw new VaultError('NOT_FOUND');
    const text = open(
      masterKey,
      { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.sealed_text) },
      this.policyAd(policyHash),
    );
    if (!text || policyHashOf(utf8.decode(text)) !== policyHash)
      throw new VaultError('VAULT_DAMAGED');
    return utf8.decode(text);
  }

  policyVersions(): { policyHash: string; createdAt: number }[] {
    return (
      this.db
        .prepare('SELECT policy_hash, created_at FROM policy_versions ORDER BY created_at')
        .all() as {
        policy_hash: string;
        created_at: number;
      }[]
    ).map((row) => ({ policyHash: row.policy_hash, createdAt: row.created_at }));
  }

  latestVersion(clientId: string): number {
    const row = this.db
      .prepare('SELECT max(version) AS version FROM consent_versions WHERE client_id = ?')
      .get(clientId) as { version: number | null };
    return row.version ?? 0;
  }

  versions(clientId: string): { version: number; consentId: string; signedAt: number }[] {
    return (
      this.db
        .prepare(
          'SELECT version, consent_id, signed_at FROM consent_versions WHERE client_id = ? ORDER BY version',
        )
        .all(clientId) as { version: number; consent_id: string; signed_at: number }[]
    ).map((row) => ({ version: row.version, consentId: row.consent_id, signedAt: row.signed_at }));
  }

  /** Stores a new signed version. Rows are never updated: a change is always a new version. */
  addVersion(clientKey: Uint8Array, terms: ConsentTerms): void {
    const sealed = seal(
      clientKey,
      utf8.encode(JSON.stringify(terms)),
      this.termsAd(terms.clientId, terms.version),
    );
    this.db
      .prepare(
        'INSERT INTO consent_versions (client_id, version, consent_id, signed_at, nonce, sealed_terms) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        terms.clientId,
        terms.version,
        terms.consentId,
        this.now(),
        sealed.nonce,
        sealed.ciphertext,
      );
  }

  terms(clientId: string, clientKey: Uint8Array, version: number): ConsentTerms {
    const row = this.db
      .prepare(
        'SELECT nonce, sealed_terms FROM consent_versions WHERE client_id = ? AND version = ?',
      )
      .get(clientId, version) as { nonce: Buffer; sealed_terms: Buffer } | undefined;
    if (!row) throw new VaultError('NOT_FOUND');
    const text = open(
      clientKey,
      { nonce: new Uint8Array(row.nonce), ciphertext: new Uint8Array(row.sealed_terms) },
      this.termsAd(clientId, version),
    );
    if (!text) throw new VaultError('VAULT_DAMAGED');
    const parsed = consentTermsSchema.safeParse(JSON.parse(utf8.decode(text)));
    if (!parsed.success) throw new VaultError('VAULT_DAMAGED');
    return parsed.data;
  }

  latestTerms(clientId: string, clientKey: Uint8Array): ConsentTerms | null {
    const version = this.latestVersion(clientId);
    return version === 0 ? null : this.terms(clientId, clientKey, version);
  }

  events(clientId: string): ConsentEvents {
    const row = this.db
      .prepare('SELECT * FROM consent_events WHERE client_id = ?')
      .get(clientId) as
      | {
          revoked_at: number | null;
          revoked_by_role: 'client' | 'therapist' | null;
          revoked_by_id: string | null;
          therapy_ended_at: number | null;
        }
      | undefined;
    return {
      revokedAt: row?.revoked_at ?? null,
      revokedBy:
        row?.revoked_by_role && row.revoked_by_id
          ? { role: row.revoked_by_role, id: row.revoked_by_id }
          : null,
      therapyEndedAt: row?.therapy_ended_at ?? null,
    };
  }

  state(clientId: string, clientKey: Uint8Array): ConsentState {
    return { terms: this.latestTerms(clientId, clientKey), ...this.events(clientId) };
  }

  recordRevocation(clientId: string, by: { role: 'client' | 'therapist'; id: string }): void {
    this.db
      .prepare(
        `INSERT INTO consent_events (client_id, revoked_at, revoked_by_role, revoked_by_id) VALUES (?, ?, ?, ?)
         ON CONFLICT (client_id) DO UPDATE SET revoked_at = excluded.revoked_at,
           revoked_by_role = excluded.revoked_by_role, revoked_by_id = excluded.revoked_by_id`,
      )
      .run(clientId, this.now(), by.role, by.id);
  }

  /** A newly signed version after a revocation is fresh consent: the revocation no longer applies. */
  clearRevocation(clientId: string): void {
    this.db
      .prepare(
        'UPDATE consent_events SET revoked_at = NULL, revoked_by_role = NULL, revoked_by_id = NULL WHERE client_id = ?',
      )
      .run(clientId);
  }

  recordTherapyEnded(clientId: string): void {
    this.db
      .prepare(
        `INSERT INTO consent_events (client_id, therapy_ended_at) VALUES (?, ?)
         ON CONFLICT (client_id) DO UPDATE SET therapy_ended_at = excluded.therapy_ended_at`,
      )
      .run(clientId, this.now());
  }
}
