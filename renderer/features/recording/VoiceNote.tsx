// The closing voice note: the client speaks for up to two minutes, with a large countdown. Main
// stops it at the limit by its own count of recorded time; this screen only shows what main says.
import { useState } from 'react';
import { useFocusOnMount } from '../../components/focus';
import { LevelMeter } from '../../components/LevelMeter';
import { positionClock, shortDuration } from '../../components/time-words';
import { formatDate } from '../../../shared/format';
import type { ClientDetail } from '../clients/clients-store';
import { useRecording } from './recording-store';
import { useRecordingScreen, useSavedDestroyDate } from './recording-screen';
import { BeforeRecordingCard } from './BeforeRecordingCard';
import { SavedActions } from './SavedActions';
import { RecordingStateLine } from './RecordingStateLine';
import '../../styles/record.css';

export function VoiceNote({ clientId }: { clientId: string }) {
  const { detail, loadProblem, running, savedHere, name } = useRecordingScreen(clientId);

  return (
    <section className="record voice-note" aria-labelledby="voice-note-title">
      {running ? (
        <Speaking name={name} />
      ) : savedHere ? (
        <Saved clientId={clientId} />
      ) : (
        <BeforeSpeaking clientId={clientId} detail={detail} loadProblem={loadProblem} />
      )}
    </section>
  );
}

function BeforeSpeaking({
  clientId,
  detail,
  loadProblem,
}: {
  clientId: string;
  detail: ClientDetail | null;
  loadProblem: string | null;
}) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const decision = detail?.client.consent.recordVoiceNote;

  return (
    <>
      <h1 id="voice-note-title" ref={headingRef} tabIndex={-1}>
        A closing voice note{detail ? ` from ${detail.client.displayName}` : ''}
      </h1>
      {loadProblem ? <p className="notice notice-problem">{loadProblem}</p> : null}
      {detail ? (
        <BeforeRecordingCard
          clientId={clientId}
          kind="voice-note"
          decision={decision}
          confirmLabel="We agreed aloud to record a closing voice note now"
          startLabel="Start the voice note"
        >
          <p className="lead">
            Say in your own words what you want to remember from today. You have up to 2 minutes; it
            stops by itself at the end.
          </p>
          {decision?.allow ? (
            <p className="muted" data-testid="voice-note-terms">
              {decision.reasons.at(-1)}
            </p>
          ) : null}
        </BeforeRecordingCard>
      ) : null}
    </>
  );
}

function Speaking({ name }: { name: string }) {
  const status = useRecording((state) => state.status)!;
  const stop = useRecording((state) => state.stop);
  const [problem, setProblem] = useState<string | null>(null);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const stopping = status.state === 'stopping';
  const left = Math.max(0, (status.limitMs ?? 0) - status.elapsedMs);
  // Rounded up, so the countdown reads 2:00 until the first second is recorded and 0:00 at the end.
  const shown = Math.ceil(left / 1000) * 1000;

  return (
    <>
      <h1 id="voice-note-title" ref={headingRef} tabIndex={-1} className="visually-hidden">
        Recording a closing voice note{name ? ` from ${name}` : ''}
      </h1>
      <div className="record-live">
        <RecordingStateLine state={status.state} who={name ? `a voice note from ${name}` : null} />
        <p
          className="voice-note-countdown"
          data-testid="voice-note-countdown"
          aria-label={`Time left: ${shortDuration(shown)}`}
        >
          {positionClock(shown)}
        </p>
        <p className="muted">Time left. It stops by itself at 0:00.</p>
        <LevelMeter level={status.level} active={!stopping} />
        {status.problem ? (
          <p className="notice notice-problem" role="alert">
            {status.problem.message}
          </p>
        ) : null}
        <div className="actions record-actions">
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
        {problem ? (
          <p className="notice notice-problem" role="alert">
            {problem}
          </p>
        ) : null}
      </div>
    </>
  );
}

function Saved({ clientId }: { clientId: string }) {
  const saved = useRecording((state) => state.saved)!;
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const destroyOn = useSavedDestroyDate(clientId, saved.recordingId);

  return (
    <div className="record-card record-saved">
      <h1 id="voice-note-title" ref={headingRef} tabIndex={-1}>
        {saved.problem ? 'Voice note stopped. ' : ''}Voice note saved:{' '}
        {shortDuration(saved.elapsedMs)}
      </h1>
      <p>
        It is kept on this laptop, encrypted, under the voice-note terms that were signed
        {destroyOn !== null ? `, and will be destroyed on ${formatDate(destroyOn)}` : ''}.
      </p>
      <SavedActions clientId={clientId} />
    </div>
  );
}
