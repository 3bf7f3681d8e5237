// The client's consent, and revoking it: as easy as consenting. Two clicks, and the confirm says
// plainly what will be destroyed before anything is.
import { useEffect, useRef, useState } from 'react';
import { formatDate } from '../../../shared/format';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import { Refusal } from '../../app/call-main';
import { useReview, type ReviewLibrary } from './review-store';
import { useVault } from '../vault/vault-store';
import { reviewText } from './ReviewText';

const recordingsWord = (count: number) => (count === 1 ? '1 recording' : `${count} recordings`);

function Confirm({
  library,
  onDone,
  onCancel,
}: {
  library: ReviewLibrary;
  onDone: (destroyed: number) => void;
  onCancel: () => void;
}) {
  const revoke = useReview((state) => state.revoke);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kept = library.recordings.filter((r) => r.state !== 'destroyed').length;
  const destroysAll = library.revocationDestroys === 'all-recordings';

  async function confirm() {
    setBusy(true);
    setError(null);
    const outcome = await revoke();
    setBusy(false);
    if (outcome instanceof Refusal) setError(outcome.message);
    else onDone(outcome.destroyed);
  }

  return (
    <div className="review-confirm" role="group" aria-labelledby="review-revoke-title">
      <h3 id="review-revoke-title" ref={headingRef} tabIndex={-1}>
        Revoke your consent?
      </h3>
      {destroysAll ? (
        <p className="review-confirm-what">
          {kept === 0
            ? 'There are no recordings left to destroy.'
            : `This destroys ${kept === 1 ? 'your recording' : `your ${kept} recordings`} now. No one can listen to ${kept === 1 ? 'it' : 'them'} again, not you and not your therapist. This cannot be undone.`}
        </p>
      ) : (
        <p className="review-confirm-what">
          {kept === 0
            ? 'Nothing is destroyed now.'
            : `Nothing is destroyed now. Your ${recordingsWord(kept)} ${kept === 1 ? 'is' : 'are'} kept until the date shown, then destroyed.`}
        </p>
      )}
      <p>Your sessions will not be recorded any more. Your care does not change.</p>
      <FormMessage message={error} />
      <div className="actions">
        <button
          type="button"
          className="button button-danger button-large"
          disabled={busy}
          onClick={() => void confirm()}
        >
          {busy ? 'Revoking…' : destroysAll && kept > 0 ? 'Yes, revoke and destroy' : 'Yes, revoke'}
        </button>
        <button type="button" className="button button-secondary button-large" onClick={onCancel}>
          Keep my consent
        </button>
      </div>
    </div>
  );
}

/** What revoking does to the recordings, said beside the button, not only in the question. */
function revokeDestroysNow(library: ReviewLibrary): string {
  const kept = library.recordings.filter((r) => r.state !== 'destroyed').length;
  if (kept === 0) return '.';
  const which = kept === 1 ? 'your recording' : `your ${kept} recordings`;
  return library.revocationDestroys === 'all-recordings'
    ? `, and ${which} ${kept === 1 ? 'is' : 'are'} destroyed at once: no one can listen again.`
    : `; ${which} ${kept === 1 ? 'is' : 'are'} kept until the date shown, then destroyed.`;
}

export function ReviewConsent({ library }: { library: ReviewLibrary }) {
  const announce = useVault((state) => state.announce);
  const [confirming, setConfirming] = useState(false);
  const [destroyed, setDestroyed] = useState<number | null>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  // "Keep my consent" puts focus back on the button that opened the question.
  useEffect(() => {
    if (confirming || !returnFocus.current) return;
    returnFocus.current = false;
    revokeButton.current?.focus();
  }, [confirming]);

  if (library.consentSummary === null) return null;
  return (
    <section className="review-section review-consent" aria-labelledby="review-consent-title">
      <h2 id="review-consent-title">Your consent</h2>
      {library.revokedAt !== null ? (
        <p className="review-revoked" data-testid="consent-revoked">
          {destroyed !== null
            ? `You revoked your consent. ${destroyed === 0 ? 'No recordings were' : `${recordingsWord(destroyed)} ${destroyed === 1 ? 'was' : 'were'}`} destroyed. Nothing more will be recorded.`
            : `Consent was revoked on ${formatDate(library.revokedAt)}. Nothing more will be recorded.`}
        </p>
      ) : confirming ? (
        <Confirm
          library={library}
          onCancel={() => {
            returnFocus.current = true;
            setConfirming(false);
          }}
          onDone={(count) => {
            setDestroyed(count);
            setConfirming(false);
            announce(
              `Your consent is revoked. ${count === 1 ? '1 recording was' : `${count} recordings were`} destroyed.`,
            );
          }}
        />
      ) : (
        <>
          <p data-testid="revoke-what">
            You can revoke your consent at any time. Then nothing more is recorded
            {revokeDestroysNow(library)} Your care does not change.
          </p>
          <div>
            <button
              ref={revokeButton}
              type="button"
              className="button button-secondary button-large"
              onClick={() => setConfirming(true)}
            >
              {reviewText.revoke}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
