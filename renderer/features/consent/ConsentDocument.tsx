// The signed consent as a document: a header naming the practice, the therapist's licence, every
// participant and when it was signed; every term in plain words with the signatures right after
// them; the practice policy with its version. Printing shows this document only (document.css),
// with the client's name, the consent's id and "page x of y" on every page (print-page.ts).
import { useEffect, useId, useState, type ReactNode } from 'react';
import { Refusal } from '../../app/call-main';
import { FormMessage } from '../../components/FormMessage';
import { saveConsentPdf } from '../clients/clients-store';
import type { PracticeDetails } from '../../../shared/api';
import type { ClientDetail } from '../clients/clients-store';
import type { ConsentTerms } from '../../../shared/consent-terms';
import { describeTerms, participantNames } from '../../../shared/consent-text';
import { formatDate, formatDateTime } from '../../../shared/format';
import { SignatureImage } from './SignatureImage';
import { useFocusOnMount } from '../../components/focus';
import { useClients, type Policy } from '../clients/clients-store';
import { usePractice } from '../settings/practice-store';
import { useVault } from '../vault/vault-store';
import { usePrintedPages } from './print-page';
import '../../styles/document.css';

interface DocumentProps {
  terms: ConsentTerms;
  clientName: string;
  signedAt: number | null;
  policy: Policy | null;
  /** The text signed under, from main, for when the policy has changed since. */
  signedPolicyText?: string | null;
  practiceName: string;
  /** Address, phone and licence from Settings; null until read. */
  practice?: PracticeDetails | null;
}

/** "Version 2, 14 Mar 2026": the policy's place among the practice's versions, and its date. */
export function policyVersionLabel(policy: Policy | null, hash: string): string | null {
  const versions = [...(policy?.versions ?? [])].sort((a, b) => a.createdAt - b.createdAt);
  const index = versions.findIndex((v) => v.policyHash === hash);
  if (index < 0) return null;
  return `Version ${index + 1}, ${formatDate(versions[index]!.createdAt)}`;
}

function licenceLine(practice: PracticeDetails): string | null {
  const { kind, number, jurisdiction } = practice.licence;
  const parts = [kind, number ? `no. ${number}` : '', jurisdiction].filter((part) => part !== '');
  return parts.length === 0 ? null : parts.join(', ');
}

export function ConsentDocument({
  terms,
  clientName,
  signedAt,
  policy,
  signedPolicyText,
  practiceName,
  practice = null,
}: DocumentProps) {
  const titleId = useId();
  const policyLabel = policyVersionLabel(policy, terms.policyVersionHash);
  const licence = practice ? licenceLine(practice) : null;
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
        <div className="document-practice">
          <p className="document-practice-name">{practice?.practiceName || practiceName}</p>
          {practice?.address ? <p>{practice.address}</p> : null}
          {practice?.phone ? <p>Phone: {practice.phone}</p> : null}
        </div>
        <h2 id={titleId} className="document-title">
          Consent to record sessions
        </h2>
        <dl className="document-facts">
          <div>
            <dt>Therapist</dt>
            <dd>
              {practice?.therapistName || 'The therapist'}
              {licence ? `, ${licence}` : ''}
            </dd>
          </div>
          <div>
            <dt>Client</dt>
            <dd>{clientName}</dd>
          </div>
          <div>
            <dt>People in the sessions</dt>
            <dd>{participantNames(terms)}</dd>
          </div>
          {terms.representative ? (
            <div>
              <dt>Signed for the client by</dt>
              <dd>
                {terms.representative.name} ({terms.representative.relation})
              </dd>
            </div>
          ) : null}
          <div>
            <dt>Consent version</dt>
            <dd>
              Version {terms.version}
              {signedAt !== null ? `, signed on ${formatDate(signedAt)}` : ''}
            </dd>
          </div>
          <div>
            <dt>Signed</dt>
            <dd>{signedAt !== null ? formatDateTime(signedAt) : 'Not signed yet'}</dd>
          </div>
          <div>
            <dt>Practice policy</dt>
            <dd>{policyLabel ?? 'The version named at the end'}</dd>
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

      <section className="document-section document-signatures">
        <h3>Signatures</h3>
        <p>By signing, each person agrees to the terms above.</p>
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

      <section className="document-section">
        <h3>The practice’s recording policy</h3>
        <p className="muted">{policyLabel ?? 'The version signed under'}, signed under.</p>
        {policyText !== null ? (
          <p className="document-policy">{policyText}</p>
        ) : (
          <p>
            The practice has changed its policy since this was signed. The version signed under is
            the one named above.
          </p>
        )}
        <p className="document-fine-print">
          Policy fingerprint: <span className="mono">{terms.policyVersionHash}</span>
        </p>
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
  const practice = usePractice((state) => state.details);
  const loadPractice = usePractice((state) => state.load);
  useEffect(() => {
    void loadPolicy();
    void loadPractice();
  }, [loadPolicy, loadPractice]);
  const [pdfProblem, setPdfProblem] = useState<string | null>(null);
  const [pdfSaved, setPdfSaved] = useState<string | null>(null);
  const terms = detail.terms;
  usePrintedPages(
    terms
      ? {
          title: `Consent — ${detail.client.displayName} — version ${terms.version}`,
          author: practice?.practiceName || practiceName,
          footer: `${detail.client.displayName} · consent ${terms.consentId}`,
        }
      : null,
  );
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
          <button
            type="button"
            className="button button-secondary"
            onClick={async () => {
              setPdfProblem(null);
              setPdfSaved(null);
              const answer = await saveConsentPdf(detail.client.clientId, terms.version);
              if (answer instanceof Refusal) setPdfProblem(answer.message);
              else if (answer.saved) setPdfSaved('Saved as a PDF file.');
            }}
          >
            Save as a PDF file
          </button>
          <button type="button" className="button button-secondary" onClick={onBack}>
            {backLabel}
          </button>
        </div>
        <FormMessage message={pdfProblem} />
        <p role="status" className="saved-note">
          {pdfSaved}
        </p>
      </div>
      <ConsentDocument
        terms={terms}
        clientName={detail.client.displayName}
        signedAt={signedAt}
        policy={policy}
        signedPolicyText={detail.signedPolicyText}
        practiceName={practiceName}
        practice={practice}
      />
    </section>
  );
}
