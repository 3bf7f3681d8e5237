// Client review mode. The therapist hands the laptop over for one client: the therapist's session
// locks, and only that client's PIN (mixed with the device secret) opens only that client's key.
// Wrong PINs wait longer each time and lock the review after REVIEW_MAX_FAILURES.
import { refusalReason, type RecordingSummary } from '../../../shared/api';
import { describeListeners, revocationDestroysAll, type Actor } from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import {
  REVIEW_IDLE_MINUTES,
  REVIEW_MAX_FAILURES,
  reviewDelayMs,
} from '../../../shared/review-policy';
import type { ConsentService } from '../consent/consent-service';
import { recordingSummaries } from '../playback/recording-summaries';
import { wipe } from '../platform/crypto';
import { UnlockThrottle } from '../vault/unlock-throttle';
import { DamagedKeyError, KEY_IDS } from '../vault/key-store';
import { alarmDamagedKey } from '../vault/unlock-attempts';
import type { ReviewSession, VaultService } from '../vault/vault-service';

interface PendingReview {
  clientId: string;
  displayName: string;
  maxMinutes: number;
}

const subjectOf = (clientId: string) => `review:${clientId}`;

export class ReviewService {
  private pending: PendingReview | null = null;

  constructor(
    private readonly lifecycle: VaultService,
    private readonly consent: ConsentService,
    private readonly now: () => number,
    private readonly deviceSecret: Uint8Array,
  ) {}

  private throttle(): UnlockThrottle {
    return new UnlockThrottle(
      this.lifecycle.opened().db,
      this.now,
      reviewDelayMs,
      this.lifecycle.clock,
    );
  }

  pendingStatus() {
    if (!this.pending || this.lifecycle.state !== 'locked') return null;
    const throttle = this.throttle();
    const failures = throttle.failures(subjectOf(this.pending.clientId));
    return {
      clientId: this.pending.clientId,
      displayName: this.pending.displayName,
      retryAfterMs: throttle.retryAfterMs(subjectOf(this.pending.clientId)),
      failures,
      locked: failures >= REVIEW_MAX_FAILURES,
    };
  }

  /** The therapist starts a review for one client: their own session locks first. */
  start(clientId: string, maxMinutes: number): void {
    const { vault, info } = this.lifecycle.unlocked();
    if (!vault.keys.has(`ck/${clientId}/credential`))
      throw new VaultError(
        'NOT_ALLOWED',
        'This client has no PIN yet. Set one when signing their consent.',
      );
    if (this.throttle().failures(subjectOf(clientId)) >= REVIEW_MAX_FAILURES)
      throw new VaultError(
        'NOT_ALLOWED',
        'This client’s review is locked after too many wrong PINs. Unlock it first.',
      );
    const displayName = this.consent.summary(clientId).displayName;
    vault.audit.append({
      actorRole: info.role,
      action: 'review.start',
      subject: clientId,
      outcome: 'ok',
      reason: `at most ${maxMinutes} minutes`,
    });
    this.lifecycle.lock('handed to the client for review');
    this.pending = { clientId, displayName, maxMinutes };
  }

  /** The client's PIN opens their client key, or the wait grows. */
  unlock(pin: string) {
    const pending = this.pending;
    if (!pending || this.lifecycle.state !== 'locked')
      throw new VaultError(
        'NOT_ALLOWED',
        'No review was started. Ask your therapist to start one.',
      );
    const vault = this.lifecycle.opened();
    const throttle = this.throttle();
    const subject = subjectOf(pending.clientId);
    const refuse = (code: 'REVIEW_LOCKED' | 'UNLOCK_DELAYED' | 'WRONG_PIN', reason: string) => {
      vault.audit.append({
        actorRole: 'unknown',
        action: 'review.unlock',
        subject: pending.clientId,
        outcome: 'refused',
        reason,
      });
      const retryAfterMs = throttle.retryAfterMs(subject);
      return new VaultError(code, undefined, retryAfterMs > 0 ? { retryAfterMs } : undefined);
    };
    if (throttle.failures(subject) >= REVIEW_MAX_FAILURES)
      throw refuse('REVIEW_LOCKED', 'review locked');
    if (throttle.retryAfterMs(subject) > 0)
      throw refuse('UNLOCK_DELAYED', refusalReason.unlockDelayed);
    let clientKey: Uint8Array;
    try {
      clientKey = vault.clients.keyForClient(pending.clientId, pin, this.deviceSecret);
    } catch (error) {
      if (error instanceof DamagedKeyError) {
        // A swapped PIN-wrapped key is damage: never a wrong PIN, never a step toward a lockout.
        vault.audit.append({
          actorRole: 'unknown',
          action: 'review.unlock',
          subject: pending.clientId,
          outcome: 'failed',
          reason: 'wrapped key damaged',
        });
        alarmDamagedKey(vault, KEY_IDS.clientByCredential(pending.clientId), pending.clientId);
        throw new VaultError(
          'KEY_DAMAGED',
          'Your key in the vault was changed outside Session Vault, so it was not used. This is not a wrong PIN, and the try was not counted. Hand the laptop back to your therapist.',
        );
      }
      if (!(error instanceof VaultError) || error.code !== 'WRONG_PIN') throw error;
      throttle.recordFailure(subject);
      throw refuse(
        throttle.failures(subject) >= REVIEW_MAX_FAILURES ? 'REVIEW_LOCKED' : 'WRONG_PIN',
        `wrong PIN (${throttle.failures(subject)} in a row)`,
      );
    }
    // Until the session holds it, the client key is this function's to wipe on any failure.
    try {
      const maxMs = pending.maxMinutes * 60_000;
      const endsAt = this.now() + maxMs;
      // Once therapy ends only the client may listen (decide() says so), so no one is named then.
      const { terms, therapyEndedAt } = this.consent.consentState(pending.clientId, clientKey);
      const named = therapyEndedAt === null ? (terms?.whoMayPlay.namedOthers ?? []) : [];
      const listenWith = named.map((other) => `${other.name} (${other.relation})`);
      const session: ReviewSession = {
        kind: 'client',
        clientId: pending.clientId,
        clientKey,
        endsAt,
        startMark: this.lifecycle.clock.mark(),
        maxMs,
        acknowledged: false,
        lastActivityMark: this.lifecycle.clock.mark(),
        info: {
          role: 'client',
          practiceName: '',
          therapistName: '',
          idleLockMinutes: REVIEW_IDLE_MINUTES,
          review: {
            clientId: pending.clientId,
            displayName: pending.displayName,
            endsAt,
            acknowledged: false,
            listenWith,
          },
          auditorId: null,
        },
      };
      vault.db.transaction(() => {
        throttle.clear(subject);
        vault.audit.append({
          actorRole: 'client',
          actorId: pending.clientId,
          action: 'review.unlock',
          subject: pending.clientId,
          outcome: 'ok',
        });
      })();
      this.lifecycle.beginOtherSession(session);
      this.pending = null;
      return session.info;
    } catch (error) {
      if (this.lifecycle.otherSession?.kind !== 'client') wipe(clientKey);
      throw error;
    }
  }

  /** The client in review, or NOT_ALLOWED. */
  session(): ReviewSession {
    const other = this.lifecycle.otherSession;
    if (other?.kind !== 'client')
      throw new VaultError(this.lifecycle.state === 'locked' ? 'VAULT_LOCKED' : 'NOT_ALLOWED');
    return other;
  }

  actor(): Actor {
    const session = this.session();
    return { role: 'client', id: session.clientId, clientId: session.clientId };
  }

  acknowledge() {
    const session = this.session();
    const named = session.info.review!.listenWith.length;
    this.lifecycle.log({
      actorRole: 'client',
      actorId: session.clientId,
      action: 'review.acknowledge',
      subject: session.clientId,
      outcome: 'ok',
      // How many people the sentence named, never who: the log holds no names.
      reason: `personal review; people named to listen beside: ${named}`,
    });
    session.acknowledged = true;
    session.info = { ...session.info, review: { ...session.info.review!, acknowledged: true } };
    return session.info;
  }

  /** The client in review, once they have agreed to the one sentence; NOT_ALLOWED before. */
  requireAcknowledged(): ReviewSession {
    const session = this.session();
    if (!session.acknowledged)
      throw new VaultError('NOT_ALLOWED', 'Agree to the sentence about personal review first.');
    return session;
  }

  library(): {
    displayName: string;
    consentSummary: string | null;
    revocationDestroys: 'all-recordings' | 'future-only' | null;
    revokedAt: number | null;
    recordings: RecordingSummary[];
    takeaways: {
      takeawayId: string;
      writtenAt: number;
      recordingId: string | null;
      text: string;
    }[];
  } {
    const session = this.requireAcknowledged();
    const vault = this.lifecycle.opened();
    const actor = this.actor();
    const state = this.consent.consentState(session.clientId, session.clientKey);
    const recordings = recordingSummaries(
      this.lifecycle,
      this.consent,
      session.clientId,
      session.clientKey,
      actor,
      this.now(),
    )
      // Only what their consent lets them play, plus what was destroyed (so they see that it was).
      .filter((r) => r.play.allow || r.state === 'destroyed');
    return {
      displayName: session.info.review!.displayName,
      consentSummary: state.terms
        ? describeListeners(state.terms, 'client', state.therapyEndedAt !== null)
        : null,
      // What this client's own revocation would destroy, so the confirm says it.
      revocationDestroys: state.terms
        ? revocationDestroysAll(state.terms, {
            revokedAt: this.now(),
            revokedBy: { role: 'client', id: actor.id },
          })
          ? 'all-recordings'
          : 'future-only'
        : null,
      revokedAt: state.revokedAt,
      recordings,
      takeaways: vault.clients.takeaways(session.clientId, session.clientKey),
    };
  }

  revoke(): Promise<{ destroyed: number }> {
    const session = this.session();
    return this.consent.revoke(session.clientId, this.actor());
  }

  /** The therapist lets a client try again after the review locked. */
  reset(clientId: string): void {
    const { vault, info } = this.lifecycle.unlocked();
    vault.db.transaction(() => {
      vault.audit.append({
        actorRole: info.role,
        action: 'review.reset',
        subject: clientId,
        outcome: 'ok',
      });
      this.throttle().clear(subjectOf(clientId));
    })();
  }

  cancelPending(): void {
    this.pending = null;
  }
}
