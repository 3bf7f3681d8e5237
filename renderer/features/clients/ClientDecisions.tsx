// Decisions made without a recording: the client declined, or chose an alternative (written
// takeaways, closing voice notes). Each is kept sealed in the client's file, logged, and printable.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ClientDetail } from './clients-store';
import { formatDateTime } from '../../../shared/format';
import { recordingDecisionSchema, type RecordingDecision } from '../../../shared/consent-terms';
import { FormMessage } from '../../components/FormMessage';
import { TextArea } from '../../components/TextArea';
import { CheckBox, RadioGroup } from '../consent/ConsentInputs';
import { useClients } from './clients-store';
import { useVault } from '../vault/vault-store';

type Decision = ClientDetail['decisions'][number];

const empty: RecordingDecision = {
  outcome: 'declined',
  alternatives: { writtenTakeaways: false, closingVoiceNotes: false },
  reasonsTalkedThrough: '',
  agreed: '',
};

function outcomeWords(decision: RecordingDecision): string {
  if (decision.outcome === 'declined') return 'Recording was declined.';
  const chosen = [
    ...(decision.alternatives.writtenTakeaways ? ['written takeaways'] : []),
    ...(decision.alternatives.closingVoiceNotes ? ['closing voice notes'] : []),
  ];
  return `Instead of recording sessions, we chose ${chosen.join(' and ')}.`;
}

export function ClientDecisions({ detail }: { detail: ClientDetail }) {
  const recordDecision = useClients((state) => state.recordDecision);
  const announce = useVault((state) => state.announce);
  const [draft, setDraft] = useState<RecordingDecision>(empty);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [printing, setPrinting] = useState<string | null>(null);
  const titleId = useId();
  const decisions = [...detail.decisions].sort((a, b) => b.decidedAt - a.decidedAt);

  // Only the chosen decision is marked for print while the print dialog is open.
  useEffect(() => {
    if (printing === null) return;
    const done = () => setPrinting(null);
    window.addEventListener('afterprint', done);
    window.print();
    return () => window.removeEventListener('afterprint', done);
  }, [printing]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const checked = recordingDecisionSchema.safeParse(draft);
    if (!checked.success) return setError(checked.error.issues[0]?.message ?? null);
    setBusy(true);
    const failure = await recordDecision({ clientId: detail.client.clientId, decision: draft });
    setBusy(false);
    if (failure) return setError(failure.message);
    setDraft(empty);
    setError(null);
    announce('The decision was saved in the client’s file.');
  }

  return (
    <section className="panel panel-wide" aria-labelledby={titleId}>
      <h2 id={titleId}>Decisions without recording</h2>
      {decisions.length === 0 ? (
        <p className="muted">No decision without recording has been noted.</p>
      ) : (
        <ul className="takeaways">
          {decisions.map((decision) => (
            <DecisionItem
              key={decision.decisionId}
              decision={decision}
              clientName={detail.client.displayName}
              printing={printing === decision.decisionId}
              onPrint={() => setPrinting(decision.decisionId)}
            />
          ))}
        </ul>
      )}
      <form onSubmit={submit} noValidate aria-label="Note a decision without recording">
        <RadioGroup
          legend="What was decided"
          value={draft.outcome}
          onChange={(outcome) => setDraft({ ...draft, outcome })}
          options={[
            { value: 'declined', label: 'Recording was declined' },
            { value: 'alternatives', label: 'An alternative was chosen instead of recording' },
          ]}
        />
        {draft.outcome === 'alternatives' ? (
          <fieldset className="choices">
            <legend>Which alternative</legend>
            <CheckBox
              label="Written takeaways"
              checked={draft.alternatives.writtenTakeaways}
              onChange={(writtenTakeaways) =>
                setDraft({ ...draft, alternatives: { ...draft.alternatives, writtenTakeaways } })
              }
            />
            <CheckBox
              label="Closing voice notes"
              checked={draft.alternatives.closingVoiceNotes}
              onChange={(closingVoiceNotes) =>
                setDraft({ ...draft, alternatives: { ...draft.alternatives, closingVoiceNotes } })
              }
            />
          </fieldset>
        ) : null}
        <TextArea
          label="The reasons we talked through"
          value={draft.reasonsTalkedThrough}
          onChange={(reasonsTalkedThrough) => setDraft({ ...draft, reasonsTalkedThrough })}
          rows={3}
        />
        <TextArea
          label="What we agreed"
          value={draft.agreed}
          onChange={(agreed) => setDraft({ ...draft, agreed })}
          rows={3}
          hint="Kept locked in the client’s file on this laptop, with the date, and noted in the access log."
        />
        <FormMessage message={error} />
        <div className="actions">
          <button type="submit" className="button button-secondary" disabled={busy}>
            Save the decision
          </button>
        </div>
      </form>
    </section>
  );
}

function DecisionItem({
  decision,
  clientName,
  printing,
  onPrint,
}: {
  decision: Decision;
  clientName: string;
  printing: boolean;
  onPrint: () => void;
}) {
  return (
    <li className={printing ? 'takeaway print-sheet' : 'takeaway'} data-testid="decision">
      <h3 className="takeaway-when">
        Decision of {formatDateTime(decision.decidedAt)}
        <span className="print-only"> · {clientName}</span>
      </h3>
      <p>{outcomeWords(decision)}</p>
      <p>
        <strong>The reasons we talked through:</strong> {decision.reasonsTalkedThrough}
      </p>
      <p>
        <strong>What we agreed:</strong> {decision.agreed}
      </p>
      <p className="print-only">Care does not depend on agreeing to record.</p>
      <div className="actions no-print">
        <button type="button" className="button button-secondary" onClick={onPrint}>
          Print this decision
        </button>
      </div>
    </li>
  );
}
