// Authenticated state (docs/threat-model.md "(a) Authenticated state", as built): every value that
// decides access, retention or destruction is bound in a record signed by the client's state key,
// and checked with its public half before play, before record and before sweep (the sweeper,
// locked, has only public halves). A record that does not verify is a tamper alarm and holds what
// it covers; it is never a reason to play or to destroy. Damage stays with that client.
import { VaultError } from '../../../shared/errors';
import { equalBytes, hash, wipe } from '../platform/crypto';
import {
  signState,
  stateMessage,
  stateSubjectOf,
  verifyState,
  wrappedKeyRowHash,
  type StateRecord,
} from '../platform/state-record';
import type { ClientStore } from '../clients/client-store';
import type { DestroyCause } from '../recording/recording-row-store';
import type { IntegrityAlarms } from './integrity-alarms';
import {
  CLIENT_KEY_REPLACED,
  CLIENT_NOT_LISTED,
  VAULT_RECORD_UNSIGNED,
  type VaultCheck,
  type VaultRecord,
} from './vault-record';
import { KEY_IDS, type KeyStore } from './key-store';
import type {
  BoundConsentEvents,
  BoundRecordingRow,
  StateSealStore,
  StoredSeal,
} from './state-seal-store';
import { recordFromJson, recordToJson } from './state-record-json';

export type RecordingRecord = Extract<StateRecord, { kind: 'recording' }>;
export type ConsentRecord = Extract<StateRecord, { kind: 'consent-events' }>;
export type ClientRecord = Extract<StateRecord, { kind: 'client' }>;

/** How a record stands against its signature. */
export type Check<R> =
  /** The signature verifies and the rows say what it signed. */
  | { kind: 'ok'; signed: R; revision: number }
  /** The signature verifies but the rows were changed (current null: the row is gone). */
  | { kind: 'edited'; signed: R; revision: number; current: R | null; fields: string[] }
  /** No seal, or one that does not verify: nothing tells what the rows should say. */
  | { kind: 'unsigned' }
  /** A vault from before signed records, not yet unlocked since: the rows decide, as before. */
  | { kind: 'legacy' };

/** The fields of two records of one kind that differ, by name (revision left out). */
function differingFields(vaultId: Uint8Array, a: StateRecord, b: StateRecord): string[] {
  const fields = Object.keys(a).filter((name) => name !== 'revision' && name !== 'kind');
  const base = stateMessage(vaultId, a);
  return fields.filter((name) => {
    const withTheirs = { ...a, [name]: (b as Record<string, unknown>)[name] } as StateRecord;
    try {
      return !equalBytes(base, stateMessage(vaultId, withTheirs));
    } catch {
      return true;
    }
  });
}

/** Rows newer than their record only by a revocation or an end of therapy: the safe direction. */
function onlyClosedSince(signed: ConsentRecord, current: ConsentRecord): boolean {
  const revokedSince = signed.revokedAt === null && current.revokedAt !== null;
  const endedSince = signed.therapyEndedAt === null && current.therapyEndedAt !== null;
  const revocationSame =
    signed.revokedAt === current.revokedAt &&
    signed.revokedByRole === current.revokedByRole &&
    signed.revokedById === current.revokedById;
  return (
    (revokedSince || endedSince) &&
    (revokedSince || revocationSame) &&
    (endedSince || signed.therapyEndedAt === current.therapyEndedAt)
  );
}

const fieldWords: Record<string, string> = {
  startedAt: 'start time',
  destroyAfter: 'destruction date',
  destroyCause: 'reason for destruction',
  recNo: 'number',
  clientId: 'client',
  revokedAt: 'revocation',
  revokedByRole: 'who revoked',
  revokedById: 'who revoked',
  therapyEndedAt: 'end of therapy',
  recordings: 'list of recordings',
  consentEventsRevision: 'consent events',
  wrappedKeys: 'keys',
  consentVersions: 'signed consent versions',
};

function problemOfEdit(what: string, fields: string[]): string {
  const words = [...new Set(fields.map((field) => fieldWords[field] ?? field))];
  const differ = words.length === 1 ? 'differs' : 'differ';
  return `${what} changed outside Session Vault: its ${words.join(', ')} ${differ} from its signed record`;
}

const PENDING_SET_AGAIN = {
  subject: 'vault_meta.state_records_pending',
  clientId: null,
  problem:
    'the vault was marked as not yet signed outside Session Vault, though this laptop’s keychain knows every record was signed: nothing is signed as it stands, and records that are missing hold what they cover',
};

export interface DueRecording {
  recordingId: string;
  clientId: string;
  cause: DestroyCause | null;
}

export class SignedState {
  constructor(
    private readonly vaultId: Uint8Array,
    private readonly store: StateSealStore,
    private readonly keys: KeyStore,
    private readonly clients: ClientStore,
    private readonly alarms: IntegrityAlarms,
    /** The set of clients and their state public keys, signed by the vault state key. */
    readonly vaultRecord: VaultRecord,
  ) {}

  // ---- the records as the rows stand now ----

  private recordingRecord(row: BoundRecordingRow, revision: number): RecordingRecord {
    return {
      kind: 'recording',
      recordingId: row.recordingId,
      clientId: row.clientId,
      recNo: row.recNo,
      revision,
      startedAt: row.startedAt,
      destroyAfter: row.destroyAfter,
      destroyCause: row.destroyCause,
      // The ciphertext and the key are bound by the commitment signed at finalise (threat model).
      finalSeq: null,
      chunksHash: null,
      recordingKeyHash: null,
    };
  }

  private consentRecord(clientId: string, events: BoundConsentEvents, revision: number) {
    return { kind: 'consent-events', clientId, revision, ...events } satisfies ConsentRecord;
  }

  private clientRecord(clientId: string, revision: number): ClientRecord {
    // Not the PIN wrap: it changes with every PIN, and its keyed tag already names a swap (f).
    const keyIds = [KEY_IDS.clientByMasterKey(clientId), KEY_IDS.clientStateKey(clientId)];
    return {
      kind: 'client',
      clientId,
      revision,
      recordings: this.store.recordingsOf(clientId).map((row) => ({
        recordingId: row.recordingId,
        recNo: row.recNo,
        revision: this.store.get(`recording/${row.recordingId}`)?.revision ?? 0,
      })),
      consentEventsRevision: this.store.get(`consent/${clientId}`)?.revision ?? 0,
      wrappedKeys: keyIds.flatMap((keyId) => {
        const row = this.store.keyRow(keyId);
        return row ? [{ keyId, hash: wrappedKeyRowHash(row) }] : [];
      }),
      consentVersions: this.store.consentVersions(clientId).map((version) => ({
        version: version.version,
        consentId: version.consentId,
        signedAt: version.signedAt,
        sealedHash: hash(version.nonce, version.sealedTerms),
      })),
    };
  }

  private currentOf(subject: string, revision: number): StateRecord | null {
    const [kind, id] = [
      subject.slice(0, subject.indexOf('/')),
      subject.slice(subject.indexOf('/') + 1),
    ];
    if (kind === 'recording') {
      const row = this.store.recording(id);
      return row ? this.recordingRecord(row, revision) : null;
    }
    if (kind === 'consent') return this.consentRecord(id, this.store.consentEvents(id), revision);
    return this.clientRecord(id, revision);
  }

  // ---- checks (public keys only: the sweeper runs them while locked) ----

  /** Checks kept for one read of many recordings (a client's detail, a sweep), else null. */
  private memo: Map<string, Check<StateRecord>> | null = null;

  private vaultMemo: VaultCheck | null = null;

  /** Runs a read that checks many records once each: nothing is written meanwhile. */
  batch<T>(read: () => T): T {
    if (this.memo) return read();
    this.memo = new Map();
    try {
      return read();
    } finally {
      this.memo = null;
      this.vaultMemo = null;
    }
  }

  /** The vault record, checked once per batch; each difference is named as it is found. */
  checkVault(): VaultCheck {
    if (this.memo && this.vaultMemo) return this.vaultMemo;
    const checked = this.vaultRecord.check();
    if (this.memo) this.vaultMemo = checked;
    return checked;
  }

  /**
   * The key a client's records verify with: the one the vault record lists, never the client's
   * row alone (a forger writes their own key there and signs with it). A problem holds the client.
   */
  private clientKeyOf(clientId: string): { publicKey: Uint8Array | null; problem: string | null } {
    const vault = this.checkVault();
    if (vault.kind === 'legacy')
      return { publicKey: this.clients.statePublicKey(clientId), problem: null };
    if (vault.kind === 'unsigned') return { publicKey: null, problem: VAULT_RECORD_UNSIGNED };
    const listed = vault.keys.get(clientId);
    if (!listed) return { publicKey: null, problem: CLIENT_NOT_LISTED };
    const stored = this.clients.statePublicKey(clientId);
    if (!stored || !equalBytes(stored, listed))
      return { publicKey: null, problem: CLIENT_KEY_REPLACED };
    return { publicKey: listed, problem: null };
  }

  private check<R extends StateRecord>(subject: string, clientId: string): Check<R> {
    const key = `${subject}|${clientId}`;
    const remembered = this.memo?.get(key);
    if (remembered) return remembered as Check<R>;
    const checked = this.checkNow<R>(subject, clientId);
    this.memo?.set(key, checked);
    return checked;
  }

  /** Seals that verified, by subject: the same bytes under the same key verify again. */
  private readonly verifiedSeals = new Map<
    string,
    { record: string; signature: Uint8Array; publicKey: Uint8Array; signed: StateRecord }
  >();

  /** One signature verification per seal and key, not per listing (the library checks 300). */
  private verifiedBefore(
    subject: string,
    seal: StoredSeal,
    publicKey: Uint8Array,
    signed: StateRecord,
  ): boolean {
    const known = this.verifiedSeals.get(subject);
    if (
      known &&
      known.record === seal.record &&
      equalBytes(known.signature, seal.signature) &&
      equalBytes(known.publicKey, publicKey)
    )
      return true;
    if (!verifyState(publicKey, this.vaultId, signed, seal.signature)) return false;
    this.verifiedSeals.set(subject, {
      record: seal.record!,
      signature: seal.signature,
      publicKey,
      signed,
    });
    return true;
  }

  private checkNow<R extends StateRecord>(subject: string, clientId: string): Check<R> {
    const seal = this.store.get(subject);
    if (!seal?.record) return this.recordsPending() ? { kind: 'legacy' } : { kind: 'unsigned' };
    const known = this.verifiedSeals.get(subject);
    const signed = known?.record === seal.record ? known.signed : recordFromJson(seal.record);
    const { publicKey } = this.clientKeyOf(clientId);
    if (
      !signed ||
      !publicKey ||
      signed.revision !== seal.revision ||
      stateSubjectOf(signed) !== subject ||
      ('clientId' in signed && signed.clientId !== clientId) ||
      !this.verifiedBefore(subject, seal, publicKey, signed)
    )
      return { kind: 'unsigned' };
    const current = this.currentOf(subject, seal.revision);
    if (
      current &&
      equalBytes(stateMessage(this.vaultId, current), stateMessage(this.vaultId, signed))
    )
      return { kind: 'ok', signed: signed as R, revision: seal.revision };
    return {
      kind: 'edited',
      signed: signed as R,
      revision: seal.revision,
      current: current as R | null,
      fields: current ? differingFields(this.vaultId, signed, current) : ['recordings'],
    };
  }

  checkRecording(recordingId: string, clientId: string): Check<RecordingRecord> {
    return this.check<RecordingRecord>(`recording/${recordingId}`, clientId);
  }

  /** The recording's record as signed, when its signature verifies (the rows may differ). */
  signedRecording(recordingId: string, clientId: string): RecordingRecord | null {
    const check = this.checkRecording(recordingId, clientId);
    return check.kind === 'ok' || check.kind === 'edited' ? check.signed : null;
  }

  checkConsent(clientId: string): Check<ConsentRecord> {
    return this.check<ConsentRecord>(`consent/${clientId}`, clientId);
  }

  checkClient(clientId: string): Check<ClientRecord> {
    return this.check<ClientRecord>(`client/${clientId}`, clientId);
  }

  /** The consent events to decide by: the rows, unless their signed record says otherwise. */
  private consentProblem(clientId: string): string | null {
    const keyProblem = this.clientKeyOf(clientId).problem;
    if (keyProblem) return keyProblem;
    const consent = this.checkConsent(clientId);
    if (consent.kind === 'unsigned') return 'consent record missing or not signed by Session Vault';
    if (
      consent.kind === 'edited' &&
      !(consent.current && onlyClosedSince(consent.signed, consent.current))
    )
      return problemOfEdit('consent record', consent.fields);
    const client = this.checkClient(clientId);
    if (client.kind === 'unsigned') return 'client record missing or not signed by Session Vault';
    if (client.kind === 'edited') {
      const versionsOrKeys = client.fields.filter(
        (field) => field === 'consentVersions' || field === 'wrappedKeys',
      );
      if (versionsOrKeys.length > 0) return problemOfEdit('client record', versionsOrKeys);
      if (
        client.signed.consentEventsRevision !== (consent.kind === 'legacy' ? 0 : consent.revision)
      )
        return 'consent record is not the one the client’s signed record lists (an older copy put back)';
    }
    return null;
  }

  private recordingProblem(recordingId: string, clientId: string): string | null {
    const keyProblem = this.clientKeyOf(clientId).problem;
    if (keyProblem) return keyProblem;
    const recording = this.checkRecording(recordingId, clientId);
    if (recording.kind === 'legacy') return null;
    if (recording.kind === 'unsigned')
      return 'recording record missing or not signed by Session Vault';
    if (recording.kind === 'edited') return problemOfEdit('recording record', recording.fields);
    const client = this.checkClient(clientId);
    if (client.kind === 'ok' || client.kind === 'edited') {
      const listed = client.signed.recordings.find((entry) => entry.recordingId === recordingId);
      if (!listed) return 'recording is not in the client’s signed record';
      if (listed.revision !== recording.revision)
        return 'recording record is not the one the client’s signed record lists (an older copy put back)';
    }
    return null;
  }

  /**
   * Why a recording is held (never played, never swept by its row), or null. Raises the alarm,
   * logged once per open, naming the subject and the check that failed.
   */
  recordingHold(recordingId: string, clientId: string): string | null {
    const recordingProblem = this.recordingProblem(recordingId, clientId);
    if (recordingProblem) {
      this.alarms.raise({
        subject: `recording/${recordingId}`,
        clientId,
        problem: recordingProblem,
      });
      return recordingProblem;
    }
    return this.consentHold(clientId);
  }

  /** Why nothing may be recorded or played for the client, or null (alarm raised once). */
  consentHold(clientId: string): string | null {
    const problem = this.consentProblem(clientId);
    if (problem) this.alarms.raise({ subject: `consent/${clientId}`, clientId, problem });
    return problem;
  }

  /**
   * What the sweeper may destroy at `at`, by the signed deadlines: an edited row is named and
   * destroyed at its signed date, never at the date written over it; a record that does not
   * verify holds its recording.
   */
  due(at: number, among?: ReadonlySet<string>): DueRecording[] {
    return this.batch(() => this.dueNow(at, among));
  }

  /**
   * The recordings a sweep at `at` must look at, none of them checked yet: no signature is
   * verified here, so a large sweep can check them a few per turn (`due(at, among)`).
   */
  candidates(at: number): string[] {
    return this.store.dueCandidates(at).map((row) => row.recordingId);
  }

  private dueNow(at: number, among?: ReadonlySet<string>): DueRecording[] {
    const due: DueRecording[] = [];
    // Checked at every sweep, due or not: a client deleted or a key replaced is named while locked.
    this.checkVault();
    for (const row of this.store.dueCandidates(at)) {
      const { recordingId, clientId } = row;
      if (among && !among.has(recordingId)) continue;
      const keyProblem = this.clientKeyOf(clientId).problem;
      if (keyProblem) {
        this.alarms.raise({ subject: `recording/${recordingId}`, clientId, problem: keyProblem });
        continue;
      }
      const check = this.checkRecording(recordingId, clientId);
      if (check.kind === 'legacy') {
        if (row.destroyAfter !== null && row.destroyAfter <= at)
          due.push({ recordingId, clientId, cause: row.destroyCause });
        continue;
      }
      const subject = `recording/${recordingId}`;
      if (check.kind === 'unsigned') {
        this.alarms.raise({
          subject,
          clientId,
          problem: 'recording record missing or not signed by Session Vault',
        });
        continue;
      }
      if (check.kind === 'edited')
        this.alarms.raise({
          subject,
          clientId,
          problem: problemOfEdit('recording record', check.fields),
        });
      if (this.listingProblem(recordingId, clientId, check.revision)) {
        this.alarms.raise({
          subject,
          clientId,
          problem: 'recording record is not the one the client’s signed record lists',
        });
        continue;
      }
      const signed = check.signed;
      if (signed.destroyAfter !== null && signed.destroyAfter <= at)
        due.push({ recordingId, clientId, cause: signed.destroyCause });
    }
    return due;
  }

  private listingProblem(recordingId: string, clientId: string, revision: number): boolean {
    const client = this.checkClient(clientId);
    if (client.kind === 'legacy') return false;
    if (client.kind === 'unsigned') return true;
    const listed = client.signed.recordings.find((entry) => entry.recordingId === recordingId);
    return !listed || listed.revision !== revision;
  }

  // ---- signing (a key holder's writes) ----

  private signIfChanged(subject: string, secretKey: Uint8Array): void {
    const seal = this.store.get(subject);
    const previous = seal?.record ? recordFromJson(seal.record) : null;
    const revision = seal?.revision ?? 0;
    const current = this.currentOf(subject, revision);
    if (!current) return;
    if (
      previous &&
      previous.kind === current.kind &&
      equalBytes(stateMessage(this.vaultId, current), stateMessage(this.vaultId, previous))
    )
      return;
    const next = { ...current, revision: revision + 1 } as StateRecord;
    this.store.put(
      subject,
      next.revision,
      signState(secretKey, this.vaultId, next),
      recordToJson(next),
    );
  }

  private trusted(check: Check<StateRecord>): boolean {
    return check.kind === 'ok' || check.kind === 'legacy';
  }

  /** Opens the client's state secret with their key; null when it is missing or damaged. */
  private stateSecret(clientId: string, clientKey: Uint8Array): Uint8Array | null {
    const keyId = KEY_IDS.clientStateKey(clientId);
    if (!this.keys.has(keyId)) return null;
    try {
      return this.keys.take(keyId, clientKey, new VaultError('VAULT_DAMAGED'));
    } catch (error) {
      if (error instanceof VaultError) return null; // named at the therapist's unlock
      throw error;
    }
  }

  /**
   * Runs a write of the client's bound rows and re-signs, in its transaction, every record it
   * changed. A record that did not verify before the write is never signed by it: an app write
   * must not bless an edit made outside the app.
   */
  change<T>(
    clientId: string,
    clientKey: Uint8Array,
    write: () => T,
    options: {
      newClient?: boolean;
      /** Also accept consent rows closed while locked (a rollback redone): at unlock. */
      acceptClosed?: boolean;
    } = {},
  ): T {
    const secretKey = this.stateSecret(clientId, clientKey);
    if (!secretKey) return write();
    try {
      return this.store.transaction(() => {
        // Checked together before the write (one vault-record check for all of them).
        const { before, consentTrusted, clientTrusted } = this.batch(() => {
          const trustedBefore = new Map<string, boolean>();
          for (const row of this.store.recordingsOf(clientId))
            trustedBefore.set(
              `recording/${row.recordingId}`,
              this.trusted(this.checkRecording(row.recordingId, row.clientId)),
            );
          const consent = this.checkConsent(clientId);
          return {
            before: trustedBefore,
            consentTrusted:
              options.newClient ||
              this.trusted(consent) ||
              (options.acceptClosed === true &&
                consent.kind === 'edited' &&
                consent.current !== null &&
                onlyClosedSince(consent.signed, consent.current)),
            clientTrusted: options.newClient || this.trusted(this.checkClient(clientId)),
          };
        });
        const result = write();
        for (const row of this.store.recordingsOf(clientId)) {
          const subject = `recording/${row.recordingId}`;
          if (before.get(subject) ?? true) this.signIfChanged(subject, secretKey);
        }
        if (consentTrusted) this.signIfChanged(`consent/${clientId}`, secretKey);
        if (clientTrusted) this.signIfChanged(`client/${clientId}`, secretKey);
        return result;
      });
    } finally {
      wipe(secretKey);
    }
  }

  /**
   * Signs the client record as the rows now stand, after its differences were named: used at
   * unlock when recordings were removed outside the app (accepted as destroyed, never undone).
   */
  resignClient(clientId: string, clientKey: Uint8Array): void {
    const secretKey = this.stateSecret(clientId, clientKey);
    if (!secretKey) return;
    try {
      this.signIfChanged(`client/${clientId}`, secretKey);
    } finally {
      wipe(secretKey);
    }
  }

  /** Puts an edited row back to what its valid signed record says. */
  restoreRecording(signed: RecordingRecord): void {
    this.store.restoreRecording(signed.recordingId, signed);
  }

  restoreConsent(signed: ConsentRecord): void {
    this.store.restoreConsentEvents(signed.clientId, signed);
  }

  /** True when the client has no seal at all, nor any consent or recording a seal would bind. */
  nothingBound(clientId: string): boolean {
    return (
      !this.store.get(`client/${clientId}`) &&
      !this.store.get(`consent/${clientId}`) &&
      this.store.recordingsOf(clientId).length === 0 &&
      this.store.consentVersions(clientId).length === 0
    );
  }

  /** Set from the rollback anchor, which knows every record of this vault was signed. */
  private recordsCompletePinned = false;

  /**
   * True while a vault from before signed records waits for its first unlock, and never once the
   * anchor has pinned the records complete: a file set back to pending then was edited, so its
   * rows are not signed as they stand (a missing record reads as unsigned and holds).
   */
  recordsPending(): boolean {
    if (!this.store.recordsPending()) return false;
    if (!this.recordsCompletePinned) return true;
    this.alarms.raise(PENDING_SET_AGAIN);
    return false;
  }

  /**
   * The anchor knows this vault's records are complete. A file that says pending is named (an
   * alarm) and put back; returns true when it was.
   */
  pinRecordsComplete(): boolean {
    this.recordsCompletePinned = true;
    if (!this.store.recordsPending()) return false;
    this.alarms.raise(PENDING_SET_AGAIN);
    this.store.clearRecordsPending();
    return true;
  }

  clearRecordsPending(): void {
    this.store.clearRecordsPending();
  }
}
