// Access log (therapist): who did what, when, whether the log is still intact, and export.
import { LogScreen } from './LogScreen';
import { useFocusOnMount } from '../../components/focus';

export function AccessLog() {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section aria-labelledby="access-log-title">
      <LogScreen
        title={
          <h1 id="access-log-title" ref={headingRef} tabIndex={-1}>
            Access log
          </h1>
        }
        fingerprintHint="Give it to your auditor on paper or by phone, so they can check an export."
      />
    </section>
  );
}
