// What the handler groups share: the vault's life, the services built on it, and the clock.
import type { ConsentService } from '../consent-service';
import type { Player } from '../player';
import type { AuditorDesk } from '../auditor-desk';
import type { Recorder } from '../recorder';
import type { ReviewDesk } from '../review';
import type { Destroyer } from '../retention';
import type { VaultLifecycle } from '../vault';

export interface CoreContext {
  lifecycle: VaultLifecycle;
  consent: ConsentService;
  recorder: Recorder;
  player: Player;
  destroyer: Destroyer;
  review: ReviewDesk;
  auditors: AuditorDesk;
  now: () => number;
  /** The person is here: checks the idle lock first, then pushes it back. */
  active(): void;
}
