// The last step: read every term again, see the practice policy version signed under, and sign:
// each participant and the therapist, with a typed full name and a drawn signature (or, for
// someone who cannot draw, the typed name alone).
import { useEffect, useId, useRef, useState } from 'react';
import type { ClientDetail } from '../clients/clients-store';
import { consentDraftSchema } from '../../../shared/api';
import { signatureSchema, type Signature } from '../../../shared/consent-terms';
import { describeTerms, shortHash } from '../../../shared/consent-text';
import { formatDateTime } from '../../../shared/format';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { SignatureImage } from './SignatureImage';
import { SignaturePad } from './SignaturePad';
import { useVault } from '../vault/vault-store';
import type { Policy } from '../clients/clients-store';
import { policyVersionLabel } from './ConsentDocument';
import { previewTerms, termsInput, type SignDraft, type WizardDraft } from './ConsentWizardDraft';
import { MovedDates } from './ConsentMovedDates';
import { useMovedDeadlines } from './moved-deadlines';

export interface SignatureDraft {
  signerId: string;
  role: Signature['role'];
  /** Who this block is for: "Alex Example" or "The therapist". */
  who: string;
  typedName: string;
  path: string;
  typedOnly: boolean;
  signed: Signature | null;
}

export function signersOf(detail: ClientDetail): SignatureDraft[] {
  const blank = { typedName: '', path: '', typedOnly: false, signed: null };
  return [
    ...detail.client.participants.map((p) => ({
      ...blank,
      signerId: p.participantId,
      role: 'participant' as const,
      who: p.displayName,
    })),
    { ...blank, signerId: 'therapist', role: 'therapist' as const, who: 'The therapist' },
  ];
}

/** The draft main signs, or the sentence that says what is still missing. */
export function buildDraft(
  draft: WizardDraft,
  detail: ClientDetail,
  signatures: SignatureDraft[],
  policyHash: string,
): { terms: SignDraft } | { problem: string } {
  const missing = signatures.filter((s) => s.signed === null).map((s) => s.who);
  if (missing.length > 0)
    return { problem: `Everyone must sign first. Still to sign: ${missing.join(', ')}.` };
  const signed = signatures.flatMap((s) => (s.signed ? [s.signed] : []));
  const result = consentDraftSchema.safeParse(termsInput(draft, detail, policyHash, signed));
  if (!result.success)
    return { problem: result.error.issues[0]?.message ?? 'Something in the terms is missing.' };
  return { terms: result.data };
}

/** A fingerprint of a typed-only signature: the name and the moment, as the schema allows. */
async function typedFingerprint(typedName: string, signedAt: number): Promise<string> {
  const bytes = new TextEncoder().encode(`typed signature\n${typedName}\n${signedAt}`);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface SignStepProps {
  draft: WizardDraft;
  detail: ClientDetail;
  policy: Policy;
  signatures: SignatureDraft[];
  setSignatures: (next: SignatureDraft[]) => void;
}

export function SignStep({ draft, detail, policy, signatures, setSignatures }: SignStepProps) {
  const terms = previewTerms(draft, detail, policy.policyHash);
  const moved = useMovedDeadlines(detail.client.clientId, detail.terms ? terms : null);
  const titleId = useId();
  const change = (index: number, patch: Partial<SignatureDraft>) =>
    setSignatures(signatures.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  return (
    <>
      <p className="lead">
        Read this together. If anything is not right, go back and change it. Then everyone signs.
      </p>
      {moved ? <MovedDates moved={moved} /> : null}
      {terms ? <TermsSummary terms={terms} /> : null}
      <section className="wizard-policy" aria-label="Practice policy">
        <p>
          You sign under the practice’s recording policy,{' '}
          <strong>{policyVersionLabel(policy, policy.policyHash) ?? 'the current version'}</strong>.{' '}
          <small className="muted">
            Fingerprint <span className="mono">{shortHash(policy.policyHash)}</span>
          </small>
        </p>
        <details>
          <summary>Read the practice’s recording policy</summary>
          <p className="document-policy">{policy.text}</p>
        </details>
      </section>
      <section aria-labelledby={titleId} className="signers">
        <h2 id={titleId}>Signatures</h2>
        {signatures.map((signature, index) => (
          <SignerBlock
            key={signature.signerId}
            signature={signature}
            onChange={(patch) => change(index, patch)}
          />
        ))}
      </section>
    </>
  );
}

function TermsSummary({ terms }: { terms: SignDraft }) {
  return (
    <div className="terms-summary">
      {describeTerms(terms).map((section) => (
        <section key={section.id} className="terms-summary-section">
          <h2>{section.title}</h2>
          <ul>
            {section.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function SignerBlock({
  signature,
  onChange,
}: {
  signature: SignatureDraft;
  onChange: (patch: Partial<SignatureDraft>) => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const announce = useVault((state) => state.announce);
  const undoRef = useRef<HTMLButtonElement>(null);
  const justSigned = useRef(false);
  useEffect(() => {
    if (!justSigned.current || !signature.signed) return;
    justSigned.current = false;
    undoRef.current?.focus();
  }, [signature.signed]);
  const headingId = useId();
  const checkId = useId();
  const padHintId = useId();
  const label = signature.role === 'therapist' ? 'the therapist' : signature.who;

  async function signNow() {
    const signedAt = Date.now();
    const typedName = signature.typedName.trim();
    const drawnSignature = signature.typedOnly
      ? { kind: 'sha256' as const, hash: await typedFingerprint(typedName, signedAt) }
      : { kind: 'svg-path' as const, d: signature.path };
    const parsed = signatureSchema.safeParse({
      signerId: signature.signerId,
      role: signature.role,
      typedName,
      signedAt,
      drawnSignature,
    });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'Sign again.');
    setError(null);
    onChange({ signed: parsed.data });
    // The Sign button goes away with this: say what happened, and focus the Undo that replaces it.
    announce(`Signed by ${parsed.data.typedName}.`);
    justSigned.current = true;
  }

  if (signature.signed) {
    return (
      <div className="signer is-signed" role="group" aria-labelledby={headingId}>
        <h3 id={headingId}>{signature.who}</h3>
        <SignatureImage signature={signature.signed} />
        <p className="signer-done">
          <span aria-hidden="true">✓ </span>Signed by {signature.signed.typedName},{' '}
          {formatDateTime(signature.signed.signedAt)}
        </p>
        <button
          ref={undoRef}
          type="button"
          className="link-button"
          onClick={() => onChange({ signed: null })}
        >
          Undo the signature of {label}
        </button>
      </div>
    );
  }
  return (
    <div className="signer" role="group" aria-labelledby={headingId}>
      <h3 id={headingId}>{signature.who}</h3>
      <Field
        label={`Full name of ${label}, typed`}
        value={signature.typedName}
        onChange={(typedName) => {
          onChange({ typedName });
          setError(null);
        }}
        autoComplete="off"
      />
      <SignaturePad
        signer={label}
        value={signature.path}
        disabled={signature.typedOnly}
        describedBy={padHintId}
        onChange={(path) => {
          onChange({ path });
          setError(null);
        }}
      />
      <p id={padHintId} className="field-hint">
        Draw a signature in the box with a mouse, pen or finger.
      </p>
      <div className="check check-tight">
        <input
          id={checkId}
          type="checkbox"
          checked={signature.typedOnly}
          onChange={(event) => {
            onChange({ typedOnly: event.target.checked });
            setError(null);
          }}
        />
        <label htmlFor={checkId}>I cannot draw; my typed name is my signature</label>
      </div>
      <FormMessage message={error} />
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={() => void signNow()}>
          Sign as {label}
        </button>
      </div>
    </div>
  );
}
