// Which microphone records, and "Test microphone": a few seconds of its level and a verdict. The
// capture window listens, not this page; nothing of the test is kept.
import { useEffect, useId } from 'react';
import { MICROPHONE_TEST_MS } from '../../../shared/api';
import { Button } from '../../components/Button';
import { LevelMeter } from '../../components/LevelMeter';
import { useMicrophone } from './microphone-store';

/** Chromium's id for the system's own choice; choosing it is the same as choosing nothing. */
const SYSTEM_DEFAULT = 'default';

export function MicrophoneChoice() {
  const { microphones, chosen, problem, testing, level, verdict, load, choose, test } =
    useMicrophone();
  const headingId = useId();
  const selectId = useId();
  const hintId = useId();
  useEffect(() => {
    void load();
  }, [load]);

  const hasDefault = microphones?.some((m) => m.deviceId === SYSTEM_DEFAULT) ?? false;
  const missing =
    chosen !== null && microphones !== null && !microphones.some((m) => m.deviceId === chosen);
  const value = chosen ?? (hasDefault ? SYSTEM_DEFAULT : '');

  return (
    <div className="record-microphone" role="group" aria-labelledby={headingId}>
      <h2 id={headingId}>Microphone</h2>
      {microphones === null ? (
        <p className="muted">Finding the microphones…</p>
      ) : (
        <div className="field">
          <label htmlFor={selectId}>Record with</label>
          <select
            id={selectId}
            value={value}
            onChange={(event) => {
              const picked = event.currentTarget.value;
              void choose(picked === '' || picked === SYSTEM_DEFAULT ? null : picked);
            }}
          >
            {hasDefault ? null : <option value="">The laptop’s default microphone</option>}
            {missing ? (
              <option value={chosen}>The microphone chosen before (not connected)</option>
            ) : null}
            {microphones.map((microphone) => (
              <option key={microphone.deviceId} value={microphone.deviceId}>
                {microphone.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {missing ? (
        <p className="notice notice-problem">
          The microphone chosen before is not connected. Plug it in, or choose another one.
        </p>
      ) : null}
      <div className="record-microphone-test">
        <Button
          className="button button-secondary"
          busy={testing}
          unavailable={microphones === null}
          aria-describedby={hintId}
          onClick={() => void test()}
        >
          Test microphone
        </Button>
        <span id={hintId} className="muted">
          {testing
            ? 'Listening… say a few words.'
            : `Listens for ${MICROPHONE_TEST_MS / 1000} seconds. Nothing is recorded.`}
        </span>
      </div>
      {testing ? <LevelMeter level={level} active /> : null}
      {verdict && !testing ? (
        <p
          className={verdict.verdict === 'heard' ? 'notice notice-ok' : 'notice notice-problem'}
          data-testid="microphone-verdict"
        >
          {verdict.message}
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
