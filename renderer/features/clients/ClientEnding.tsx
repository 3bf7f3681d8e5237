// Revoking consent and ending therapy: each one button and one confirm that says, from the
// signed terms, exactly what will be destroyed. No more clicks than signing took.
import { useId, useState } from 'react';
import type { ClientDetail } from './clients-store';
import { formatDays } from '../../../shared/format';
import { ConfirmPanel } from '../../components/ConfirmPanel';
import { FormMessage } from '../../components/FormMessage';
import { Refusal } from '../../app/call-main';
import { useClients } from './clients-store';
import { useVault } from '../vault/vault-store';

type Asking = 'none' | 'revoke' | 'end';

/** Where consent stands, in one line above the buttons that change it. */
const standing: Record<ClientDetail['client']['consent']['state'], string> = {
  none: 'No consent has been signed, so there is nothing to revoke yet.',
  active: 'The client can revoke consent at any time, here with you or in their own review.',
  revoked: 'Consent was revoked. Signing new terms together makes recording possible again.',
  ended: 'Therapy has ended. No new recordings or consent can be made.',
};

function recordingsWord(count: number): string {
  return count === 1 ? '1 recording' : `${count} recordings`;
}

export function ClientEnding({ detail }: { detail: ClientDetail }) {
  const revoke = useClients((state) => state.revoke);
  const endTherapy = useClients((state) => state.endTherapy);
  const archive = useClients((state) => state.archive);
  const announce = useVault((state) => state.announce);
  const [asking, setAsking] = useState<Asking>('none');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const { client, terms } = detail;
  const state = client.consent.state;
  const kept = detail.recordings.filter((r) => r.state !== 'destroyed').length;
  const name = client.displayName;

  async function act(kind: 'revoke' | 'end') {
    setBusy(true);
    const outcome =
      kind === 'revoke' ? await revoke(client.clientId) : await endTherapy(client.clientId);
    setBusy(false);
    setAsking('none');
    if (outcome instanceof Refusal) return setError(outcome.message);
    setError(null);
    const destroyed =
      outcome.destroyed === 0
        ? 'No recording was destroyed.'
        : `${recordingsWord(outcome.destroyed)} destroyed.`;
    announce(`${kind === 'revoke' ? 'Consent revoked.' : 'Therapy ended.'} ${destroyed}`);
  }

  const revokeWords =
    terms?.revocation.destroys === 'all-recordings'
      ? `Recording stops at once, and every recording of ${name} is destroyed now (${recordingsWord(kept)}). No one can listen to them again. This cannot be undone.`
      : `Recording stops at once. The ${recordingsWord(kept)} already made are kept until their end date, as the terms say.`;
  const endWords = !terms
    ? `No new recordings or consent can be made for ${name}.`
    : terms.termination.action === 'destroy-now'
      ? `Every recording of ${name} is destroyed now (${recordingsWord(kept)}), as the terms say. No new recordings or consent can be made.`
      : `The ${recordingsWord(kept)} are kept ${formatDays(terms.termination.days)} more so ${name} can listen again in client review, and are then destroyed. Only ${name} may listen in that time. No new recordings or consent can be made.`;

  return (
    <section className="panel panel-wide ending" aria-labelledby={titleId}>
      <h2 id={titleId}>Revoke consent or end therapy</h2>
      <p className="muted">{standing[state]}</p>
      <FormMessage message={error} />
      {asking === 'revoke' ? (
        <ConfirmPanel
          title="Revoke consent?"
          confirmLabel="Yes, revoke consent"
          cancelLabel="Keep consent"
          busy={busy}
          danger
          onConfirm={() => void act('revoke')}
          onCancel={() => setAsking('none')}
        >
          <p>{revokeWords}</p>
          <p>Signing new terms later makes recording possible again.</p>
        </ConfirmPanel>
      ) : null}
      {asking === 'end' ? (
        <ConfirmPanel
          title="End therapy?"
          confirmLabel="Yes, end therapy"
          cancelLabel="Not now"
          busy={busy}
          danger
          onConfirm={() => void act('end')}
          onCancel={() => setAsking('none')}
        >
          <p>{endWords}</p>
        </ConfirmPanel>
      ) : null}
      {asking === 'none' ? (
        <div className="actions">
          {state === 'active' ? (
            <button
              type="button"
              className="button button-danger-outline"
              onClick={() => {
                setError(null);
                setAsking('revoke');
              }}
            >
              Revoke consent
            </button>
          ) : null}
          {state !== 'ended' ? (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setError(null);
                setAsking('end');
              }}
            >
              End therapy
            </button>
          ) : null}
          <button
            type="button"
            className="link-button"
            onClick={async () => {
              const failure = await archive(client.clientId, !client.archived);
              if (failure) setError(failure.message);
              else
                announce(
                  client.archived ? `${name} is back in the list.` : `${name} was archived.`,
                );
            }}
          >
            {client.archived ? 'Bring back from the archive' : 'Archive this client'}
          </button>
        </div>
      ) : null}
    </section>
  );
}
