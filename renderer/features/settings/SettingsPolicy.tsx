// The practice's recording policy: its text, the version every new consent is signed under,
// the earlier versions, and the default terms the consent wizard starts from.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { defaultTermsSchema, type DefaultTerms } from '../../../shared/api';
import { retentionSentence, shortHash, terminationSentence } from '../../../shared/consent-text';
import { formatDateTime } from '../../../shared/format';
import { Field } from '../../components/Field';
import { FormMessage } from '../../components/FormMessage';
import { TextArea } from '../../components/TextArea';
import { readPolicyVersion, useClients, type Policy } from '../clients/clients-store';
import { Refusal } from '../../app/call-main';
import { useVault } from '../vault/vault-store';
import { RadioGroup } from '../consent/ConsentInputs';
import '../../styles/wizard.css';

export function PracticePolicy() {
  const policy = useClients((state) => state.policy);
  const loadPolicy = useClients((state) => state.loadPolicy);
  const loadProblem = useClients((state) => state.loadProblem);
  useEffect(() => {
    void loadPolicy();
  }, [loadPolicy]);
  if (policy === null) {
    return (
      <div className="panel panel-wide">
        <FormMessage message={loadProblem} />
        {loadProblem ? null : <p className="muted">Opening the practice policy…</p>}
      </div>
    );
  }
  return (
    <>
      <PolicyEditor key={policy.policyHash} policy={policy} />
      <DefaultTermsForm defaults={policy.defaults} />
    </>
  );
}

/** One version, opened on request: its text is read from main only when someone asks. */
function PolicyVersion({
  policyHash,
  createdAt,
  inForce,
}: {
  policyHash: string;
  createdAt: number;
  inForce: boolean;
}) {
  const [text, setText] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  async function load(open: boolean) {
    if (!open || text !== null) return;
    const answer = await readPolicyVersion(policyHash);
    if (answer instanceof Refusal) setProblem(answer.message);
    else setText(answer.text);
  }
  return (
    <details
      className="policy-version-item"
      onToggle={(event) => void load(event.currentTarget.open)}
    >
      <summary>
        <span className="mono">{shortHash(policyHash)}</span>, saved {formatDateTime(createdAt)}
        <span className="version-tag">{inForce ? ' (in force)' : ' (earlier)'}</span>
      </summary>
      {problem ? <p className="field-problem">{problem}</p> : null}
      {text === null ? (
        problem ? null : (
          <p className="muted">Opening…</p>
        )
      ) : (
        <blockquote className="policy-version-text">{text}</blockquote>
      )}
    </details>
  );
}

function PolicyEditor({ policy }: { policy: Policy }) {
  const setPolicy = useClients((state) => state.setPolicy);
  const announce = useVault((state) => state.announce);
  const [text, setText] = useState(policy.text);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const unchanged = text.trim() === policy.text.trim();
  const tooShort = !unchanged && text.trim().length < 20;
  // The one in force first, then the earlier ones, newest first.
  const versions = [...policy.versions].sort(
    (a, b) =>
      Number(b.policyHash === policy.policyHash) - Number(a.policyHash === policy.policyHash) ||
      b.createdAt - a.createdAt,
  );
  const current = versions.find((v) => v.policyHash === policy.policyHash);

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Too short is said beside the field already; nothing is sent.
    if (busy || unchanged || tooShort) return;
    setBusy(true);
    const failure = await setPolicy(text);
    setBusy(false);
    if (failure) return setError(failure.message);
    // The editor remounts for the new version; the announcement says which one.
    const saved = useClients.getState().policy;
    if (saved) announce(`Saved as policy version ${shortHash(saved.policyHash)}.`);
  }

  return (
    <form className="panel panel-wide" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId}>Practice recording policy</h2>
      <p className="muted">
        Every consent is signed under one version of this policy, and the signed consent names it.
        Saving a change makes a new version; consents already signed keep theirs.
      </p>
      <p className="policy-version">
        In force: version <strong className="mono">{shortHash(policy.policyHash)}</strong>
        {current ? `, saved ${formatDateTime(current.createdAt)}` : ''}.
      </p>
      <TextArea
        label="Policy text"
        value={text}
        onChange={(next) => {
          setText(next);
          setError(null);
        }}
        rows={5}
        className="policy-text"
        aria-invalid={tooShort}
        hint={
          tooShort
            ? 'Write the policy in a few sentences. Use at least 20 characters.'
            : 'Plain words, a few sentences. Clients read this before they sign.'
        }
      />
      <FormMessage message={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy || unchanged}>
          Make this the new version
        </button>
        {unchanged ? <p className="actions-note">No changes to save.</p> : null}
      </div>
      <div className="policy-versions">
        <h3>Versions</h3>
        <ul className="versions">
          {versions.map((v) => (
            <li key={v.policyHash}>
              <PolicyVersion
                policyHash={v.policyHash}
                createdAt={v.createdAt}
                inForce={v.policyHash === policy.policyHash}
              />
            </li>
          ))}
        </ul>
      </div>
    </form>
  );
}

/** The form's fields as typed, before they are numbers. */
interface DefaultsDraft {
  retentionDays: string;
  termination: DefaultTerms['termination']['action'];
  keepDays: string;
}

function draftOf(defaults: DefaultTerms): DefaultsDraft {
  return {
    retentionDays: String(defaults.retentionDays),
    termination: defaults.termination.action,
    // Destroy-now has no days: offer the usual 30 should they switch to keeping them.
    keepDays: String(
      defaults.termination.action === 'keep-for-review' ? defaults.termination.days : 30,
    ),
  };
}

function wholeDays(text: string): number | null {
  return /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : null;
}

/**
 * The draft as main will check it: the same contract (and so the same sentences) as
 * policy.setDefaults, or the sentence for the first thing that is not right.
 */
function checkDraft(draft: DefaultsDraft): { defaults: DefaultTerms } | { problem: string } {
  const retentionDays = wholeDays(draft.retentionDays);
  if (retentionDays === null)
    return { problem: 'Write how many days to keep each recording, as a number from 1 to 3650.' };
  let termination: DefaultTerms['termination'] = { action: 'destroy-now' };
  if (draft.termination === 'keep-for-review') {
    const days = wholeDays(draft.keepDays);
    if (days === null)
      return {
        problem: 'Write how many days to keep recordings after therapy ends, from 1 to 365.',
      };
    termination = { action: 'keep-for-review', days };
  }
  const parsed = defaultTermsSchema.safeParse({ retentionDays, termination });
  if (!parsed.success)
    return { problem: parsed.error.issues[0]?.message ?? 'These terms cannot be saved.' };
  return { defaults: parsed.data };
}

function sameTerms(a: DefaultTerms, b: DefaultTerms): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Default retention and what happens when therapy ends, saved through policy.setDefaults. */
function DefaultTermsForm({ defaults }: { defaults: DefaultTerms }) {
  const setDefaults = useClients((state) => state.setDefaults);
  const announce = useVault((state) => state.announce);
  const [draft, setDraft] = useState(() => draftOf(defaults));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const checked = checkDraft(draft);
  const unchanged = 'defaults' in checked && sameTerms(checked.defaults, defaults);
  const retention = wholeDays(draft.retentionDays);
  const retentionFits = retention !== null && retention >= 1 && retention <= 3650;
  const keep = wholeDays(draft.keepDays);
  const keepFits = keep !== null && keep >= 1 && keep <= 365;

  function update(change: Partial<DefaultsDraft>) {
    setDraft((current) => ({ ...current, ...change }));
    setError(null);
    setSaved(false);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || unchanged) return;
    // A day count out of range is said beside its field already; nothing is sent.
    if ('problem' in checked) return;
    setBusy(true);
    const failure = await setDefaults(checked.defaults);
    setBusy(false);
    // Main's sentence, as it said it: nothing was saved.
    if (failure) return setError(failure.message);
    const now = useClients.getState().policy?.defaults ?? checked.defaults;
    setDraft(draftOf(now));
    setSaved(true);
    announce(
      `Default terms saved. ${retentionSentence(now.retentionDays)} ${terminationSentence(now.termination)}`,
    );
  }

  return (
    <form className="panel panel-wide" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId}>Default terms</h2>
      <p className="muted">
        The consent wizard starts from these. Client and therapist can change them together before
        signing. Consents already signed keep their own terms.
      </p>
      <Field
        label="Keep each recording for this many days"
        type="number"
        inputMode="numeric"
        min={1}
        max={3650}
        step={1}
        className="field-short"
        value={draft.retentionDays}
        onChange={(retentionDays) => update({ retentionDays })}
        aria-invalid={!retentionFits}
        hint={
          retentionFits
            ? `From 1 day to 10 years (3650 days). ${retentionSentence(retention)}`
            : 'Keep recordings for between 1 day and 10 years.'
        }
      />
      <RadioGroup
        legend="When therapy ends, what happens to the recordings?"
        value={draft.termination}
        onChange={(termination) => update({ termination })}
        options={[
          { value: 'destroy-now', label: 'Destroy them all at once' },
          {
            value: 'keep-for-review',
            label: 'Keep them a little longer, so the client can listen again, then destroy them',
            more: (
              <Field
                label="Days to keep them after therapy ends"
                type="number"
                inputMode="numeric"
                min={1}
                max={365}
                step={1}
                className="field-short"
                value={draft.keepDays}
                onChange={(keepDays) => update({ keepDays })}
                aria-invalid={!keepFits}
                hint={
                  keepFits
                    ? 'From 1 to 365 days.'
                    : 'Keep recordings after therapy ends for between 1 and 365 days.'
                }
              />
            ),
          },
        ]}
      />
      <p className="note">
        Revoking consent destroys every recording at once, unless the client chooses otherwise.
      </p>
      <FormMessage message={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy || unchanged}>
          Save default terms
        </button>
        {saved ? (
          <p className="saved-note">Saved. New consents start from these terms.</p>
        ) : unchanged ? (
          <p className="actions-note">No changes to save.</p>
        ) : null}
      </div>
    </form>
  );
}
