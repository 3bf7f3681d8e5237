// review.*, auditors.* and the auditor's sign-in: the two ways someone other than the therapist
// uses the laptop.
import type { Handlers } from '../dispatch';
import type { CoreContext } from './context';
import { requireTherapist } from './context';

export function reviewHandlers(context: CoreContext) {
  const { review, auditors, lifecycle, player } = context;
  return {
    'review.start': (request) => {
      requireTherapist(context);
      player.closeAll('handed to the client for review');
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
      player.closeAll('review ended');
      lifecycle.lock('the client ended the review');
      return {};
    },
    'review.reset': (request) => {
      requireTherapist(context);
      review.reset(request.clientId);
      return {};
    },
    'auditors.add': (request) => {
      requireTherapist(context);
      return auditors.add(request.signInName, request.passphrase);
    },
    'auditors.list': () => {
      requireTherapist(context);
      return { auditors: auditors.list() };
    },
    'auditors.remove': (request) => {
      requireTherapist(context);
      auditors.remove(request.auditorId);
      return {};
    },
    'session.unlockAuditor': (request) => auditors.unlock(request.signInName, request.passphrase),
  } satisfies Partial<Handlers>;
}
