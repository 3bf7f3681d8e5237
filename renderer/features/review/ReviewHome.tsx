// Client review: one sentence to agree to, then their own recordings and nothing else, with an
// End review button that is always in reach. Main refuses everything else whatever is sent.
import { useEffect, useState, type DragEvent } from 'react';
import type { SessionInfo } from '../../../shared/api';
import { reviewAcknowledgement } from '../../../shared/review-policy';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import { useReview } from './review-store';
import { useVault } from '../vault/vault-store';
import { ReviewLibrary } from './ReviewLibrary';
import { everyoneByFirstName, reviewText } from './ReviewText';
import '../../styles/review.css';

type Review = NonNullable<SessionInfo['review']>;

// Audio and links stay in this window: nothing can be dragged out to the desktop.
const keepInWindow = (event: DragEvent) => event.preventDefault();

function Acknowledgement({ review }: { review: Review }) {
  const acknowledge = useReview((state) => state.acknowledge);
  const announce = useVault((state) => state.announce);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function agree() {
    setBusy(true);
    setError(null);
    const failure = await acknowledge();
    setBusy(false);
    if (failure) setError(failure.message);
    else announce('Your recordings are open.');
  }

  return (
    <section className="review-ack" aria-labelledby="review-ack-title">
      <h1 id="review-ack-title" ref={headingRef} tabIndex={-1}>
        Before you listen
      </h1>
      <p className="lead review-lead">Please read this. If it is true for you, press “I agree”.</p>
      <blockquote className="review-sentence">
        <p>{reviewAcknowledgement(review.listenWith)}</p>
      </blockquote>
      <FormMessage message={error} />
      <div>
        <button
          type="button"
          className="button button-primary button-large"
          disabled={busy}
          onClick={() => void agree()}
        >
          {reviewText.agree}
        </button>
      </div>
    </section>
  );
}

/** Counted down on this page every second, and set again from main's clock at every status poll. */
function TimeLeft() {
  const deadline = useReview((state) => state.reviewDeadline);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (deadline === null) return null;
  return (
    <span className="review-time-left" data-testid="review-time-left">
      {reviewText.timeLeft(Math.max(0, deadline - now))}
    </span>
  );
}

function ReviewBar({ review }: { review: Review }) {
  const end = useReview((state) => state.end);
  const [ending, setEnding] = useState(false);
  return (
    <header className="review-bar">
      <div className="review-bar-inner">
        <p className="review-who">
          <strong>{everyoneByFirstName(review.displayName, review.listenWith)}’s review</strong>
          <span data-testid="review-ends-at">{reviewText.endsAt(review.endsAt)}</span>
          <TimeLeft />
        </p>
        <button
          type="button"
          className="button button-end button-large"
          disabled={ending}
          onClick={() => {
            setEnding(true);
            void end().finally(() => setEnding(false));
          }}
        >
          {reviewText.endReview}
        </button>
      </div>
    </header>
  );
}

export function ReviewHome({ session }: { session: SessionInfo }) {
  const review = session.review;
  const loadLibrary = useReview((state) => state.loadLibrary);
  const acknowledged = review?.acknowledged ?? false;

  useEffect(() => {
    if (acknowledged) void loadLibrary();
  }, [acknowledged, loadLibrary]);

  if (!review) return null;
  return (
    <div className="review" onDragStart={keepInWindow}>
      <ReviewBar review={review} />
      <main className="review-main">
        {acknowledged ? <ReviewLibrary /> : <Acknowledgement review={review} />}
      </main>
    </div>
  );
}
