// A client's consent state in words, with a shape beside it, so colour is never the only signal.
import type { ClientSummary } from './clients-store';

type ConsentState = ClientSummary['consent']['state'];

const consentStateWords: Record<ConsentState, string> = {
  active: 'Consent active',
  none: 'No consent yet',
  revoked: 'Consent revoked',
  ended: 'Therapy ended',
};

const marks: Record<ConsentState, string> = { active: '✓', none: '○', revoked: '✕', ended: '■' };

export function ConsentPill({ state }: { state: ConsentState }) {
  return (
    <span className={`pill pill-${state}`}>
      <span className="pill-mark" aria-hidden="true">
        {marks[state]}
      </span>
      {consentStateWords[state]}
    </span>
  );
}
