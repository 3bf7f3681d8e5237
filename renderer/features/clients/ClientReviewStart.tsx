// Hands the laptop to the client: asks how long the review may last, then main locks the vault
// and the client's PIN screen takes over.
import { useId, useState, type FormEvent } from 'react';
import type { ClientSummary } from './clients-store';
import { Button } from '../../components/Button';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import { useClients } from './clients-store';

/** The button; the form opens under the consent actions, where there is room for it. */
export function StartReviewButton({
  client,
  expanded,
  onOpen,
}: {
  client: ClientSummary;
  expanded: boolean;
  onOpen: () => void;
}) {
  const whyId = useId();
  const canReview = client.hasReviewCredential;
  return (
    <>
      {/* Focusable while it cannot act, so a screen reader reaches it and reads why. */}
      <Button
        className="button button-secondary"
        unavailable={!canReview}
        aria-describedby={canReview ? undefined : whyId}
        aria-expanded={expanded}
        onClick={onOpen}
      >
        Start client review
      </Button>
      {canReview ? null : (
        <span id={whyId} className="visually-hidden">
          This client has no PIN yet. It is set when they sign consent.
        </span>
      )}
    </>
  );
}

export function ReviewForm({ client, onCancel }: { client: ClientSummary; onCancel: () => void }) {
  const startReview = useClients((state) => state.startReview);
  const [minutes, setMinutes] = useState('30');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const value = Number(minutes);
  const valid = /^\d+$/.test(minutes.trim()) && value >= 5 && value <= 240;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!valid) return setError('Choose a whole number of minutes from 5 to 240.');
    setBusy(true);
    const failure = await startReview(client.clientId, value);
    setBusy(false);
    if (failure) setError(failure.message);
  }

  return (
    <form className="confirm review-form" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h3 id={titleId} ref={headingRef} tabIndex={-1}>
        Hand the laptop to {client.displayName}
      </h3>
      <p>
        The vault locks now. {client.displayName} opens their own recordings with their PIN, and
        sees nothing else. When the time is up, or they finish, the vault locks again.
      </p>
      <Field
        label="Longest review, in minutes"
        type="number"
        inputMode="numeric"
        min={5}
        max={240}
        className="field-short"
        value={minutes}
        onChange={(next) => {
          setMinutes(next);
          setError(null);
        }}
        hint="From 5 to 240 minutes. 30 minutes suits most reviews."
        aria-invalid={!valid}
      />
      <FormMessage message={error} />
      <div className="actions">
        <Button type="submit" className="button button-primary" busy={busy}>
          Lock and hand over
        </Button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
