// What a client sees in review: their recordings (when, how long, marked moments, when and why
// each will be destroyed), the therapist's written takeaways, and their consent with Revoke.
import { formatDate } from '../../../shared/format';
import { useFocusOnMount } from '../../components/focus';
import { useReview, type ReviewLibrary as Library } from './review-store';
import { useVault } from '../vault/vault-store';
import { Player } from '../player/Player';
import { ReviewConsent } from './ReviewConsent';
import { durationInWords, minutesSecondsClock } from '../../components/time-words';

/** "consent was revoked (sweep: revocation)" reads "Consent was revoked." for a client. */
function plainReason(reason: string | null): string {
  const plain = (reason ?? '').replace(/\s*\(.*\)\s*$/, '').trim();
  return plain ? `${plain.charAt(0).toUpperCase()}${plain.slice(1)}.` : '';
}

function Recording({
  recording,
  playing,
}: {
  recording: Library['recordings'][number];
  playing: boolean;
}) {
  const play = useReview((state) => state.play);
  const open = useVault((state) => state.open);
  const titleId = `recording-${recording.recordingId}`;
  const destroyed = recording.state === 'destroyed';

  return (
    <li className={destroyed ? 'review-recording is-destroyed' : 'review-recording'}>
      <article aria-labelledby={titleId}>
        <h2 id={titleId} className="review-recording-title">
          Session on {formatDate(recording.startedAt)}
        </h2>
        {destroyed ? (
          <p className="review-destroyed" data-testid="recording-destroyed">
            <strong>Destroyed</strong>
            {recording.destroyedAt ? ` on ${formatDate(recording.destroyedAt)}` : ''}.{' '}
            {plainReason(recording.destroyReason)} No one can listen to it again.
          </p>
        ) : (
          <>
            <p className="review-meta">{durationInWords(recording.durationMs)} long</p>
            {recording.destroyWhy ? <p className="review-why">{recording.destroyWhy}</p> : null}
            {recording.markers.length > 0 ? (
              <div className="review-markers">
                <h3>Marked moments</h3>
                <ul>
                  {recording.markers.map((marker) => (
                    <li key={marker.markerId}>
                      <span className="review-mark-time">{minutesSecondsClock(marker.atMs)}</span>{' '}
                      {marker.label || 'Marked moment'}
                    </li>
                  ))}
                </ul>
                <p className="review-hint">Open the player to go to a marked moment.</p>
              </div>
            ) : null}
            {playing ? (
              <div className="review-player">
                <Player recordingId={recording.recordingId} nested />
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => open(null)}
                >
                  Close the player
                </button>
              </div>
            ) : (
              <div>
                <button
                  type="button"
                  className="button button-primary button-large"
                  aria-describedby={titleId}
                  disabled={!recording.play.allow}
                  onClick={() => play(recording.recordingId)}
                >
                  Play
                </button>
                {recording.play.allow ? null : (
                  <p className="review-why">{recording.play.reasons.join(' ')}</p>
                )}
              </div>
            )}
          </>
        )}
      </article>
    </li>
  );
}

function Takeaways({ library }: { library: Library }) {
  if (library.takeaways.length === 0) return null;
  const sessionOf = (recordingId: string | null) =>
    library.recordings.find((r) => r.recordingId === recordingId);
  return (
    <section className="review-section" aria-labelledby="review-takeaways-title">
      <h2 id="review-takeaways-title">Notes from your therapist</h2>
      <ul className="review-takeaways">
        {library.takeaways.map((takeaway) => {
          const session = sessionOf(takeaway.recordingId);
          return (
            <li key={takeaway.takeawayId} className="review-takeaway">
              <p className="review-meta">
                {session
                  ? `From the session on ${formatDate(session.startedAt)}`
                  : `Written on ${formatDate(takeaway.writtenAt)}`}
              </p>
              <p className="review-takeaway-text">{takeaway.text}</p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function ReviewLibrary() {
  const library = useReview((state) => state.library);
  const problem = useReview((state) => state.libraryProblem);
  const detail = useVault((state) => state.detail);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const playing = detail?.kind === 'player' ? detail.recordingId : null;

  return (
    <>
      <section className="review-section" aria-labelledby="review-title">
        <h1 id="review-title" ref={headingRef} tabIndex={-1}>
          Your recordings
        </h1>
        {library?.consentSummary && library.revokedAt === null ? (
          <p className="lead review-lead">
            {library.consentSummary} They are kept on this laptop, locked with your PIN.
          </p>
        ) : null}
        {problem ? (
          <p className="form-message" role="alert">
            {problem}
          </p>
        ) : null}
        {library === null && !problem ? <p className="muted">Opening your recordings…</p> : null}
        {library && library.recordings.length === 0 ? (
          <p className="empty-state">There are no recordings for you to listen to.</p>
        ) : null}
        {library && library.recordings.length > 0 ? (
          <ul className="review-recordings">
            {library.recordings.map((recording) => (
              <Recording
                key={recording.recordingId}
                recording={recording}
                playing={playing === recording.recordingId}
              />
            ))}
          </ul>
        ) : null}
      </section>
      {library ? <Takeaways library={library} /> : null}
      {library ? <ReviewConsent library={library} /> : null}
    </>
  );
}
