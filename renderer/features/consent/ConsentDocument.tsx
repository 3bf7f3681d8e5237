// The signed consent as a document: every term in plain words, the practice policy and its
// version, and each signature. Printing shows this document only (document.css), which in
// Electron offers "Save as PDF".
import { useEffect, useId, type ReactNode } from 'react';
import type { ClientDetail } from '../clients/clients-store';
import type { ConsentTerms } from '../../../shared/consent-terms';
import { describeTerms, shortHash } from '../../../shared/consent-text';
import { formatDate, formatDateTime } from '../../../shared/format';
import { SignatureImage } from './SignatureImage';
import { useFocusOnMount } from '../../components/focus';
import { useClients, type Policy } from '../clients/clients-store';
import { useVault } from '../vault/vault-store';
import '../../styles/document.css';

interface DocumentProps {
  terms: ConsentTerms;
  clientName: string;
  signedAt: number | null;
  policy: Policy | null;
  /** The text signed under, from main, for when the policy has changed since. */
  signedPolicyText?: string | null;
  practiceName: string;
}

export function ConsentDocument({
  terms,
  clientName,
  signedAt,
  policy,
  signedPolicyText,
  practiceName,
}: DocumentProps) {
  const titleId = useId();
  const policyText =
    policy?.policyHash === terms.policyVersionHash ? policy.text : (signedPolicyText ?? null);
  const nameOf = (signerId: string) =>
    signerId === 'therapist'
      ? 'Therapist'
      : (terms.participants.find((p) => p.participantId === signerId)?.displayName ??
        'Participant');
  return (
    <article className="consent-document" aria-labelledby={titleId}>
      <header className="document-head">
        <p className="document-practice">{practiceName}</p>
        <h2 id={titleId} className="document-title">
          Consent to record sessions
        </h2>
        <dl className="document-facts">
          <div>
            <dt>Client</dt>
            <dd>{clientName}</dd>
          </div>
          <div>
            <dt>Consent version</dt>
            <dd>
              Version {terms.version}
              {signedAt !== null ? `, signed on ${formatDate(signedAt)}` : ''}
            </dd>
          </div>
          <div>
            <dt>Practice policy version</dt>
            <dd className="mono">{terms.policyVersionHash}</dd>
          </div>
        </dl>
      </header>

      {describeTerms(terms).map((section) => (
        <section key={section.id} className="document-section">
          <h3>{section.title}</h3>
          <ul>
            {section.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      ))}

      <section className="document-section">
        <h3>The practice’s recording policy</h3>
        <p className="muted">
          Version <span className="mono">{shortHash(terms.policyVersionHash)}</span>, signed under.
        </p>
        {policyText !== null ? (
          <p className="document-policy">{policyText}</p>
        ) : (
          <p>
            The practice has changed its policy since this was signed. The version signed under is
            the one named above.
          </p>
        )}
      </section>

      <section className="document-section document-signatures">
        <h3>Signatures</h3>
        <ul className="signature-list">
          {terms.signatures.map((signature) => (
            <li key={signature.signerId} className="signature-block">
              <SignatureImage signature={signature} />
              <p className="signature-name">{signature.typedName}</p>
              <p className="signature-meta">
                {signature.role === 'therapist'
                  ? 'Therapist'
                  : `Participant: ${nameOf(signature.signerId)}`}
                {' · '}signed {formatDateTime(signature.signedAt)}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}

/** The document on screen, with a way to print it and a way back. */
export function ConsentDocumentView({
  detail,
  backLabel,
  onBack,
  title,
  intro,
}: {
  detail: ClientDetail;
  backLabel: string;
  onBack: () => void;
  title?: string;
  intro?: ReactNode;
}) {
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const policy = useClients((state) => state.policy);
  const loadPolicy = useClients((state) => state.loadPolicy);
  const practiceName = useVault((state) => state.status?.session?.practiceName ?? '');
  useEffect(() => {
    void loadPolicy();
  }, [loadPolicy]);
  const terms = detail.terms;
  if (!terms) return null;
  const signedAt = detail.versions.find((v) => v.version === terms.version)?.signedAt ?? null;
  return (
    <section aria-labelledby="document-view-title" className="document-view">
      <div className="document-toolbar no-print">
        <h1 id="document-view-title" ref={headingRef} tabIndex={-1}>
          {title ?? `Signed consent of ${detail.client.displayName}`}
        </h1>
        {intro}
        <div className="actions">
          <button type="button" className="button button-primary" onClick={() => window.print()}>
            Print or save as PDF
          </button>
          <button type="button" className="button button-secondary" onClick={onBack}>
            {backLabel}
          </button>
        </div>
      </div>
      <ConsentDocument
        terms={terms}
        clientName={detail.client.displayName}
        signedAt={signedAt}
        policy={policy}
        signedPolicyText={detail.signedPolicyText}
        practiceName={practiceName}
      />
    </section>
  );
}
