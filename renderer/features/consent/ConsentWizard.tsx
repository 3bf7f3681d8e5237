// The consent wizard, walked through together on the laptop: one step per screen, plain words,
// Back and Next, and at the end everyone signs. Main stores it as a new version; a signed
// version is never edited.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { reviewCredentialSchema, type KeptWizardDraft } from '../../../shared/api';
import { formatDate } from '../../../shared/format';
import { useFocusOnMount } from '../../components/focus';
import { FormMessage } from '../../components/FormMessage';
import { useClients } from '../clients/clients-store';
import { useVault } from '../vault/vault-store';
import { ConsentDocumentView } from './ConsentDocument';
import { PinStep } from './ConsentPinStep';
import { SignStep, buildDraft, signersOf, type SignatureDraft } from './ConsentSignStep';
import { ListenersStep, PurposeStep, ReasonsStep, WhereStep } from './ConsentStepsAbout';
import { EndingStep, RetentionStep, RisksStep } from './ConsentStepsEnding';
import {
  initialDraft,
  keptFields,
  stepProblem,
  type WizardDraft,
  type StepProps,
} from './ConsentWizardDraft';
import { keepWizardDraft, readKeptWizardDraft } from './kept-draft-store';
import '../../styles/wizard.css';

const steps = [
  { title: 'Why you want to record', Step: ReasonsStep },
  { title: 'What recordings are for', Step: PurposeStep },
  { title: 'Who may listen', Step: ListenersStep },
  { title: 'Where recordings are kept', Step: WhereStep },
  { title: 'How long recordings are kept', Step: RetentionStep },
  { title: 'When therapy ends, or you change your mind', Step: EndingStep },
  { title: 'Risks, and other choices', Step: RisksStep },
  { title: 'Your PIN for listening', Step: PinStep },
  { title: 'Read it all again, and sign', Step: null },
] as const;

export function ConsentWizard({ clientId }: { clientId: string }) {
  const detail = useClients((state) => state.detail);
  const policy = useClients((state) => state.policy);
  const loadDetail = useClients((state) => state.loadDetail);
  const loadPolicy = useClients((state) => state.loadPolicy);
  const loadProblem = useClients((state) => state.loadProblem);
  const open = useVault((state) => state.open);

  // undefined until main has said whether it kept a draft from before a lock.
  const [kept, setKept] = useState<KeptWizardDraft | null | undefined>(undefined);

  useEffect(() => {
    void loadDetail(clientId);
    void loadPolicy();
    void readKeptWizardDraft().then(setKept);
  }, [clientId, loadDetail, loadPolicy]);

  const current = detail?.client.clientId === clientId ? detail : null;
  if (current === null || policy === null || kept === undefined) {
    return (
      <section aria-labelledby="wizard-loading">
        <h1 id="wizard-loading">Consent</h1>
        <FormMessage message={loadProblem} />
        {loadProblem ? null : <p className="muted">Getting the consent ready…</p>}
        <div className="actions">
          <button type="button" className="button button-secondary" onClick={() => open(null)}>
            Back
          </button>
        </div>
      </section>
    );
  }
  // A draft begun from other terms than those in force now (a revocation came between) is stale.
  const resumable =
    kept?.clientId === clientId && kept.basedOnVersion === (current.terms?.version ?? null)
      ? kept
      : null;
  return <Wizard detail={current} kept={resumable} />;
}

/** The PIN step: the PIN and signatures are never handed to main, so a resume goes no further. */
const pinStep = 7;

function Wizard({
  detail,
  kept,
}: {
  detail: NonNullable<ReturnType<typeof useClients.getState>['detail']>;
  kept: KeptWizardDraft | null;
}) {
  const policy = useClients((state) => state.policy)!;
  const sign = useClients((state) => state.sign);
  const open = useVault((state) => state.open);
  const announce = useVault((state) => state.announce);
  const clientId = detail.client.clientId;
  const [draft, setDraft] = useState<WizardDraft>(() => {
    const start = initialDraft(detail, policy);
    return kept ? { ...kept.fields, pin: start.pin } : start;
  });
  const [signatures, setSignatures] = useState<SignatureDraft[]>(() => signersOf(detail));
  const [step, setStep] = useState(() => (kept ? Math.min(kept.step, pinStep) : 0));
  const [resumed] = useState(() => kept !== null);
  const [resumedAtPin] = useState(() => kept !== null && kept.step > pinStep);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [signedVersion, setSignedVersion] = useState<number | null>(null);
  const last = steps.length - 1;
  // Read once: after signing, the detail holds the new terms too.
  const [changing] = useState(() => detail.terms !== null);

  // Main keeps the draft as it changes, so an idle lock does not lose the walk-through.
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // Read once: after signing, the detail holds the new version, and the draft is spent.
  const [basedOnVersion] = useState(() => detail.terms?.version ?? null);
  const signing = useRef(false);
  useEffect(() => {
    const fields = keptFields(draft);
    if (fields === null || signing.current) return;
    saveTimer.current = setTimeout(
      () => void keepWizardDraft({ clientId, basedOnVersion, step, fields }),
      400,
    );
    return () => {
      if (saveTimer.current !== null) clearTimeout(saveTimer.current);
    };
  }, [draft, step, clientId, basedOnVersion]);
  function stopKeeping() {
    if (saveTimer.current !== null) clearTimeout(saveTimer.current);
    saveTimer.current = null;
  }

  useEffect(() => {
    if (resumed) announce('The consent is back where you left it before the vault locked.');
  }, [resumed, announce]);

  const update: StepProps['update'] = (patch) => {
    setDraft((previous) => ({ ...previous, ...patch }));
    setError(null);
  };

  function next(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const problem = stepProblem(step, draft, detail.client.hasReviewCredential);
    if (problem) return setError(problem);
    setError(null);
    if (step < last) return setStep(step + 1);
    void submit();
  }

  async function submit() {
    const built = buildDraft(draft, detail, signatures, policy.policyHash);
    if ('problem' in built) return setError(built.problem);
    const credential = draft.pin.keepCurrent ? undefined : draft.pin.pin;
    if (credential !== undefined && !reviewCredentialSchema.safeParse(credential).success)
      return setError('The PIN is not valid. Go back to the PIN step.');
    setBusy(true);
    // Signing forgets the draft in main; a save still waiting must not bring it back.
    stopKeeping();
    signing.current = true;
    const failure = await sign({
      clientId,
      terms: built.terms,
      ...(credential !== undefined ? { reviewCredential: credential } : {}),
    });
    setBusy(false);
    if (failure) {
      signing.current = false;
      return setError(failure.message);
    }
    const version = useClients.getState().detail?.terms?.version ?? null;
    setSignedVersion(version);
    announce(`Consent signed. Version ${version ?? ''} is in force.`);
  }

  const signedDetail = useClients((state) => state.detail);
  if (signedVersion !== null && signedDetail?.terms) {
    const signedAt = signedDetail.versions.find((v) => v.version === signedVersion)?.signedAt;
    return (
      <ConsentDocumentView
        detail={signedDetail}
        title="Consent signed"
        intro={
          <p className="notice notice-ok">
            Version {signedVersion} is in force from {formatDate(signedAt ?? 0)}. Everyone signed.
            {changing ? ' It replaces the earlier version, which stays on file.' : ''}
          </p>
        }
        backLabel="Back to client"
        onBack={() => open({ kind: 'client', clientId })}
      />
    );
  }

  const { title, Step } = steps[step]!;
  return (
    <section aria-labelledby="wizard-title" className="wizard">
      <div className="wizard-head">
        <p className="wizard-client">
          {changing ? 'New terms for' : 'Consent for'} {detail.client.displayName}
        </p>
        <button
          type="button"
          className="link-button"
          onClick={() => {
            stopKeeping();
            void keepWizardDraft(null);
            open({ kind: 'client', clientId });
          }}
        >
          Leave without signing
        </button>
      </div>
      <div className="wizard-progress">
        {/* The heading carries the count for a screen reader, read once at each step. */}
        <p className="wizard-step-count" aria-hidden="true">
          Step {step + 1} of {steps.length}
        </p>
        <div className="wizard-bar" aria-hidden="true">
          {steps.map((s, index) => (
            <span key={s.title} data-done={index <= step ? 'yes' : 'no'} />
          ))}
        </div>
      </div>
      <form className="wizard-card" onSubmit={next} noValidate aria-labelledby="wizard-title">
        <StepTitle key={step} title={title} count={`${step + 1} of ${steps.length}`} />
        {resumed ? (
          <p className="notice" data-testid="wizard-resumed">
            This is where you were before the vault locked.
            {resumedAtPin
              ? ' The PIN and signatures are never kept while it is locked: choose the PIN again, then sign.'
              : ''}
          </p>
        ) : null}
        {Step ? (
          <Step draft={draft} update={update} detail={detail} policy={policy} />
        ) : (
          <SignStep
            draft={draft}
            detail={detail}
            policy={policy}
            signatures={signatures}
            setSignatures={(next) => {
              setSignatures(next);
              setError(null);
            }}
          />
        )}
        <FormMessage message={error} />
        <div className="wizard-nav">
          {step > 0 ? (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setError(null);
                setStep(step - 1);
              }}
            >
              Back
            </button>
          ) : (
            <span />
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            {step === last ? (changing ? 'Sign the new version' : 'Sign consent') : 'Next'}
          </button>
        </div>
      </form>
    </section>
  );
}

/** "3 of 9 · Who may listen": focused at each step, so the step's name and place are read. */
function StepTitle({ title, count }: { title: string; count: string }) {
  const ref = useFocusOnMount<HTMLHeadingElement>();
  return (
    <h1 id="wizard-title" ref={ref} tabIndex={-1}>
      <span className="visually-hidden">{count} · </span>
      {title}
    </h1>
  );
}
