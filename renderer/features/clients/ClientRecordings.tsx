// A client's recordings: when, how long, in what state, and when and why each will be
// destroyed; play (or why not), remove a part, or destroy now.
import { useId, useRef, useState, type FormEvent } from 'react';
import type { ClientDetail, RecordingSummary } from './clients-store';
import {
  destroyCountdown,
  destroyedSentence,
  formatDuration,
  parseMinutesSeconds,
} from '../../../shared/consent-text';
import { formatDateTime } from '../../../shared/format';
import { ConfirmPanel } from '../../components/ConfirmPanel';
import { Field } from '../../components/Field';
import { TextArea } from '../../components/TextArea';
import { useFocusOnMount } from '../../components/focus';
import { FormMessage } from '../../components/FormMessage';
import { useMinuteClock } from '../../components/minute-clock';
import { positionClock } from '../../components/time-words';
import { useClients } from './clients-store';
import { useVault } from '../vault/vault-store';

const stateWords: Record<RecordingSummary['state'], string> = {
  recording: 'Recording now',
  finalised: 'Complete',
  interrupted: 'Interrupted: kept up to the last saved second',
  destroyed: 'Destroyed',
};

export function ClientRecordings({ detail }: { detail: ClientDetail }) {
  const now = useMinuteClock();
  const newestFirst = [...detail.recordings].sort((a, b) => b.startedAt - a.startedAt);
  const voiceNotes = newestFirst.filter((r) => r.kind === 'voice-note');
  return (
    <>
      <RecordingList
        heading="Session recordings"
        empty="No recordings yet."
        recordings={newestFirst.filter((r) => r.kind === 'session')}
        now={now}
      />
      {/* Listed apart: voice notes keep by their own terms and have their own dates. */}
      {voiceNotes.length > 0 ? (
        <RecordingList heading="Closing voice notes" empty="" recordings={voiceNotes} now={now} />
      ) : null}
    </>
  );
}

function RecordingList({
  heading,
  empty,
  recordings,
  now,
}: {
  heading: string;
  empty: string;
  recordings: RecordingSummary[];
  now: number;
}) {
  const titleId = useId();
  return (
    <section className="panel panel-wide" aria-labelledby={titleId}>
      <h2 id={titleId}>{heading}</h2>
      {recordings.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="recordings" aria-labelledby={titleId}>
          {recordings.map((recording) => (
            <RecordingRow key={recording.recordingId} recording={recording} now={now} />
          ))}
        </ul>
      )}
    </section>
  );
}

type Mode = 'idle' | 'remove' | 'destroy' | 'annotate';

function RecordingRow({ recording, now }: { recording: RecordingSummary; now: number }) {
  const open = useVault((state) => state.open);
  const [mode, setMode] = useState<Mode>('idle');
  const playWhyId = useId();
  const labelId = useId();
  const destroyed = recording.state === 'destroyed';
  const markers = recording.markers.length;
  const annotateRef = useRef<HTMLButtonElement>(null);
  const dated = `${recording.kind === 'voice-note' ? 'Voice note' : 'Session'} of ${formatDateTime(recording.startedAt)}`;
  const title = recording.title ?? dated;
  const closeAnnotate = () => {
    setMode('idle');
    // The panel held focus; give it back to the button that opened it.
    requestAnimationFrame(() => annotateRef.current?.focus());
  };

  return (
    <li className="recording" data-state={recording.state} aria-labelledby={labelId}>
      <div className="recording-main">
        <h3 id={labelId} className="recording-title">
          {title}
        </h3>
        {recording.title ? <p className="recording-dated">{dated}</p> : null}
        <p className="recording-facts">
          {destroyed ? null : <span>{formatDuration(recording.durationMs)}</span>}
          <span className={`recording-state state-${recording.state}`}>
            {stateWords[recording.state]}
          </span>
          {destroyed ? null : (
            <span>
              {markers} marked {markers === 1 ? 'moment' : 'moments'}
            </span>
          )}
        </p>
        {destroyed ? (
          <p className="recording-destroy is-destroyed">
            {recording.destroyedAt !== null
              ? destroyedSentence(recording.destroyedAt, recording.destroyReason)
              : 'Destroyed.'}
          </p>
        ) : recording.held !== null ? (
          <p className="recording-destroy is-held" data-testid="recording-held">
            <strong>Held.</strong> {recording.held.charAt(0).toUpperCase()}
            {recording.held.slice(1)}.
          </p>
        ) : recording.destroyAfter !== null ? (
          <p className="recording-destroy">
            <strong>{destroyCountdown(recording.destroyAfter, now)}</strong>{' '}
            {recording.destroyWhy?.replace(/ It will be destroyed on .*$/, '')}
          </p>
        ) : null}
        {recording.removedRanges.length > 0 ? (
          <p className="muted">
            Removed at the client’s request:{' '}
            {recording.removedRanges
              .map((r) => `${formatDuration(r.fromMs)} to ${formatDuration(r.toMs)}`)
              .join(', ')}
            .
          </p>
        ) : null}
        {!destroyed && recording.markers.length > 0 ? (
          <MarkedMoments recording={recording} />
        ) : null}
        {recording.privateNote ? (
          <div className="private-note">
            <p className="private-note-label">Your private note (never shown to the client)</p>
            <p className="private-note-text">{recording.privateNote}</p>
          </div>
        ) : null}
        {!destroyed && !recording.play.allow ? (
          <p id={playWhyId} className="why">
            <strong>Cannot be played.</strong> {recording.play.reasons.join(' ')}
          </p>
        ) : null}
      </div>
      {destroyed ? null : (
        <div className="recording-actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={!recording.play.allow}
            aria-describedby={recording.play.allow ? undefined : playWhyId}
            onClick={() =>
              open({
                kind: 'player',
                recordingId: recording.recordingId,
                clientId: recording.clientId,
              })
            }
          >
            Play<span className="visually-hidden"> the {title.toLowerCase()}</span>
          </button>
          <button
            ref={annotateRef}
            type="button"
            className="button button-secondary"
            aria-expanded={mode === 'annotate'}
            onClick={() => setMode('annotate')}
          >
            Name and note…
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={recording.state === 'recording'}
            aria-expanded={mode === 'remove'}
            onClick={() => setMode('remove')}
          >
            Remove part…
          </button>
          <button
            type="button"
            className="button button-quiet-danger"
            disabled={recording.state === 'recording'}
            aria-expanded={mode === 'destroy'}
            onClick={() => setMode('destroy')}
          >
            Destroy now…
          </button>
        </div>
      )}
      {mode === 'remove' ? (
        <RemovePart recording={recording} title={title} onDone={() => setMode('idle')} />
      ) : null}
      {mode === 'destroy' ? (
        <DestroyNow recording={recording} title={title} onDone={() => setMode('idle')} />
      ) : null}
      {mode === 'annotate' ? <Annotate recording={recording} onDone={closeAnnotate} /> : null}
    </li>
  );
}

/** Each marked moment opens the player there, as in the client's review. */
function MarkedMoments({ recording }: { recording: RecordingSummary }) {
  const open = useVault((state) => state.open);
  const headingId = useId();
  return (
    <div className="recording-moments">
      <h4 id={headingId} className="recording-moments-title">
        Marked moments
      </h4>
      <ul aria-labelledby={headingId}>
        {[...recording.markers]
          .sort((a, b) => a.atMs - b.atMs)
          .map((marker) => (
            <li key={marker.markerId}>
              {recording.play.allow ? (
                <button
                  type="button"
                  className="link-button recording-mark"
                  onClick={() =>
                    open({
                      kind: 'player',
                      recordingId: recording.recordingId,
                      clientId: recording.clientId,
                      atMs: marker.atMs,
                    })
                  }
                >
                  {/* The space sits in the time's box, so the underline starts at the words. */}
                  <span className="recording-mark-time">{positionClock(marker.atMs)} </span>
                  {marker.label || 'Marked moment'}
                  <span className="visually-hidden">: listen from here</span>
                </button>
              ) : (
                <>
                  <span className="recording-mark-time">{positionClock(marker.atMs)}</span>{' '}
                  {marker.label || 'Marked moment'}
                </>
              )}
            </li>
          ))}
      </ul>
    </div>
  );
}

function DestroyNow({
  recording,
  title,
  onDone,
}: {
  recording: RecordingSummary;
  title: string;
  onDone: () => void;
}) {
  const destroyRecording = useClients((state) => state.destroyRecording);
  const announce = useVault((state) => state.announce);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function confirm() {
    setBusy(true);
    const failure = await destroyRecording(recording.clientId, recording.recordingId);
    setBusy(false);
    if (failure) return setError(failure.message);
    announce(`The ${title.toLowerCase()} was destroyed.`);
    onDone();
  }
  return (
    <ConfirmPanel
      title="Destroy this recording now?"
      confirmLabel="Yes, destroy it"
      cancelLabel="Keep it"
      busy={busy}
      danger
      onConfirm={() => void confirm()}
      onCancel={onDone}
    >
      <p>
        The {title.toLowerCase()} is destroyed for good. No one can listen to it again, and it
        cannot be brought back. Written takeaways stay.
      </p>
      <FormMessage message={error} />
    </ConfirmPanel>
  );
}

function RemovePart({
  recording,
  title,
  onDone,
}: {
  recording: RecordingSummary;
  title: string;
  onDone: () => void;
}) {
  const removeRange = useClients((state) => state.removeRange);
  const announce = useVault((state) => state.announce);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [checked, setChecked] = useState<{ fromMs: number; toMs: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const length = formatDuration(recording.durationMs);

  function check(event: FormEvent) {
    event.preventDefault();
    const fromMs = parseMinutesSeconds(from);
    const toMs = parseMinutesSeconds(to);
    if (fromMs === null || toMs === null)
      return setError('Write both times as minutes and seconds, like 12:30.');
    if (toMs <= fromMs) return setError('The end of the part to remove must come after its start.');
    if (fromMs >= recording.durationMs)
      return setError(`The recording is only ${length} long. Choose a start before that.`);
    setError(null);
    setChecked({ fromMs, toMs: Math.min(toMs, recording.durationMs) });
  }

  async function confirm() {
    if (!checked) return;
    setBusy(true);
    const failure = await removeRange({ recordingId: recording.recordingId, ...checked });
    setBusy(false);
    if (failure) {
      setChecked(null);
      return setError(failure.message);
    }
    announce(
      `Removed ${formatDuration(checked.fromMs)} to ${formatDuration(checked.toMs)} from the ${title.toLowerCase()}.`,
    );
    onDone();
  }

  if (checked) {
    return (
      <ConfirmPanel
        title={`Remove ${formatDuration(checked.fromMs)} to ${formatDuration(checked.toMs)}?`}
        confirmLabel="Yes, remove this part"
        cancelLabel="Keep the whole recording"
        busy={busy}
        danger
        onConfirm={() => void confirm()}
        onCancel={onDone}
      >
        <p>
          This part of the {title.toLowerCase()} is destroyed for good. The rest stays, and the
          player skips the gap. The access log notes that a part was removed, not what was said.
        </p>
        <FormMessage message={error} />
      </ConfirmPanel>
    );
  }
  return (
    <form className="confirm" onSubmit={check} noValidate aria-labelledby={titleId}>
      <h3 id={titleId}>Remove part of this recording</h3>
      <p className="muted">The recording is {length} long. Whole seconds are removed.</p>
      <div className="field-row field-row-narrow">
        <Field label="From (minutes:seconds)" value={from} onChange={setFrom} placeholder="0:00" />
        <Field label="To (minutes:seconds)" value={to} onChange={setTo} placeholder={length} />
      </div>
      <FormMessage message={error} />
      <div className="actions">
        <button type="submit" className="button button-primary">
          Continue
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The therapist's own name for a recording and a private note: sealed, destroyed with it. */
function Annotate({ recording, onDone }: { recording: RecordingSummary; onDone: () => void }) {
  const annotate = useClients((state) => state.annotate);
  const announce = useVault((state) => state.announce);
  const [title, setTitle] = useState(recording.title ?? '');
  const [note, setNote] = useState(recording.privateNote ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = useId();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const titleTooLong = title.trim().length > 120;
  const noteTooLong = note.trim().length > 5_000;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (busy || titleTooLong || noteTooLong) return;
    setBusy(true);
    const failure = await annotate(recording.clientId, {
      recordingId: recording.recordingId,
      title: title.trim() === '' ? null : title,
      privateNote: note.trim() === '' ? null : note,
    });
    setBusy(false);
    if (failure) return setError(failure.message);
    announce('The name and note are saved.');
    onDone();
  }

  return (
    <form className="confirm" onSubmit={save} noValidate aria-labelledby={headingId}>
      <h3 id={headingId} tabIndex={-1} ref={headingRef}>
        Name and private note
      </h3>
      <p className="muted">
        Only you see these. They are locked with this recording and destroyed with it. The access
        log notes that they changed, never what they say.
      </p>
      <Field
        label="Name for this recording"
        value={title}
        onChange={setTitle}
        autoComplete="off"
        aria-invalid={titleTooLong}
        hint={titleTooLong ? 'Use at most 120 characters.' : 'Leave empty to use the date.'}
      />
      <TextArea
        label="Private note"
        value={note}
        onChange={setNote}
        rows={4}
        aria-invalid={noteTooLong}
        hint={noteTooLong ? 'Use at most 5,000 characters.' : 'Never shown to the client.'}
      />
      <FormMessage message={error} />
      <div className="actions">
        <button
          type="submit"
          className="button button-primary"
          aria-disabled={busy || titleTooLong || noteTooLong}
        >
          Save
        </button>
        <button type="button" className="button button-secondary" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
