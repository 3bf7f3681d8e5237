// What the handler groups share: the vault's life, the services built on it, and the clock.
import type { Actor } from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import type { ConsentService } from '../consent/consent-service';
import type { Player } from '../playback/player';
import type { AuditorService } from '../audit/auditor-service';
import type { Recorder } from '../recording/recorder';
import type { ReviewService } from '../review/review-service';
import type { Destroyer } from '../retention/destroyer';
import type { VaultService } from '../vault/vault-service';

export interface CoreContext {
  lifecycle: VaultService;
  consent: ConsentService;
  recorder: Recorder;
  player: Player;
  destroyer: Destroyer;
  review: ReviewService;
  auditors: AuditorService;
  now: () => number;
  /** The person is here: checks the idle lock first, then pushes it back. */
  active(): void;
}

/** The signed-in person as the consent policy sees them. */
export function currentActor(context: CoreContext): Actor {
  const other = context.lifecycle.otherSession;
  if (other?.kind === 'client')
    return { role: 'client', id: other.clientId, clientId: other.clientId };
  if (other?.kind === 'auditor') return { role: 'auditor', id: `auditor:${other.auditorId}` };
  context.lifecycle.unlocked();
  return { role: 'therapist', id: 'therapist' };
}

/** Only the therapist may do this. */
export function requireTherapist(context: CoreContext): Actor {
  context.active();
  const actor = currentActor(context);
  if (actor.role !== 'therapist') throw new VaultError('NOT_ALLOWED');
  return actor;
}
