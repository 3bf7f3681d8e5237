// The vault's life: absent, unavailable, locked, unlocked. Holds the master key only while
// unlocked and wipes it on lock. Every unlock, failure, lock and recovery is logged first.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  practiceDetailsSchema,
  type AuditAction,
  type PracticeDetails,
  type SessionInfo,
} from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import { assessPassphrase } from '../../../shared/passphrase';
import { unpackAuditSecrets, type AuditEvent, type AuditSecrets } from '../audit/audit-format';
import { utf8, wipe } from '../platform/crypto';
import { VAULT_FILE_NAME, checkpointAndTruncateWal, openVaultDb } from '../platform/db';
import { VaultClock } from '../platform/vault-clock';
import { VaultInUseError, acquireVaultLock, type VaultLock } from '../platform/vault-lock';
import {
  recoverInterruptedRecordings,
  sealInterruptedRecordings,
} from '../recording/interrupted-recordings';
import { KEY_IDS, normalizeRecoveryKey, wrapWithSecret, type KdfCost } from './key-store';
import type { ChunkStorage } from '../recording/recording-row-store';
import { attachVault, type OpenVault } from './open-vault';
import { reconcileSignedState } from './state-reconcile';
import { BackgroundTurns } from '../platform/background-turns';
import { deriveOnMain, type DeriveKek } from '../platform/kdf';
import { checkStateKeys } from './state-keys';
import { THERAPIST, refuseWhileDelayed, unwrapMasterKeyOffMain } from './unlock-attempts';
import { changePassphrase } from './change-passphrase';
import { DEFAULT_IDLE_LOCK_MINUTES, initialiseVault } from './initialise-vault';

export { DEFAULT_IDLE_LOCK_MINUTES };

const storedPracticeDetails = practiceDetailsSchema.omit({
  practiceName: true,
  therapistName: true,
});

export type { AuditorSession, OtherSession, ReviewSession, UnlockedSession } from './sessions';
import type { OtherSession, UnlockedSession } from './sessions';

export class VaultService {
  private vault: OpenVault | null = null;
  private problem: VaultError | null = null;
  private session: UnlockedSession | null = null;
  private other: OtherSession | null = null;
  /**
   * A therapist unlock whose secret was right and whose checks of each client's signed records
   * are still running, turn by turn: no one is signed in meanwhile. A lock, another unlock or a
   * client's or auditor's session cancels it, and its master key is wiped at once.
   */
  private unlocking: { masterKey: Uint8Array; cancelled: boolean } | null = null;
  /** The therapist's tries with a secret, one after another (oneTry). */
  private tries: Promise<unknown> = Promise.resolve();
  private readonly lockListeners = new Set<(reason: string) => void>();
  private readonly unlockListeners = new Set<() => void>();
  private folderLock: VaultLock | null = null;
  readonly path: string;

  /**
   * `clock` decides idle time, review limits and unlock delays (monotonic) and retention time;
   * `now` should be its now(). Built without one, both run on `now` (older unit tests).
   */
  constructor(
    dataDir: string,
    private readonly now: () => number,
    private readonly kdfCost: KdfCost,
    /** Kept outside the vault folder; keys the wrapped keys' integrity tags. */
    private readonly deviceSecret: Uint8Array,
    readonly clock: VaultClock = new VaultClock({ wallNow: now, monotonicNow: now }),
    /** Where new recordings keep their chunks (CoreOptions.newRecordingStorage). */
    private readonly newRecordingStorage: ChunkStorage = 'file',
    /** Main's one background queue (createCore's): the unlock's checks run in its turns. */
    private readonly turns: BackgroundTurns = new BackgroundTurns(),
    /** Where the unlock's Argon2id runs: a worker thread in the app (platform/kdf.ts). */
    private readonly derive: DeriveKek = deriveOnMain,
  ) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    this.path = join(dataDir, VAULT_FILE_NAME);
    // Taken before the file is opened for writing: a second process stops here, having written nothing.
    try {
      this.folderLock = acquireVaultLock(dataDir);
    } catch (error) {
      this.problem =
        error instanceof VaultInUseError
          ? new VaultError('VAULT_IN_USE', undefined, { cause: error })
          : new VaultError('VAULT_DAMAGED', undefined, { cause: error });
      return;
    }
    try {
      this.vault = attachVault(
        openVaultDb(this.path, { create: false }),
        this.now,
        this.kdfCost,
        this.deviceSecret,
        this.clock,
        this.newRecordingStorage,
      );
      // Before anything is written with it: time starts from the newest the vault has seen. The
      // anchor's newestTime, read from the keychain at open, raises it (AnchorKeeper.check).
      this.clock.seed(this.vault.audit.newestSignedTime());
      recoverInterruptedRecordings(this.opened());
    } catch (error) {
      if (!(error instanceof VaultError) || error.code !== 'NO_VAULT')
        this.problem =
          error instanceof VaultError
            ? error
            : new VaultError('VAULT_DAMAGED', undefined, { cause: error });
    }
  }

  get state(): 'absent' | 'locked' | 'unlocked' | 'unavailable' {
    if (this.problem) return 'unavailable';
    if (!this.vault) return 'absent';
    return this.session || this.other ? 'unlocked' : 'locked';
  }

  get unavailableReason(): VaultError | null {
    return this.problem;
  }

  /** Whoever is signed in: therapist, client in review, or auditor. */
  get current(): { info: SessionInfo } | null {
    return this.session ?? this.other;
  }

  /** The client review or auditor session, if that is who is signed in. */
  get otherSession(): OtherSession | null {
    return this.other;
  }

  /** Starts a client review or auditor session (the therapist's is locked first). */
  beginOtherSession(session: OtherSession): void {
    this.cancelUnlocking('user');
    if (this.session) this.lock('user');
    if (this.other) this.lock('user');
    this.other = session;
  }

  opened(): OpenVault {
    if (this.problem) throw this.problem;
    if (!this.vault) throw new VaultError('NO_VAULT');
    return this.vault;
  }

  /** The therapist's session. A client or auditor session is refused here, whatever they ask. */
  unlocked(): UnlockedSession & { vault: OpenVault } {
    const vault = this.opened();
    if (this.other) throw new VaultError('NOT_ALLOWED');
    if (!this.session) throw new VaultError('VAULT_LOCKED');
    return { ...this.session, vault };
  }

  /** Appends an entry while the vault may be locked; fails closed. */
  log(event: AuditEvent): void {
    this.opened().audit.append(event);
  }

  unlockRetryAfterMs(): number {
    return this.vault ? this.vault.throttle.retryAfterMs(THERAPIST) : 0;
  }

  idleLockMinutes(): number {
    const minutes = Number(this.opened().settings.get('idleLockMinutes') ?? undefined);
    return Number.isInteger(minutes) && minutes >= 1 && minutes <= 60
      ? minutes
      : DEFAULT_IDLE_LOCK_MINUTES;
  }

  create(request: { practiceName: string; therapistName: string; passphrase: string }): {
    recoveryKey: string;
    session: SessionInfo;
  } {
    if (this.problem) throw this.problem;
    if (this.vault) throw new VaultError('VAULT_EXISTS');
    if (
      !assessPassphrase(request.passphrase, [request.practiceName, request.therapistName])
        .acceptable
    )
      throw new VaultError('WEAK_PASSPHRASE');
    const db = openVaultDb(this.path, { create: true });
    let created: ReturnType<typeof initialiseVault>;
    try {
      created = initialiseVault(db, request, this.kdfCost, this.now, this.deviceSecret);
    } catch (error) {
      // Nothing was ever stored in it: take the half-made file away so the next try starts clean.
      db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.path}${suffix}`, { force: true });
      throw error;
    }
    const { masterKey, recoveryKey, auditSecrets } = created;
    this.vault = attachVault(
      db,
      this.now,
      this.kdfCost,
      this.deviceSecret,
      this.clock,
      this.newRecordingStorage,
    );
    this.session = this.startSession(masterKey, auditSecrets);
    this.tellUnlocked();
    return { recoveryKey, session: this.session.info };
  }

  private startSession(masterKey: Uint8Array, auditSecrets: AuditSecrets): UnlockedSession {
    const { sealedFields } = this.opened();
    return {
      masterKey,
      auditSecrets,
      lastActivityMark: this.clock.mark(),
      info: {
        role: 'therapist',
        practiceName: sealedFields.read(masterKey, 'practiceName'),
        therapistName: sealedFields.read(masterKey, 'therapistName'),
        idleLockMinutes: this.idleLockMinutes(),
        review: null,
        auditorId: null,
      },
    };
  }

  /**
   * The secret was right: whoever was signed in is signed out, then in one transaction `change`
   * (a recovery's new passphrase) is written with the log entry and a checkpoint. Each client's
   * signed records are checked in turns of main (state-reconcile.ts), and only then does the
   * therapist's session start. On any failure, or a lock meanwhile, every key is wiped.
   */
  private async finishUnlock(
    masterKey: Uint8Array,
    action: AuditAction,
    reason: string | null,
    change: () => void = () => undefined,
  ): Promise<SessionInfo> {
    let secretBytes: Uint8Array | null = null;
    let auditSecrets: AuditSecrets | null = null;
    const attempt = { masterKey, cancelled: false };
    try {
      // The app may have closed while the KDF ran.
      const vault = this.opened();
      secretBytes = vault.keys.take(
        KEY_IDS.auditSecrets,
        masterKey,
        new VaultError('VAULT_DAMAGED'),
      );
      auditSecrets = unpackAuditSecrets(secretBytes);
      this.cancelUnlocking('user');
      if (this.session || this.other) this.lock('user');
      const secrets = auditSecrets;
      vault.db.transaction(() => {
        change();
        // A copy moved from another computer: the passphrase proved it, so its keys take this
        // device's tags and a later swap here reads as damage.
        if (vault.keys.tagOwner() === 'other-device') vault.keys.tagRows('other-device');
        vault.throttle.clear(THERAPIST);
        vault.audit.append({ actorRole: 'therapist', action, outcome: 'ok', reason });
        vault.audit.checkpoint(secrets);
      })();
      checkStateKeys(vault, masterKey);
      this.unlocking = attempt;
      try {
        await reconcileSignedState(
          vault,
          masterKey,
          this.now,
          this.turns,
          () => !attempt.cancelled,
        );
      } catch (error) {
        if (attempt.cancelled) throw new VaultError('VAULT_LOCKED', undefined, { cause: error });
        throw error;
      }
      if (attempt.cancelled) throw new VaultError('VAULT_LOCKED');
      this.unlocking = null;
      this.session = this.startSession(masterKey, auditSecrets);
      auditSecrets = null;
      sealInterruptedRecordings(
        this.opened(),
        masterKey,
        this.session.auditSecrets.signing.secretKey,
      );
      this.tellUnlocked();
      return this.session.info;
    } catch (error) {
      if (this.unlocking === attempt) this.unlocking = null;
      if (this.session?.masterKey !== masterKey) wipe(masterKey);
      if (auditSecrets) {
        wipe(auditSecrets.box.secretKey);
        wipe(auditSecrets.signing.secretKey);
      }
      throw error;
    } finally {
      wipe(secretBytes);
    }
  }

  /**
   * An unlock still checking records is given up: its key is wiped now, and the log says the
   * vault locked (its `session.unlock` entry is already written).
   */
  private cancelUnlocking(reason: string): void {
    const attempt = this.unlocking;
    if (!attempt) return;
    this.unlocking = null;
    attempt.cancelled = true;
    wipe(attempt.masterKey);
    this.logLock({ actorRole: 'therapist', action: 'session.lock', outcome: 'ok', reason });
  }

  /**
   * One try with a secret, after any before it has answered: the delay is checked, then the KDF
   * runs off main and the master key is unwrapped. Tries sent together would otherwise all pass
   * the throttle before the first failure was counted (and each take the KDF's memory at once).
   */
  private oneTry(
    action: 'session.unlock' | 'session.recover',
    keyId: string,
    secret: string,
    wrong: VaultError,
  ): Promise<Uint8Array> {
    const attempt = () => {
      refuseWhileDelayed(this.opened(), action);
      return unwrapMasterKeyOffMain(this.opened(), action, keyId, secret, wrong, this.derive);
    };
    const run = this.tries.then(attempt, attempt);
    this.tries = run.catch(() => undefined);
    return run;
  }

  async unlock(passphrase: string): Promise<SessionInfo> {
    // Whoever is signed in stays signed in until the passphrase proves right.
    const masterKey = await this.oneTry(
      'session.unlock',
      KEY_IDS.therapistMasterKey,
      passphrase,
      new VaultError('WRONG_PASSPHRASE'),
    );
    return this.finishUnlock(masterKey, 'session.unlock', null);
  }

  /** Emergency access: the recovery key opens the vault and a new passphrase replaces the old. */
  async recover(recoveryKey: string, newPassphrase: string): Promise<SessionInfo> {
    if (!assessPassphrase(newPassphrase).acceptable) throw new VaultError('WEAK_PASSPHRASE');
    const masterKey = await this.oneTry(
      'session.recover',
      KEY_IDS.recoveryMasterKey,
      normalizeRecoveryKey(recoveryKey) ?? recoveryKey,
      new VaultError('WRONG_RECOVERY_KEY'),
    );
    // The new passphrase, the log entry and the checkpoint land together or not at all.
    return this.finishUnlock(
      masterKey,
      'session.recover',
      'emergency access: passphrase replaced',
      () =>
        wrapWithSecret(
          this.opened().keys,
          KEY_IDS.therapistMasterKey,
          utf8.encode(newPassphrase),
          masterKey,
          this.kdfCost,
        ),
    );
  }

  /** The signed-in therapist replaces the passphrase, proving the old one first. */
  changePassphrase(oldPassphrase: string, newPassphrase: string): void {
    const { vault, masterKey, info } = this.unlocked();
    changePassphrase(
      vault,
      { masterKey, names: [info.practiceName, info.therapistName] },
      { oldPassphrase, newPassphrase },
      this.kdfCost,
    );
  }

  touch(): void {
    const current = this.session ?? this.other;
    if (current) current.lastActivityMark = this.clock.mark();
  }

  /** How long the client's review has left by monotonic time; null when no review is open. */
  reviewMsLeft(): number | null {
    const other = this.other;
    if (other?.kind !== 'client') return null;
    return Math.max(0, Math.round(other.maxMs - this.clock.elapsedSince(other.startMark)));
  }

  /** How long until the signed-in session locks for being idle (monotonic); null when locked. */
  idleMsLeft(): number | null {
    const current = this.other ?? this.session;
    if (!current) return null;
    const idleMs = current.info.idleLockMinutes * 60_000;
    return Math.max(0, Math.round(idleMs - this.clock.elapsedSince(current.lastActivityMark)));
  }

  /** Locks when the idle deadline (or a review's maximum length) has passed. True if it locked. */
  lockIfIdle(busy = false): boolean {
    const other = this.other;
    if (other) {
      // Monotonic time: a clock set back must not keep a review open or a laptop unlocked.
      if (other.kind === 'client' && this.clock.elapsedSince(other.startMark) >= other.maxMs) {
        this.lock('review time is up');
        return true;
      }
      if (this.clock.elapsedSince(other.lastActivityMark) < other.info.idleLockMinutes * 60_000)
        return false;
      this.lock('idle');
      return true;
    }
    if (!this.session) return false;
    // A therapist in a recorded session does not touch the laptop for an hour: that is not idle.
    if (busy) {
      this.session.lastActivityMark = this.clock.mark();
      return false;
    }
    const idleMs = this.session.info.idleLockMinutes * 60_000;
    if (this.clock.elapsedSince(this.session.lastActivityMark) < idleMs) return false;
    this.lock('idle');
    return true;
  }

  /**
   * The therapist confirms the date the laptop shows after a forward leap: logged first, then
   * destruction by date runs on from it (the caller sweeps).
   */
  confirmDate(): void {
    const { vault, info } = this.unlocked();
    const { heldAt } = this.clock.status();
    vault.audit.append({
      actorRole: info.role,
      action: 'clock.confirm',
      outcome: 'ok',
      reason:
        heldAt === null
          ? 'no date was held'
          : `date confirmed: ${new Date(this.now()).toISOString()}`,
    });
    this.clock.confirmDate();
  }

  /** The practice's address, phone and the therapist's licence, sealed; names from the session. */
  practiceDetails(): PracticeDetails {
    const { vault, masterKey, info } = this.unlocked();
    const sealed = vault.sealedFields.readIfSet(masterKey, 'practiceDetails');
    const stored = sealed === null ? null : storedPracticeDetails.safeParse(JSON.parse(sealed));
    if (stored && !stored.success) throw new VaultError('VAULT_DAMAGED');
    const details = stored?.data ?? {
      address: '',
      phone: '',
      licence: { kind: '', number: '', jurisdiction: '' },
    };
    return { practiceName: info.practiceName, therapistName: info.therapistName, ...details };
  }

  setPracticeDetails(details: PracticeDetails): PracticeDetails {
    const { vault, masterKey, info } = this.unlocked();
    const { practiceName, therapistName, ...rest } = details;
    const at = this.now();
    vault.db.transaction(() => {
      vault.audit.append({
        actorRole: info.role,
        action: 'settings.change',
        subject: 'practiceDetails',
        outcome: 'ok',
      });
      vault.sealedFields.write(masterKey, 'practiceName', practiceName, at);
      vault.sealedFields.write(masterKey, 'therapistName', therapistName, at);
      vault.sealedFields.write(masterKey, 'practiceDetails', JSON.stringify(rest), at);
    })();
    this.session!.info = { ...info, practiceName, therapistName };
    return this.practiceDetails();
  }

  setIdleLockMinutes(minutes: number): SessionInfo {
    const { vault, info } = this.unlocked();
    vault.db.transaction(() => {
      vault.audit.append({
        actorRole: info.role,
        action: 'settings.change',
        subject: 'idleLockMinutes',
        outcome: 'ok',
      });
      vault.settings.set('idleLockMinutes', String(minutes));
    })();
    this.session!.info = { ...info, idleLockMinutes: minutes };
    return this.session!.info;
  }

  /** Calls `listener` after the vault is created and after every therapist unlock; returns a stop. */
  onUnlock(listener: () => void): () => void {
    this.unlockListeners.add(listener);
    return () => this.unlockListeners.delete(listener);
  }

  private tellUnlocked(): void {
    for (const listener of this.unlockListeners) {
      try {
        listener();
      } catch {
        // The unlock stands; a listener's failure is its own to log.
      }
    }
  }

  /** Calls `listener` after every lock that ended a session, keys already wiped; returns a stop. */
  onLock(listener: (reason: string) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /**
   * Ends whoever is signed in. Locking never fails open: the session ends and the keys go even
   * when the log entry cannot be written (a full disk loses the entry, not the lock). Then the
   * listeners (open playbacks) let go of what they hold.
   */
  lock(reason: string): void {
    this.cancelUnlocking(reason);
    const other = this.other;
    const session = this.session;
    if (!other && !session) return;
    this.other = null;
    this.session = null;
    try {
      if (other)
        this.logLock({
          actorRole: other.info.role,
          actorId: other.kind === 'client' ? other.clientId : `auditor:${other.auditorId}`,
          action: other.kind === 'client' ? 'review.end' : 'session.lock',
          outcome: 'ok',
          reason,
        });
      if (session)
        this.logLock({
          actorRole: session.info.role,
          action: 'session.lock',
          outcome: 'ok',
          reason,
        });
    } finally {
      this.vault?.audit.rotateEpoch();
      if (other?.kind === 'client') wipe(other.clientKey);
      if (other?.kind === 'auditor') {
        wipe(other.auditSecrets.box.secretKey);
        wipe(other.auditSecrets.signing.secretKey);
      }
      if (session) {
        wipe(session.masterKey);
        wipe(session.auditSecrets.box.secretKey);
        wipe(session.auditSecrets.signing.secretKey);
      }
      for (const listener of this.lockListeners) {
        try {
          listener(reason);
        } catch {
          // One listener's failure must not keep another's keys.
        }
      }
    }
  }

  private logLock(event: AuditEvent): void {
    try {
      this.vault?.audit.append(event);
    } catch {
      // The lock stands without its entry.
    }
  }

  /** Locks and closes the file. Never throws: on a full disk the log entry may be lost, not the lock. */
  close(): void {
    try {
      this.lock('quit');
    } catch {
      // The keys are already wiped (lock() wipes in `finally`).
    }
    if (this.vault) {
      try {
        checkpointAndTruncateWal(this.vault.db);
      } catch {
        // The WAL stays; SQLite folds it in on the next open.
      }
      this.vault.db.close();
      this.vault = null;
    }
    this.folderLock?.release();
    this.folderLock = null;
  }
}
