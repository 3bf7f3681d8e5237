// The card before a recording starts, shared by Record and the closing voice note: what the consent
// says (from the screen), the microphone and its test, the spoken reconfirmation, then Record or
// Don't record side by side, with why Record cannot act yet and what main refused.
import { useId, useState, type ReactNode } from 'react';
import type { RecordingKind } from '../../../shared/consent-terms';
import { useVault } from '../vault/vault-store';
import { MicrophoneChoice } from './MicrophoneChoice';
import { useMicrophone } from './microphone-store';
import { useRecording } from './recording-store';

export function BeforeRecordingCard({
  clientId,
  kind,
  decision,
  otherRunning = false,
  confirmLabel,
  startLabel,
  children,
}: {
  clientId: string;
  kind: RecordingKind;
  /** main's decision to record this kind for this client. */
  decision: { allow: boolean; reasons: string[] } | undefined;
  /** Another client's recording is running. */
  otherRunning?: boolean;
  /** What the therapist ticks to say consent was confirmed aloud. */
  confirmLabel: string;
  startLabel: string;
  /** What the consent says, above the microphone. */
  children: ReactNode;
}) {
  const open = useVault((state) => state.open);
  const start = useRecording((state) => state.start);
  const busy = useRecording((state) => state.busy);
  const testing = useMicrophone((state) => state.testing);
  const [confirmed, setConfirmed] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const whyId = useId();
  const allowed = decision?.allow ?? false;
  const blocked = !allowed
    ? (decision?.reasons.join(' ') ?? '')
    : otherRunning
      ? 'Another recording is running. Stop it first.'
      : testing
        ? 'Wait for the microphone test to finish.'
        : !confirmed
          ? 'Tick the box above first.'
          : '';

  return (
    <div className="record-card">
      {children}
      {allowed ? <MicrophoneChoice /> : null}
      {allowed ? (
        <label className="check record-check">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(event) => setConfirmed(event.currentTarget.checked)}
          />
          <span>{confirmLabel}</span>
        </label>
      ) : null}
      <div className="actions record-actions">
        <button
          type="button"
          className="button button-primary record-start"
          disabled={blocked !== '' || busy}
          aria-describedby={blocked ? whyId : undefined}
          onClick={async () => {
            const error = await start(clientId, kind);
            setProblem(error?.message ?? null);
          }}
        >
          <span className="record-dot-idle" aria-hidden="true" />
          {startLabel}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => open({ kind: 'client', clientId })}
        >
          Don’t record
        </button>
      </div>
      {blocked ? (
        <p id={whyId} className="muted record-why">
          {blocked}
        </p>
      ) : null}
      {problem ? (
        <p className="notice notice-problem" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
