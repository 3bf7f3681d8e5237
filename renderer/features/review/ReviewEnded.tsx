// After a review: the client is told it ended and how, and the laptop is locked again. The
// therapist goes on to the ordinary lock screen from here.
import { LockIcon } from '../../components/LockIcon';
import { useFocusOnMount } from '../../components/focus';
import { useReview, type EndedReview } from './review-store';
import { firstName, reviewText } from './ReviewText';
import '../../styles/review.css';

export function ReviewEnded({ ended }: { ended: EndedReview }) {
  const dismiss = useReview((state) => state.dismissEnded);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <main className="page page-centered page-review">
      <div className="card card-narrow review-card">
        <div className="card-header card-header-center">
          <LockIcon size={64} />
          <h1 ref={headingRef} tabIndex={-1}>
            Your review has ended
          </h1>
          <p className="lead review-lead">
            {ended.endedBy === 'client'
              ? reviewText.endedByClient
              : reviewText.endedByItself(ended.endsAt)}
          </p>
        </div>
        <p className="review-goodbye">
          Thank you, {firstName(ended.displayName)}. Everything is locked again. Please give the
          laptop back to your therapist.
        </p>
        <button type="button" className="button button-secondary button-block" onClick={dismiss}>
          {reviewText.therapistLink}
        </button>
      </div>
    </main>
  );
}
