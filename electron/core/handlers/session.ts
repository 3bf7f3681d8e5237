// vault.*, session.*, settings.* and audit.*: creating, locking and unlocking the vault, and
// reading the access log.
import type { AuditEntryView } from '../../../shared/api';
import { signingKeyFingerprint } from '../audit/audit-bundle';
import type { Handlers } from '../dispatch';
import type { CoreContext } from './context';

export function sessionHandlers(context: CoreContext) {
  const { lifecycle } = context;
  return {
    'vault.status': () => {
      lifecycle.lockIfIdle(context.recorder.isRecording);
      const problem = lifecycle.unavailableReason;
      return {
        state: lifecycle.state,
        problem: problem ? { code: problem.code, message: problem.message } : null,
        session: lifecycle.current?.info ?? null,
        unlockRetryAfterMs: lifecycle.unlockRetryAfterMs(),
        pendingReview: context.review.pendingStatus(),
      };
    },
    'vault.integrity': () => context.integrity(),
    'vault.create': (request) => lifecycle.create(request),
    'session.unlock': (request) => {
      const info = lifecycle.unlock(request.passphrase);
      // The therapist is back: a review that was handed over but not started is withdrawn.
      context.review.cancelPending();
      context.destroyer.sweep('unlock');
      return info;
    },
    'session.recover': (request) => {
      const info = lifecycle.recover(request.recoveryKey, request.newPassphrase);
      context.review.cancelPending();
      return info;
    },
    'session.lock': () => {
      lifecycle.lock('user');
      return {};
    },
    'session.touch': () => {
      context.active();
      return {};
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
        ...(await lifecycle.opened().audit.verifyInSlices(secrets)),
        signingKeyFingerprint: signingKeyFingerprint(secrets.signing.publicKey),
      };
    },
  } satisfies Partial<Handlers>;
}
