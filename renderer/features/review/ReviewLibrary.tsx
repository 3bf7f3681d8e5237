// What a client sees in review: their recordings (when, how long, marked moments, when and why
// each will be destroyed), the therapist's written takeaways, and their consent with Revoke.
import { formatDate } from '../../../shared/format';
import { ReturnFocus, useFocusOnMount } from '../../components/focus';
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
  seekTo,
  Heading = 'h2',
}: {
  recording: Library['recordings'][number];
  playing: boolean;
  /** The moment chosen to listen from (the detail that opened the player). */
  seekTo: { atMs?: number | undefined } | null;
  Heading?: 'h2' | 'h3';
}) {
  const play = useReview((state) => state.play);
  const open = useVault((state) => state.open);
  const titleId = `recording-${recording.recordingId}`;
  const destroyed = recording.state === 'destroyed';

  return (
    <li className={destroyed ? 'review-recording is-destroyed' : 'review-recording'}>
      <article aria-labelledby={titleId}>
        <Heading id={titleId} className="review-recording-title">
          {recording.kind === 'voice-note' ? 'Voice note' : 'Session'} on{' '}
          {formatDate(recording.startedAt)}
        </Heading>
        {destroyed ? (
          <p className="review-destroyed" data-testid="recording-destroyed">
            <strong>Destroyed</strong>
            {recording.destroyedAt ? ` on ${formatDate(recording.destroyedAt)}` : ''}.{' '}
            {plainReason(recording.destroyReason)} No one can listen to it again.
          </p>
        ) : (
          <>
            <p className="review-meta">{durationInWords(recording.durationMs)} long</p>
            {recording.held !== null ? (
              <p className="review-why" data-testid="recording-held">
                This recording was changed outside Session Vault, so it is held and does not play.
                Your therapist can see why.
              </p>
            ) : recording.destroyWhy ? (
              <p className="review-why">{recording.destroyWhy}</p>
            ) : null}
            {recording.markers.length > 0 ? (
              <div className="review-markers">
                <h3>Marked moments</h3>
                <ul>
                  {recording.markers.map((marker) => (
                    <li key={marker.markerId}>
                      {recording.play.allow ? (
                        <button
                          type="button"
                          className="link-button review-mark"
                          onClick={() => play(recording.recordingId, marker.atMs)}
                        >
                          {/* The space sits in the time's box, so the underline starts at the words. */}
                          <span className="review-mark-time">
                            {minutesSecondsClock(marker.atMs)}{' '}
                          </span>
                          {marker.label || 'Marked moment'}
                          <span className="visually-hidden">: listen from here</span>
                        </button>
                      ) : (
                        <>
                          <span className="review-mark-time">
                            {minutesSecondsClock(marker.atMs)}
                          </span>{' '}
                          {marker.label || 'Marked moment'}
                        </>
                      )}
                    </li>
                  ))}
                </ul>
                {recording.play.allow ? (
                  <p className="review-hint">Choose a moment to listen from there.</p>
                ) : null}
              </div>
            ) : null}
            {playing ? (
              <div className="review-player">
                <ReturnFocus />
                <Player recordingId={recording.recordingId} nested seekTo={seekTo} />
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
  const playing = detail?.kind === 'player' ? detail : null;
  const sessions = library?.recordings.filter((r) => r.kind !== 'voice-note') ?? [];
  const voiceNotes = library?.recordings.filter((r) => r.kind === 'voice-note') ?? [];

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
        {library && sessions.length > 0 ? (
          <ul className="review-recordings">
            {sessions.map((recording) => (
              <Recording
                key={recording.recordingId}
                recording={recording}
                playing={playing?.recordingId === recording.recordingId}
                seekTo={playing?.recordingId === recording.recordingId ? playing : null}
              />
            ))}
          </ul>
        ) : null}
      </section>
      {voiceNotes.length > 0 ? (
        <section className="review-section" aria-labelledby="review-voice-notes-title">
          <h2 id="review-voice-notes-title">Your closing voice notes</h2>
          <p className="muted">These keep by their own terms, with their own dates.</p>
          <ul className="review-recordings">
            {voiceNotes.map((recording) => (
              <Recording
                key={recording.recordingId}
                recording={recording}
                playing={playing?.recordingId === recording.recordingId}
                seekTo={playing?.recordingId === recording.recordingId ? playing : null}
                Heading="h3"
              />
            ))}
          </ul>
        </section>
      ) : null}
      {library ? <Takeaways library={library} /> : null}
      {library ? <ReviewConsent library={library} /> : null}
    </>
  );
}
