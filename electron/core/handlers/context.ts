// What the handler groups share: the vault's life, the services built on it, and the clock.
import type { Actor } from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import type { ConsentService } from '../consent-service';
import type { Player } from '../player';
import type { Recorder } from '../recorder';
import type { Destroyer } from '../retention';
import type { VaultLifecycle } from '../vault';

export interface CoreContext {
  lifecycle: VaultLifecycle;
  consent: ConsentService;
  recorder: Recorder;
  player: Player;
  destroyer: Destroyer;
  now: () => number;
  /** The person is here: checks the idle lock first, then pushes it back. */
  active(): void;
}

/** The signed-in person as the consent policy sees them. */
export function currentActor(context: CoreContext): Actor {
  const { info } = context.lifecycle.unlocked();
  if (info.role === 'therapist') return { role: 'therapist', id: 'therapist' };
  throw new VaultError('NOT_ALLOWED');
}

/** Only the therapist may do this. */
export function requireTherapist(context: CoreContext): Actor {
  context.active();
  const actor = currentActor(context);
  if (actor.role !== 'therapist') throw new VaultError('NOT_ALLOWED');
  return actor;
}
