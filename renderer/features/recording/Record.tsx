// Record this session, safely, and know it is working: consent reconfirmed first, then a clear
// "Recording" state (a red dot and the word), the time, the level, and what to do if it stops.
import { useEffect, useEffectEvent, useId, useState } from 'react';
import { formatDate } from '../../../shared/format';
import { uiText } from '../../../shared/ui-text';
import { Button } from '../../components/Button';
import { useFocusOnMount } from '../../components/focus';
import { LevelMeter } from '../../components/LevelMeter';
import { positionClock, shortDuration } from '../../components/time-words';
import { MarkedMoments, type MarkedMoment } from './MarkedMoments';
import { useRecording } from './recording-store';
import { useRecordingScreen, useSavedDestroyDate } from './recording-screen';
import { BeforeRecordingCard } from './BeforeRecordingCard';
import { SavedActions } from './SavedActions';
import { RecordingStateLine } from './RecordingStateLine';
import type { ClientDetail } from '../clients/clients-store';
import '../../styles/record.css';

export function Record({ clientId }: { clientId: string }) {
  const { detail, loadProblem, running, savedHere, name } = useRecordingScreen(clientId);

  return (
    <section className="record" aria-labelledby="record-title">
      {running ? (
        <Recording name={name} />
      ) : savedHere ? (
        <Saved name={name} clientId={clientId} />
      ) : (
        <BeforeRecording clientId={clientId} detail={detail} loadProblem={loadProblem} />
      )}
    </section>
  );
}

function BeforeRecording({
  clientId,
  detail,
  loadProblem,
}: {
  clientId: string;
  detail: ClientDetail | null;
  loadProblem: string | null;
}) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const otherRunning = useRecording(
    (state) =>
      state.status !== null &&
      state.status.state !== 'stopped' &&
      state.status.clientId !== clientId,
  );
  const consent = detail?.client.consent;

  return (
    <>
      <h1 id="record-title" ref={headingRef} tabIndex={-1}>
        Record a session{detail ? ` with ${detail.client.displayName}` : ''}
      </h1>
      {loadProblem ? <p className="notice notice-problem">{loadProblem}</p> : null}
      {detail ? (
        <BeforeRecordingCard
          clientId={clientId}
          kind="session"
          decision={consent?.record}
          otherRunning={otherRunning}
          confirmLabel="I reconfirmed consent aloud at the start of this session"
          startLabel="Record"
        >
          <div className="record-consent">
            <h2>Consent</h2>
            <p data-testid="record-consent-summary">
              {consent?.summary ?? 'There is no signed consent for this client.'}
            </p>
          </div>
        </BeforeRecordingCard>
      ) : null}
    </>
  );
}

/** True where a key press is typing, so M there is a letter and not a mark. */
function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target instanceof HTMLTextAreaElement ||
      (target instanceof HTMLInputElement && !['checkbox', 'radio', 'range'].includes(target.type)))
  );
}

function Recording({ name }: { name: string }) {
  const status = useRecording((state) => state.status)!;
  const { pause, resume, stop, mark, busy } = useRecording();
  const [label, setLabel] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [moments, setMoments] = useState<MarkedMoment[]>([]);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const paused = status.state === 'paused';
  const stopping = status.state === 'stopping';
  const labelId = useId();
  const hintId = useId();

  const markNow = async (text: string): Promise<boolean> => {
    const marked = await mark(text);
    if ('code' in marked) {
      setProblem(marked.message);
      return false;
    }
    setProblem(null);
    setMoments((before) => [...before, { ...marked, label: text }]);
    return true;
  };
  const markWithKey = useEffectEvent((event: KeyboardEvent) => {
    if (event.key !== 'm' && event.key !== 'M') return;
    if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
    if (stopping) return;
    event.preventDefault();
    void markNow('');
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => markWithKey(event);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return (
    <>
      <h1 id="record-title" ref={headingRef} tabIndex={-1} className="visually-hidden">
        Recording a session{name ? ` with ${name}` : ''}
      </h1>
      <div className={paused ? 'record-live record-paused' : 'record-live'}>
        <RecordingStateLine state={status.state} who={name ? `with ${name}` : null} />
        <p className="record-elapsed" aria-label={`Recorded: ${shortDuration(status.elapsedMs)}`}>
          {positionClock(status.elapsedMs)}
        </p>
        <LevelMeter level={status.level} active={!paused && !stopping} />
        {status.silentForMs >= 10_000 && !paused ? (
          <p className="notice notice-problem" role="alert">
            {uiText.silence}
          </p>
        ) : null}
        {status.diskLow ? (
          <p className="notice notice-problem" role="status">
            {uiText.diskLow}
          </p>
        ) : null}
        {status.problem ? (
          <p className="notice notice-problem" role="alert">
            {status.problem.message}
          </p>
        ) : null}
        <div className="actions record-actions">
          {/* Stays focusable while its request runs: Pause turns into Resume under the finger. */}
          <Button
            className="button button-secondary"
            busy={busy}
            unavailable={stopping}
            onClick={() => void (paused ? resume() : pause())}
          >
            {paused ? 'Resume' : 'Pause'}
          </Button>
          <button
            type="button"
            className="button button-primary"
            disabled={stopping}
            onClick={async () => {
              const error = await stop();
              setProblem(error?.message ?? null);
            }}
          >
            Stop and save
          </button>
        </div>
        <form
          className="record-mark"
          aria-describedby={hintId}
          onSubmit={async (event) => {
            event.preventDefault();
            if (await markNow(label.trim())) setLabel('');
          }}
        >
          <div className="field">
            <label htmlFor={labelId}>Label for the moment (optional)</label>
            <input
              id={labelId}
              value={label}
              maxLength={80}
              onChange={(event) => setLabel(event.currentTarget.value)}
            />
          </div>
          <button type="submit" className="button button-secondary" disabled={stopping}>
            Mark this moment
          </button>
        </form>
        <p id={hintId} className="muted record-mark-hint">
          Or press <kbd>M</kbd> to mark a moment without typing, and give it words below later.
        </p>
        <MarkedMoments recordingId={status.recordingId} moments={moments} />
        {problem ? (
          <p className="notice notice-problem" role="alert">
            {problem}
          </p>
        ) : null}
      </div>
    </>
  );
}

function Saved({ name, clientId }: { name: string; clientId: string }) {
  const saved = useRecording((state) => state.saved)!;
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const destroyAfter = useSavedDestroyDate(clientId, saved.recordingId);
  return (
    <div className="record-card record-saved">
      <h1 id="record-title" ref={headingRef} tabIndex={-1}>
        {saved.problem ? 'Recording stopped. ' : ''}Saved: {positionClock(saved.elapsedMs)}
      </h1>
      <p>
        The session{name ? ` with ${name}` : ''} is kept on this laptop, locked, under the consent
        that was signed.
      </p>
      {destroyAfter !== null ? (
        <p data-testid="record-saved-destroy">
          It will be destroyed on <strong>{formatDate(destroyAfter)}</strong>, as the consent says.
        </p>
      ) : null}
      <SavedActions clientId={clientId} />
    </div>
  );
}
