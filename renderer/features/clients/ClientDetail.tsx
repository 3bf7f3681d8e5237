// A client: consent status and what it allows, recordings with their destruction dates,
// written takeaways, the signed versions, and revoking or ending therapy as plainly as signing.
import { useEffect, useId, useState } from 'react';
import type { ClientDetail as Detail } from './clients-store';
import { formatDate } from '../../../shared/format';
import { ConsentPill } from './ConsentPill';
import { useFocusOnMount } from '../../components/focus';
import { FormMessage } from '../../components/FormMessage';
import { Refusal } from '../../app/call-main';
import { readConsentVersion, useClients } from './clients-store';
import { useVault } from '../vault/vault-store';
import { ClientEnding } from './ClientEnding';
import { ClientRecordings } from './ClientRecordings';
import { ReviewForm, StartReviewButton } from './ClientReviewStart';
import { ClientDecisions } from './ClientDecisions';
import { ClientTakeaways } from './ClientTakeaways';
import { ConsentDocumentView } from '../consent/ConsentDocument';

export function ClientDetail({ clientId }: { clientId: string }) {
  const detail = useClients((state) => state.detail);
  const loadDetail = useClients((state) => state.loadDetail);
  const loadProblem = useClients((state) => state.loadProblem);
  const open = useVault((state) => state.open);
  const [showDocument, setShowDocument] = useState(false);
  // An earlier version opened to read or print again; null shows the one in force.
  const [earlier, setEarlier] = useState<Detail | null>(null);
  const [earlierProblem, setEarlierProblem] = useState<string | null>(null);

  useEffect(() => {
    void loadDetail(clientId);
  }, [clientId, loadDetail]);

  const current = detail?.client.clientId === clientId ? detail : null;
  if (current === null) {
    return (
      <section aria-labelledby="client-loading" className="client-detail">
        <BackToClients />
        <h1 id="client-loading">Client</h1>
        <FormMessage message={loadProblem} />
        {loadProblem ? null : <p className="muted">Opening the client…</p>}
      </section>
    );
  }
  if (showDocument && (earlier ?? current).terms) {
    return (
      <ConsentDocumentView
        detail={earlier ?? current}
        backLabel="Back to client"
        onBack={() => {
          setShowDocument(false);
          setEarlier(null);
        }}
      />
    );
  }

  async function showVersion(version: number) {
    if (current === null) return;
    const latest = current.versions.at(-1)?.version;
    if (version === latest) {
      setEarlier(null);
      setShowDocument(true);
      return;
    }
    const signed = await readConsentVersion(clientId, version);
    if (signed instanceof Refusal) {
      setEarlierProblem(signed.message);
      return;
    }
    setEarlierProblem(null);
    setEarlier({
      ...current,
      terms: signed.terms,
      signedPolicyText: signed.signedPolicyText,
    });
    setShowDocument(true);
  }

  return (
    <ClientPage
      detail={current}
      onShowDocument={() => void showVersion(current.versions.at(-1)?.version ?? 1)}
      onShowVersion={(version) => void showVersion(version)}
      versionProblem={earlierProblem}
      onRecord={() => open({ kind: 'record', clientId })}
      onVoiceNote={() => open({ kind: 'voice-note', clientId })}
    />
  );
}

function BackToClients() {
  const open = useVault((state) => state.open);
  // Back goes to the tab the client was opened from: Home or the list.
  const fromHome = useVault((state) => state.view === 'home');
  return (
    <button type="button" className="link-button back-link" onClick={() => open(null)}>
      <span aria-hidden="true">←</span> {fromHome ? 'Back to Home' : 'All clients'}
    </button>
  );
}

function ClientPage({
  detail,
  onShowDocument,
  onShowVersion,
  versionProblem,
  onRecord,
  onVoiceNote,
}: {
  detail: Detail;
  onShowDocument: () => void;
  onShowVersion: (version: number) => void;
  versionProblem: string | null;
  onRecord: () => void;
  onVoiceNote: () => void;
}) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const open = useVault((state) => state.open);
  const { client, terms } = detail;
  const { consent } = client;
  const titleId = useId();
  const recordWhyId = useId();
  const wizardWhyId = useId();
  const others = client.participants.slice(1).map((p) => p.displayName);
  const ended = consent.state === 'ended';
  const wizardLabel = !terms
    ? 'Walk through consent'
    : consent.state === 'revoked'
      ? 'Walk through consent again'
      : 'Change the terms';
  const consentIsNext = consent.state === 'none' || consent.state === 'revoked';
  const latest = detail.versions[detail.versions.length - 1];
  const [reviewing, setReviewing] = useState(false);

  return (
    <section aria-labelledby={titleId} className="client-detail">
      <BackToClients />
      <div className="client-head">
        <h1 id={titleId} ref={headingRef} tabIndex={-1}>
          {client.displayName}
        </h1>
        {others.length > 0 ? <p className="muted">With {others.join(', ')}</p> : null}
      </div>

      <section className="panel panel-wide consent-card" aria-labelledby={`${titleId}-consent`}>
        <div className="consent-card-head">
          <h2 id={`${titleId}-consent`}>Consent</h2>
          <ConsentPill state={consent.state} />
        </div>
        <p className="consent-summary">
          {consent.summary ?? 'No consent has been signed yet. Walk through it together first.'}
        </p>
        {latest ? (
          <p className="muted">
            Version {latest.version}, signed on {formatDate(latest.signedAt)}.
            {consent.revokedAt !== null ? ` Revoked on ${formatDate(consent.revokedAt)}.` : ''}
            {consent.therapyEndedAt !== null
              ? ` Therapy ended on ${formatDate(consent.therapyEndedAt)}.`
              : ''}
          </p>
        ) : null}
        <div className="actions">
          <button
            type="button"
            className={consent.record.allow ? 'button button-primary' : 'button button-secondary'}
            disabled={!consent.record.allow}
            aria-describedby={consent.record.allow ? undefined : recordWhyId}
            onClick={onRecord}
          >
            Record a session
          </button>
          {consent.recordVoiceNote.allow ? (
            <button type="button" className="button button-secondary" onClick={onVoiceNote}>
              Record a closing voice note
            </button>
          ) : null}
          <button
            type="button"
            className={consentIsNext ? 'button button-primary' : 'button button-secondary'}
            disabled={ended}
            aria-describedby={ended ? wizardWhyId : undefined}
            onClick={() => open({ kind: 'consent', clientId: client.clientId })}
          >
            {wizardLabel}
          </button>
          <StartReviewButton
            client={client}
            expanded={reviewing}
            onOpen={() => setReviewing(true)}
          />
        </div>
        {reviewing ? <ReviewForm client={client} onCancel={() => setReviewing(false)} /> : null}
        {consent.record.allow ? null : (
          <p id={recordWhyId} className="why">
            <strong>
              {consent.state === 'none'
                ? 'Recording is not possible yet.'
                : 'Recording is not possible now.'}
            </strong>{' '}
            {consent.record.reasons.join(' ')}
          </p>
        )}
        {ended && consent.therapyEndedAt !== null ? (
          <p id={wizardWhyId} className="why">
            Therapy ended on {formatDate(consent.therapyEndedAt)}, so no new consent can be signed.
          </p>
        ) : null}
        {terms && !consentIsNext && !ended ? (
          <p className="muted">Changing the terms makes a new version that everyone signs again.</p>
        ) : null}
      </section>

      <ClientRecordings detail={detail} />
      <ClientTakeaways detail={detail} />
      <ClientDecisions detail={detail} />

      <section className="panel panel-wide" aria-labelledby={`${titleId}-versions`}>
        <h2 id={`${titleId}-versions`}>Signed consent</h2>
        {detail.versions.length === 0 ? (
          <p className="muted">Nothing signed yet.</p>
        ) : (
          <>
            <ul className="versions">
              {[...detail.versions].reverse().map((version, index) => (
                <li key={version.version}>
                  Version {version.version}, signed on {formatDate(version.signedAt)}
                  {index === 0 ? (
                    <span className="version-tag">
                      {consent.state === 'revoked'
                        ? ' (the last one; consent is revoked)'
                        : consent.state === 'ended'
                          ? ' (the last one; therapy has ended)'
                          : ' (the one in force)'}
                    </span>
                  ) : (
                    <>
                      <span className="version-tag"> (replaced) </span>
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => onShowVersion(version.version)}
                      >
                        Read or print version {version.version}
                      </button>
                    </>
                  )}
                </li>
              ))}
            </ul>
            <FormMessage message={versionProblem} />
            <div className="actions">
              <button type="button" className="button button-secondary" onClick={onShowDocument}>
                Print or save as PDF…
              </button>
            </div>
          </>
        )}
      </section>

      <ClientEnding detail={detail} />
    </section>
  );
}
