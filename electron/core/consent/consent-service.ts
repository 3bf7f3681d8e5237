// Clients and their consent, as the therapist (and later the client in review) works with
// them: add, sign a new version, revoke, end therapy; and the deadlines every recording gets
// from the terms in force. Every change is logged before it answers.
import type { ClientDetail, ClientSummary, RecordingSummary } from '../../../shared/api';
import {
  consentTermsSchema,
  type Actor,
  type ConsentState,
  type ConsentTerms,
  type DecisionSubject,
  type RecordingKind,
} from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import { formatDate } from '../../../shared/format';
import { newOpaqueId } from '../platform/ids';
import type { ClosingEvent } from '../platform/anchor-record';
import { ConsentStore } from './consent-store';
import { consentStatus } from './consent-status';
import { wipe } from '../platform/crypto';
import { nextConsentVersion, type ConsentDraft } from './next-consent-version';
import { deadlineWithCause, writeDeadlines } from './recording-deadlines';
import type { RecordingRow } from '../recording/recording-row-store';
import type { Destroyer } from '../retention/destroyer';
import type { AnchorAhead } from '../retention/sweeper';
import type { VaultService } from '../vault/vault-service';
import { DamagedKeyError } from '../vault/key-store';

/** A recording whose destruction date new terms would move (null: no date). */
export interface MovedDeadline {
  recordingId: string;
  kind: RecordingKind;
  recordedAt: number;
  before: number | null;
  after: number | null;
}

/** Whom a client's summary is for: only the therapist lists, adds and renames clients. */
const THERAPIST: Actor = { role: 'therapist', id: 'therapist' };

/**
 * A turn of main for whatever waits, between a revocation's or an end of therapy's commit (its
 * deadlines re-signed, 20 ms for 30 recordings) and the destruction's own checks: together they
 * held main 40–60 ms (issue 16, `destroy_30_max_block_ms`). Nothing is playable in between: the
 * commit has already recorded the end and set each deadline, and `decide()` refuses from them.
 * Also between the first check and the commit (closeAhead), which an await already separates.
 */
const afterOtherWork = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ConsentService {
  constructor(
    private readonly lifecycle: VaultService,
    private readonly now: () => number,
    private readonly deviceSecret: Uint8Array,
    private readonly destroyer: Destroyer,
    /** Called when consent ends for a client, so a running recording stops at once. */
    private readonly onConsentEnded: (clientId: string, reason: string) => void,
    /** Names a revocation or an end of therapy in the rollback anchor before it commits. */
    private readonly anchor: AnchorAhead = {
      ahead: () => Promise.resolve(),
      withdraw: () => undefined,
    },
  ) {}

  private store(): ConsentStore {
    const vault = this.lifecycle.opened();
    return new ConsentStore(vault.db, vault.vaultId, this.now);
  }

  /**
   * Runs `fn` with the client's key, wiping it afterwards: the therapist's through the master
   * key; a client in review only their own.
   */
  withClientKey<T>(clientId: string, fn: (clientKey: Uint8Array) => T): T {
    const other = this.lifecycle.otherSession;
    if (other?.kind === 'client') {
      if (other.clientId !== clientId) throw new VaultError('NOT_ALLOWED');
      const copy = other.clientKey.slice();
      try {
        return fn(copy);
      } finally {
        wipe(copy);
      }
    }
    const { vault, masterKey } = this.lifecycle.unlocked();
    const clientKey = vault.clients.keyForTherapist(clientId, masterKey);
    try {
      return fn(clientKey);
    } finally {
      wipe(clientKey);
    }
  }

  consentState(clientId: string, clientKey: Uint8Array): ConsentState {
    return this.store().state(clientId, clientKey);
  }

  subject(
    clientId: string,
    clientKey: Uint8Array,
    recording: RecordingRow | null,
    consentVersion: number | null,
  ): DecisionSubject {
    const consent = this.consentState(clientId, clientKey);
    return {
      clientId,
      consent,
      recording:
        recording && consent.terms
          ? {
              recordingId: recording.recordingId,
              clientId,
              consentId: consent.terms.consentId,
              consentVersion: consentVersion ?? consent.terms.version,
              recordedAt: recording.startedAt,
              destroyedAt: recording.destroyedAt,
              kind: recording.kind,
            }
          : null,
    };
  }

  summary(clientId: string): ClientSummary {
    const { vault } = this.lifecycle.unlocked();
    return this.withClientKey(clientId, (clientKey) => {
      const profile = vault.clients.profile(clientId, clientKey);
      const state = this.consentState(clientId, clientKey);
      return {
        clientId,
        displayName: profile.displayName,
        participants: profile.participants,
        archived: vault.clients.isArchived(clientId),
        hasReviewCredential: vault.keys.has(`ck/${clientId}/credential`),
        consent: consentStatus(state, THERAPIST, clientId, this.now()),
      };
    });
  }

  /**
   * The client's display name for the therapist, or null when their key or profile is damaged.
   * `clientKey`: the key when the caller holds it already (the library opens every client's at once).
   */
  nameOf(clientId: string, clientKey?: Uint8Array): string | null {
    const { vault } = this.lifecycle.unlocked();
    // A client deleted outside the app is still named in its alarm, by id.
    if (!vault.clients.exists(clientId)) return null;
    try {
      const profile = clientKey
        ? vault.clients.profile(clientId, clientKey)
        : this.withClientKey(clientId, (key) => vault.clients.profile(clientId, key));
      return profile.displayName;
    } catch (error) {
      if (error instanceof VaultError && error.code === 'VAULT_DAMAGED') return null;
      throw error;
    }
  }

  /**
   * Every client whose key and profile open. One damaged client is left out and named in a tamper
   * alarm (vault.integrity): it never takes the rest of the list with it.
   */
  list(): ClientSummary[] {
    const { vault } = this.lifecycle.unlocked();
    const summaries: ClientSummary[] = [];
    for (const clientId of vault.clients.ids()) {
      try {
        summaries.push(this.summary(clientId));
      } catch (error) {
        if (!(error instanceof VaultError) || error.code !== 'VAULT_DAMAGED') throw error;
        vault.alarms.raise({
          subject: error instanceof DamagedKeyError ? error.keyId : `client/${clientId}`,
          clientId,
          problem:
            error instanceof DamagedKeyError
              ? 'wrapped key damaged: changed outside Session Vault'
              : 'client key or profile does not open',
        });
      }
    }
    return summaries;
  }

  add(displayName: string, otherParticipants: string[]): ClientSummary {
    const { vault, masterKey, info } = this.lifecycle.unlocked();
    const participants = [displayName, ...otherParticipants].map((name) => ({
      participantId: newOpaqueId(),
      displayName: name,
    }));
    let clientId = '';
    vault.db.transaction(() => {
      const created = vault.clients.create(masterKey, { displayName, participants });
      clientId = created.clientId;
      const statePublicKey = vault.clients.statePublicKey(clientId);
      if (statePublicKey)
        vault.signedState.vaultRecord.addClient(masterKey, clientId, statePublicKey);
      try {
        vault.signedState.change(
          clientId,
          created.clientKey,
          () =>
            vault.audit.append({
              actorRole: info.role,
              action: 'client.add',
              subject: clientId,
              outcome: 'ok',
            }),
          { newClient: true },
        );
      } finally {
        wipe(created.clientKey);
      }
    })();
    return this.summary(clientId);
  }

  rename(clientId: string, displayName: string): ClientSummary {
    const { vault, info } = this.lifecycle.unlocked();
    this.withClientKey(clientId, (clientKey) => {
      const profile = vault.clients.profile(clientId, clientKey);
      vault.db.transaction(() => {
        vault.audit.append({
          actorRole: info.role,
          action: 'client.rename',
          subject: clientId,
          outcome: 'ok',
        });
        vault.clients.writeProfile(clientId, clientKey, { ...profile, displayName });
      })();
    });
    return this.summary(clientId);
  }

  archive(clientId: string, archived: boolean): ClientSummary {
    const { vault, info } = this.lifecycle.unlocked();
    if (!vault.clients.exists(clientId)) throw new VaultError('NOT_FOUND');
    vault.db.transaction(() => {
      vault.audit.append({
        actorRole: info.role,
        action: archived ? 'client.archive' : 'client.unarchive',
        subject: clientId,
        outcome: 'ok',
      });
      vault.clients.setArchived(clientId, archived ? this.now() : null);
    })();
    return this.summary(clientId);
  }

  /**
   * Stores a new, fully signed version of the terms. Main assigns the ids and the version, so a
   * signed version can never be edited: any change is the next version, signed again by all.
   */
  async sign(
    clientId: string,
    draft: ConsentDraft,
    reviewCredential: string | undefined,
  ): Promise<ClientDetail> {
    const { vault } = this.lifecycle.unlocked();
    const store = this.store();
    this.withClientKey(clientId, (clientKey) => {
      const profile = vault.clients.profile(clientId, clientKey);
      const events = store.events(clientId);
      if (events.therapyEndedAt !== null)
        throw new VaultError(
          'NOT_ALLOWED',
          `Therapy ended on ${formatDate(events.therapyEndedAt)}, so no new consent can be signed.`,
        );
      const terms = nextConsentVersion(
        store,
        { clientId, clientKey, participants: profile.participants },
        draft,
      );
      const hasCredential = vault.keys.has(`ck/${clientId}/credential`);
      if (!hasCredential && !reviewCredential)
        throw new VaultError(
          'INVALID_REQUEST',
          'Set a PIN or passphrase for the client, so they can listen on this laptop.',
        );
      vault.signedState.change(clientId, clientKey, () => {
        this.signTerms(clientId, clientKey, terms, events.revokedAt !== null, reviewCredential);
      });
    });
    // New terms may bring a deadline into the past: destroy that now, not at the next hourly sweep.
    await this.destroyer.sweep('new terms');
    return this.detail(clientId);
  }

  /**
   * Which recordings new terms would give another destruction date, as signing them would: the
   * new version clears a revocation, so only therapy's end and the terms themselves count.
   */
  previewDeadlines(clientId: string, draft: ConsentDraft): MovedDeadline[] {
    const { vault } = this.lifecycle.unlocked();
    return this.withClientKey(clientId, (clientKey) => {
      const state = this.consentState(clientId, clientKey);
      const terms = consentTermsSchema.safeParse({
        ...draft,
        consentId: state.terms?.consentId ?? 'preview',
        version: (state.terms?.version ?? 0) + 1,
        clientId,
      });
      if (!terms.success) throw new VaultError('INVALID_REQUEST', terms.error.issues[0]?.message);
      const next: ConsentState = {
        terms: terms.data,
        revokedAt: null,
        revokedBy: null,
        therapyEndedAt: state.therapyEndedAt,
      };
      return vault.recordings.list(clientId).flatMap((recording) => {
        if (recording.state === 'destroyed') return [];
        const after = deadlineWithCause(next, recording.startedAt, recording.kind).at;
        const before = recording.destroyAfter;
        const afterOrNull = Number.isFinite(after) ? after : null;
        if (afterOrNull === before) return [];
        return [
          {
            recordingId: recording.recordingId,
            kind: recording.kind,
            recordedAt: recording.startedAt,
            before,
            after: afterOrNull,
          },
        ];
      });
    });
  }

  private signTerms(
    clientId: string,
    clientKey: Uint8Array,
    terms: ConsentTerms,
    wasRevoked: boolean,
    reviewCredential: string | undefined,
  ): void {
    const { vault, info } = this.lifecycle.unlocked();
    const store = this.store();
    vault.db.transaction(() => {
      vault.audit.append({
        actorRole: info.role,
        action: 'consent.sign',
        subject: clientId,
        outcome: 'ok',
        reason: `version ${terms.version}; policy ${terms.policyVersionHash.slice(0, 12)}`,
      });
      store.addVersion(clientKey, terms);
      if (wasRevoked) store.clearRevocation(clientId);
      if (reviewCredential)
        vault.clients.setCredential(clientId, clientKey, reviewCredential, this.deviceSecret);
    })();
    this.refreshDeadlines(clientId, clientKey);
  }

  /**
   * Names a closing event in the rollback anchor, awaits the keychain write, then runs `commit`
   * (one small transaction): a crash in between leaves the anchor ahead and the next open redoes
   * the event. `check` runs before the name and again after it, since the await lets other
   * requests in; a refusal or a failed commit takes the name back.
   */
  private async closeAhead<T>(
    clientId: string,
    event: ClosingEvent,
    check: (clientKey: Uint8Array) => void,
    commit: (clientKey: Uint8Array) => T,
  ): Promise<T> {
    this.withClientKey(clientId, check);
    await this.anchor.ahead([event]);
    // The check above and the commit below are a turn each, whatever the anchor's store answers
    // in (a store in memory answers at once: 50 ms in one turn for 30 recordings after a backup).
    await afterOtherWork();
    try {
      return this.withClientKey(clientId, (clientKey) => {
        check(clientKey);
        return commit(clientKey);
      });
    } catch (error) {
      this.anchor.withdraw([event]);
      throw error;
    }
  }

  /** Revocation: ends future recording at once and destroys what the terms say it destroys. */
  async revoke(clientId: string, by: Actor): Promise<{ destroyed: number }> {
    if (by.role !== 'therapist' && !(by.role === 'client' && by.clientId === clientId))
      throw new VaultError('NOT_ALLOWED');
    const store = this.store();
    const termsToRevoke = (clientKey: Uint8Array): ConsentTerms => {
      const state = store.state(clientId, clientKey);
      if (!state.terms)
        throw new VaultError('NOT_ALLOWED', 'There is no signed consent to revoke.');
      if (state.revokedAt !== null)
        throw new VaultError(
          'NOT_ALLOWED',
          `Consent was already revoked on ${formatDate(state.revokedAt)}. Nothing changed.`,
        );
      return state.terms;
    };
    await this.closeAhead(clientId, { kind: 'revoked', clientId }, termsToRevoke, (clientKey) => {
      const vault = this.lifecycle.opened();
      const destroysAll = termsToRevoke(clientKey).revocation.destroys === 'all-recordings';
      vault.signedState.change(clientId, clientKey, () => {
        vault.db.transaction(() => {
          vault.audit.append({
            actorRole: by.role,
            actorId: by.role === 'client' ? by.clientId : null,
            action: 'consent.revoke',
            subject: clientId,
            outcome: 'ok',
            reason: destroysAll ? 'destroys all recordings' : 'stops future recordings',
          });
          store.recordRevocation(clientId, { role: by.role as 'client' | 'therapist', id: by.id });
          vault.ledger.append({ kind: 'revoked', clientId });
        })();
        this.refreshDeadlines(clientId, clientKey);
      });
    });
    this.onConsentEnded(clientId, 'consent revoked');
    await afterOtherWork();
    return { destroyed: await this.destroyer.sweep('revocation', clientId) };
  }

  async endTherapy(clientId: string): Promise<{ destroyed: number }> {
    this.lifecycle.unlocked();
    const store = this.store();
    const notEnded = (clientKey: Uint8Array): void => {
      const state = store.state(clientId, clientKey);
      if (state.therapyEndedAt !== null)
        throw new VaultError(
          'NOT_ALLOWED',
          `Therapy already ended on ${formatDate(state.therapyEndedAt)}. Nothing changed.`,
        );
    };
    await this.closeAhead(clientId, { kind: 'therapy-ended', clientId }, notEnded, (clientKey) => {
      const { vault, info } = this.lifecycle.unlocked();
      vault.signedState.change(clientId, clientKey, () => {
        vault.db.transaction(() => {
          vault.audit.append({
            actorRole: info.role,
            action: 'therapy.end',
            subject: clientId,
            outcome: 'ok',
          });
          store.recordTherapyEnded(clientId);
          vault.ledger.append({ kind: 'therapy-ended', clientId });
        })();
        this.refreshDeadlines(clientId, clientKey);
      });
    });
    this.onConsentEnded(clientId, 'therapy ended');
    await afterOtherWork();
    return { destroyed: await this.destroyer.sweep('termination') };
  }

  /** Sets each recording's destroy-after time (in the clear, for the sweeper) from the terms. */
  refreshDeadlines(clientId: string, clientKey: Uint8Array): void {
    const vault = this.lifecycle.opened();
    const state = this.consentState(clientId, clientKey);
    writeDeadlines(vault, clientId, state);
  }

  /** One signed version and the policy text it was signed under. */
  version(
    clientId: string,
    version: number,
  ): { terms: ConsentTerms; signedPolicyText: string | null } {
    const store = this.store();
    return this.withClientKey(clientId, (clientKey) => {
      const terms = store.terms(clientId, clientKey, version);
      return {
        terms,
        signedPolicyText: store.policyText(
          this.lifecycle.unlocked().masterKey,
          terms.policyVersionHash,
        ),
      };
    });
  }

  detail(
    clientId: string,
    recordings: (clientKey: Uint8Array) => RecordingSummary[] = () => [],
  ): ClientDetail {
    const client = this.summary(clientId);
    const { vault } = this.lifecycle.unlocked();
    const store = this.store();
    return this.withClientKey(clientId, (clientKey) => {
      const terms = store.latestTerms(clientId, clientKey);
      return {
        client,
        terms,
        signedPolicyText: terms
          ? store.policyText(this.lifecycle.unlocked().masterKey, terms.policyVersionHash)
          : null,
        versions: store.versions(clientId).map(({ version, signedAt }) => ({ version, signedAt })),
        recordings: recordings(clientKey),
        takeaways: vault.clients.takeaways(clientId, clientKey),
        decisions: vault.decisions.list(clientId, clientKey),
      };
    });
  }
}
