// review.*, auditors.* and the auditor's sign-in: the two ways someone other than the therapist
// uses the laptop.
import type { AuditAction } from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import type { Handlers } from '../dispatch';
import type { CoreContext } from './context';

export function reviewHandlers(context: CoreContext) {
  const { review, auditors, lifecycle, recorder } = context;
  /** A running recording would go on recording whoever has the laptop next. */
  const refuseWhileRecording = (action: AuditAction, actorRole: 'therapist' | 'unknown') => {
    if (!recorder.isRecording) return;
    lifecycle.log({ actorRole, action, outcome: 'refused', reason: 'a recording is running' });
    throw new VaultError(
      'NOT_ALLOWED',
      'A session is being recorded on this laptop. Stop the recording first.',
    );
  };
  return {
    'review.start': (request) => {
      context.active();
      refuseWhileRecording('review.start', 'therapist');
      review.start(request.clientId, request.maxMinutes);
      return {};
    },
    'review.unlock': (request) => review.unlock(request.pin),
    'review.acknowledge': () => {
      context.active();
      return review.acknowledge();
    },
    'review.library': () => {
      context.active();
      return review.library();
    },
    'review.revoke': () => {
      context.active();
      return review.revoke();
    },
    'review.end': () => {
      review.session();
      lifecycle.lock('the client ended the review');
      return {};
    },
    'review.reset': (request) => {
      context.active();
      review.reset(request.clientId);
      return {};
    },
    'auditors.add': (request) => {
      context.active();
      return auditors.add(request.signInName, request.passphrase);
    },
    'auditors.list': () => {
      context.active();
      return { auditors: auditors.list() };
    },
    'auditors.remove': (request) => {
      context.active();
      auditors.remove(request.auditorId);
      return {};
    },
    'session.unlockAuditor': (request) => {
      refuseWhileRecording('auditor.unlock', 'unknown');
      const info = auditors.unlock(request.signInName, request.passphrase);
      // Whoever signs in takes the laptop: a hand-over nobody finished is withdrawn.
      review.cancelPending();
      return info;
    },
  } satisfies Partial<Handlers>;
}
