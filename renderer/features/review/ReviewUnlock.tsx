// The laptop was handed to one client for review: their PIN opens their recordings, or the
// therapist takes the laptop back with the passphrase (which withdraws the hand-over).
import { useEffect, useState, type FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/api';
import { describeReviewDelays } from '../../../shared/review-policy';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import { useReview } from './review-store';
import { useVault } from '../vault/vault-store';
import { Lock } from '../vault/Lock';
import { firstName, reviewText } from './ReviewText';
import '../../styles/review.css';

type PendingReview = NonNullable<VaultStatus['pendingReview']>;

function PinForm({ pending }: { pending: PendingReview }) {
  const unlock = useReview((state) => state.unlock);
  const waitForPin = useReview((state) => state.waitForPin);
  const secondsLeft = useReview((state) => state.pinSecondsLeft);
  const announce = useVault((state) => state.announce);
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useFocusOnMount<HTMLInputElement>();
  const waiting = secondsLeft > 0;

  // Main's status carries the wait too (after a restart, or a try on another screen).
  useEffect(() => waitForPin(pending.retryAfterMs), [pending.retryAfterMs, waitForPin]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || waiting) return;
    if (!pin) {
      setError('Type your PIN first.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const failure = await unlock(pin);
    setBusy(false);
    if (!failure) return;
    setError(failure.code === 'REVIEW_LOCKED' ? reviewText.locked : failure.message);
    // The countdown under the button is not a live region (it changes every second): say it once.
    if (failure.retryAfterMs) announce(reviewText.waitFor(Math.ceil(failure.retryAfterMs / 1000)));
    setPin('');
    inputRef.current?.focus();
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Open my recordings">
      <Field
        ref={inputRef}
        label={reviewText.pinLabel}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        spellCheck={false}
        className="review-pin"
        value={pin}
        onChange={setPin}
        hint={
          <>
            {/* The rules for wrong PINs would only worry someone who has not made one. */}
            {pending.failures > 0 ? (
              <>
                <span>{reviewText.wrongSoFar(pending.failures)} </span>
                {describeReviewDelays()}
              </>
            ) : null}
          </>
        }
      />
      <FormMessage message={error} />
      <div className="actions actions-stacked">
        <button
          type="submit"
          className="button button-primary button-block button-large"
          disabled={busy || waiting}
          aria-describedby={waiting ? 'review-wait' : undefined}
        >
          {busy ? 'Opening…' : reviewText.open}
        </button>
        {waiting ? (
          <p id="review-wait" className="countdown review-countdown" data-testid="pin-countdown">
            {reviewText.waitFor(secondsLeft)}
          </p>
        ) : null}
      </div>
    </form>
  );
}

export function ReviewUnlock({ pending }: { pending: PendingReview }) {
  const [therapist, setTherapist] = useState(false);
  const name = firstName(pending.displayName);

  if (therapist) {
    return (
      <>
        <nav aria-label="Client review" className="review-back">
          <button type="button" className="link-button" onClick={() => setTherapist(false)}>
            {reviewText.backToPin(name)}
          </button>
        </nav>
        <Lock />
      </>
    );
  }

  return (
    <main className="page page-centered page-review">
      <div className="card card-narrow review-card">
        <div className="card-header card-header-center">
          <h1 className="review-hello">Hello, {name}</h1>
          {pending.locked ? null : (
            <p className="lead review-lead">Type your PIN to open your recordings.</p>
          )}
        </div>
        {pending.locked ? (
          <p className="review-locked" role="alert">
            {reviewText.locked}
          </p>
        ) : (
          <PinForm pending={pending} />
        )}
        <p className="review-therapist">
          <button type="button" className="link-button" onClick={() => setTherapist(true)}>
            {reviewText.therapistLink}
          </button>
        </p>
      </div>
    </main>
  );
}
