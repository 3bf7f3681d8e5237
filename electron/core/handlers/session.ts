// vault.*, session.*, settings.* and audit.*: creating, locking and unlocking the vault, and
// reading the access log.
import { verifyLog } from '../audit/audit-verifier';
import type {
  AuditEntryView,
  ClockStatus,
  IntegrityNotice,
  RollbackNotice,
} from '../../../shared/api';
import { integrityHoldSentence, integrityNoticeSentences } from '../../../shared/errors';
import { signingKeyFingerprint } from '../audit/audit-bundle';
import type { Handlers } from '../dispatch';
import type { CoreContext } from './context';

/** Whole minutes, so a status poll that changes nothing people can see re-renders nothing. */
function clockStatusForPeople(status: ClockStatus): ClockStatus {
  const { behindByMs } = status;
  return {
    ...status,
    behindByMs: behindByMs === null ? null : Math.round(behindByMs / 60_000) * 60_000,
  };
}

function noticeForPeople(notice: RollbackNotice | null): IntegrityNotice | null {
  if (!notice) return null;
  const message = integrityNoticeSentences[notice.kind];
  return { ...notice, message: notice.held ? `${message} ${integrityHoldSentence}` : message };
}

export function sessionHandlers(context: CoreContext) {
  const { lifecycle } = context;
  return {
    'vault.status': () => {
      lifecycle.lockIfIdle(context.recorder.isRecording);
      const problem = lifecycle.unavailableReason;
      const notice = context.anchors.notice;
      return {
        state: lifecycle.state,
        problem: problem ? { code: problem.code, message: problem.message } : null,
        session: lifecycle.current?.info ?? null,
        unlockRetryAfterMs: lifecycle.unlockRetryAfterMs(),
        pendingReview: context.review.pendingStatus(),
        clock: clockStatusForPeople(lifecycle.clock.status()),
        integrity: noticeForPeople(notice),
        reviewMsLeft: lifecycle.reviewMsLeft(),
        idleMsLeft: lifecycle.idleMsLeft(),
        lastLock: lifecycle.state === 'unlocked' ? null : context.lastLock(),
      };
    },
    'vault.confirmAnchor': async () => {
      context.active();
      return noticeForPeople(await context.anchors.confirm());
    },
    'vault.confirmDate': async () => {
      context.active();
      lifecycle.confirmDate();
      await context.destroyer.sweepInTurns('date confirmed');
      return lifecycle.clock.status();
    },
    'vault.integrity': () => {
      const vault = lifecycle.opened();
      const therapist = lifecycle.current?.info.role === 'therapist';
      return {
        alarms: vault.alarms.list().map((alarm) => ({
          ...alarm,
          // Auditors see clients as ids only; the therapist sees a name where the key still opens.
          clientName:
            therapist && alarm.clientId !== null ? context.consent.nameOf(alarm.clientId) : null,
        })),
      };
    },
    'vault.fileCheck': () => context.fileCheck(),
    'vault.create': (request) => ({ ...lifecycle.create(request), deviceName: context.deviceName }),
    'session.unlock': async (request) => {
      const info = await lifecycle.unlock(request.passphrase);
      // The therapist is back: a review that was handed over but not started is withdrawn.
      context.review.cancelPending();
      await context.destroyer.sweepInTurns('unlock');
      return info;
    },
    'session.recover': async (request) => {
      const info = await lifecycle.recover(request.recoveryKey, request.newPassphrase);
      context.review.cancelPending();
      return info;
    },
    'session.changePassphrase': (request) => {
      context.active();
      lifecycle.changePassphrase(request.oldPassphrase, request.newPassphrase);
      return {};
    },
    'session.lock': () => {
      lifecycle.lock('user');
      return {};
    },
    'session.touch': () => {
      context.active();
      return {};
    },
    'settings.practice': () => {
      context.active();
      return lifecycle.practiceDetails();
    },
    'settings.setPractice': (request) => {
      context.active();
      const details = lifecycle.setPracticeDetails(request);
      // An auditor reads the therapist's name from the log's own list, not from MK.
      context.auditors.rememberTherapistName();
      return details;
    },
    'settings.setIdleLock': (request) => {
      context.active();
      return lifecycle.setIdleLockMinutes(request.minutes);
    },
    'audit.recent': (request) => {
      context.active();
      const { secrets } = context.auditors.readerSecrets();
      const vault = lifecycle.opened();
      const entries: AuditEntryView[] = vault.audit.read(secrets, request).map((entry) => ({
        seq: entry.seq,
        at: entry.at,
        actorRole: entry.actorRole,
        actorId: entry.actorId,
        action: entry.action,
        subject: entry.subject,
        outcome: entry.outcome,
        reason: entry.reason,
      }));
      return { entries, total: vault.audit.count() };
    },
    'audit.verify': async () => {
      context.active();
      const { secrets } = context.auditors.readerSecrets();
      return {
        ...(await verifyLog(
          lifecycle.opened().audit,
          lifecycle.path,
          secrets,
          context.auditWorker,
        )),
        signingKeyFingerprint: signingKeyFingerprint(secrets.signing.publicKey),
      };
    },
  } satisfies Partial<Handlers>;
}
