// Auditor accounts: the therapist adds one; the auditor signs in with their own passphrase, which
// opens only the audit secrets. An auditor sees the log, never audio, notes, consent or names.
import { refusalReason } from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import { assessPassphrase } from '../../../shared/passphrase';
import { packAuditSecrets, unpackAuditSecrets, type AuditSecrets } from './audit-format';
import { DisplayNameList, type DisplayNames } from './display-names';
import { wipe } from '../platform/crypto';
import { UnlockThrottle } from '../vault/unlock-throttle';
import type { AuditorSession, VaultService } from '../vault/vault-service';

/** One throttle for every auditor name, so trying names teaches nothing. */
const AUDITOR_SUBJECT = 'auditor';

export class AuditorService {
  constructor(
    private readonly lifecycle: VaultService,
    private readonly now: () => number,
  ) {}

  private nameList(): DisplayNameList {
    const vault = this.lifecycle.opened();
    return new DisplayNameList(vault.sealedFields, vault.vaultId);
  }

  /**
   * The names as stored, changed by `change` and written back (in the caller's transaction). A
   * list that does not open is an alarm, and is written again from what is known now.
   */
  private updateNames(secrets: AuditSecrets, change: (names: DisplayNames) => DisplayNames): void {
    const list = this.nameList();
    list.write(secrets, change(this.readNames(list, secrets)), this.now());
  }

  private readNames(list: DisplayNameList, secrets: AuditSecrets): DisplayNames {
    const { names, damaged } = list.read(secrets);
    if (damaged)
      this.lifecycle.opened().alarms.raise({
        subject: 'sealed_fields/audit/display-names',
        clientId: null,
        problem:
          'the list of names for the access log does not open with this vault’s audit key; the log shows ids until the therapist next unlocks',
      });
    return names;
  }

  /**
   * After every therapist unlock (and a change of name): the therapist's name, from what MK opens,
   * goes into the list an auditor can read. The auditors' names stay as they were.
   */
  rememberTherapistName(): void {
    const { vault, auditSecrets, info } = this.lifecycle.unlocked();
    vault.db.transaction(() => {
      this.updateNames(auditSecrets, (names) => ({ ...names, therapist: info.therapistName }));
    })();
  }

  /** The therapist's and auditors' names for the log screen, for whoever holds the audit secrets. */
  names(): { therapist: string | null; auditors: { auditorId: string; name: string }[] } {
    const { secrets } = this.readerSecrets();
    const { therapist, auditors } = this.readNames(this.nameList(), secrets);
    return {
      therapist,
      auditors: Object.entries(auditors).map(([auditorId, name]) => ({ auditorId, name })),
    };
  }

  private throttle(): UnlockThrottle {
    return new UnlockThrottle(
      this.lifecycle.opened().db,
      this.now,
      undefined,
      this.lifecycle.clock,
    );
  }

  add(signInName: string, passphrase: string): { auditorId: string } {
    const { vault, auditSecrets, info } = this.lifecycle.unlocked();
    const names = [signInName, info.practiceName, info.therapistName];
    if (!assessPassphrase(passphrase, names).acceptable) throw new VaultError('WEAK_PASSPHRASE');
    const packed = packAuditSecrets(auditSecrets);
    try {
      let auditorId = '';
      vault.db.transaction(() => {
        auditorId = vault.auditors.add(signInName, passphrase, packed);
        const id = auditorId;
        this.updateNames(auditSecrets, (names) => ({
          therapist: info.therapistName,
          auditors: { ...names.auditors, [id]: signInName.trim() },
        }));
        vault.audit.append({
          actorRole: info.role,
          action: 'auditor.add',
          subject: `auditor:${auditorId}`,
          outcome: 'ok',
        });
      })();
      return { auditorId };
    } finally {
      wipe(packed);
    }
  }

  list(): { auditorId: string; createdAt: number; removedAt: number | null }[] {
    return this.lifecycle.unlocked().vault.auditors.list();
  }

  remove(auditorId: string): void {
    const { vault, info, auditSecrets } = this.lifecycle.unlocked();
    vault.db.transaction(() => {
      // Written again, and the removed auditor stays in it: the log still names them.
      this.updateNames(auditSecrets, (names) => ({ ...names, therapist: info.therapistName }));
      vault.audit.append({
        actorRole: info.role,
        action: 'auditor.remove',
        subject: `auditor:${auditorId}`,
        outcome: 'ok',
      });
      vault.auditors.remove(auditorId);
    })();
  }

  unlock(signInName: string, passphrase: string) {
    const vault = this.lifecycle.opened();
    const throttle = this.throttle();
    const retryAfterMs = throttle.retryAfterMs(AUDITOR_SUBJECT);
    if (retryAfterMs > 0) {
      vault.audit.append({
        actorRole: 'unknown',
        action: 'auditor.unlock',
        outcome: 'refused',
        reason: refusalReason.unlockDelayed,
      });
      throw new VaultError('UNLOCK_DELAYED', undefined, { retryAfterMs });
    }
    let opened: { auditorId: string; auditSecretBytes: Uint8Array };
    try {
      opened = vault.auditors.unlock(signInName, passphrase);
    } catch (error) {
      if (!(error instanceof VaultError) || error.code !== 'WRONG_CREDENTIAL') throw error;
      throttle.recordFailure(AUDITOR_SUBJECT);
      vault.audit.append({
        actorRole: 'unknown',
        action: 'auditor.unlock',
        outcome: 'refused',
        reason: 'wrong name or passphrase',
      });
      const wait = throttle.retryAfterMs(AUDITOR_SUBJECT);
      throw new VaultError(
        'WRONG_CREDENTIAL',
        undefined,
        wait > 0 ? { retryAfterMs: wait } : undefined,
      );
    }
    const auditSecrets = unpackAuditSecrets(opened.auditSecretBytes);
    wipe(opened.auditSecretBytes);
    const session: AuditorSession = {
      kind: 'auditor',
      auditorId: opened.auditorId,
      auditSecrets,
      lastActivityMark: this.lifecycle.clock.mark(),
      info: {
        role: 'auditor',
        practiceName: '',
        therapistName: '',
        idleLockMinutes: this.lifecycle.idleLockMinutes(),
        review: null,
        auditorId: opened.auditorId,
      },
    };
    try {
      vault.db.transaction(() => {
        throttle.clear(AUDITOR_SUBJECT);
        vault.audit.append({
          actorRole: 'auditor',
          actorId: `auditor:${opened.auditorId}`,
          action: 'auditor.unlock',
          outcome: 'ok',
        });
        vault.audit.checkpoint(auditSecrets);
        // An auditor added before the list existed is named from their own sign-in.
        const list = this.nameList();
        const known = this.readNames(list, auditSecrets);
        if (!Object.hasOwn(known.auditors, opened.auditorId))
          list.write(
            auditSecrets,
            { ...known, auditors: { ...known.auditors, [opened.auditorId]: signInName.trim() } },
            this.now(),
          );
      })();
      this.lifecycle.beginOtherSession(session);
    } catch (error) {
      // The session never started: its keys are this function's to wipe.
      wipe(auditSecrets.box.secretKey);
      wipe(auditSecrets.signing.secretKey);
      throw error;
    }
    return session.info;
  }

  /** The audit secrets of whoever may read the log now: the therapist or an auditor. */
  readerSecrets() {
    const other = this.lifecycle.otherSession;
    if (other?.kind === 'auditor')
      return {
        secrets: other.auditSecrets,
        role: 'auditor' as const,
        actorId: `auditor:${other.auditorId}`,
      };
    const { auditSecrets } = this.lifecycle.unlocked();
    return { secrets: auditSecrets, role: 'therapist' as const, actorId: null };
  }
}
