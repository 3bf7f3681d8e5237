// The practice's recording policy: its text, the version every new consent is signed under,
// the earlier versions, and the default terms the consent wizard starts from.
import { useEffect, useId, useState, type FormEvent } from 'react';
import {
  retentionSentence,
  shortHash,
  terminationSentence,
  formatDateTime,
} from '../../shared/consent-text';
import { FormMessage } from '../components/FormMessage';
import { TextArea } from '../components/TextArea';
import { useClients, type Policy } from '../store/clients-store';
import { useVault } from '../store/vault-store';

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
  return <PolicyEditor key={policy.policyHash} policy={policy} />;
}

function PolicyEditor({ policy }: { policy: Policy }) {
  const setPolicy = useClients((state) => state.setPolicy);
  const announce = useVault((state) => state.announce);
  const [text, setText] = useState(policy.text);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const defaultsId = useId();
  const unchanged = text.trim() === policy.text.trim();
  // The one in force first, then the earlier ones, newest first.
  const versions = [...policy.versions].sort(
    (a, b) =>
      Number(b.policyHash === policy.policyHash) - Number(a.policyHash === policy.policyHash) ||
      b.createdAt - a.createdAt,
  );
  const current = versions.find((v) => v.policyHash === policy.policyHash);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || unchanged) return;
    setBusy(true);
    const failure = await setPolicy(text);
    setBusy(false);
    if (failure) return setError(failure.message);
    // The editor remounts for the new version; the announcement says which one.
    const saved = useClients.getState().policy;
    if (saved) announce(`Saved as policy version ${shortHash(saved.policyHash)}.`);
  }

  return (
    <>
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
          hint="Plain words, a few sentences. Clients read this before they sign."
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
                <span className="mono">{shortHash(v.policyHash)}</span>, saved{' '}
                {formatDateTime(v.createdAt)}
                <span className="version-tag">
                  {v.policyHash === policy.policyHash ? ' (in force)' : ' (earlier)'}
                </span>
              </li>
            ))}
          </ul>
        </div>
      </form>
      <section className="panel panel-wide" aria-labelledby={defaultsId}>
        <h2 id={defaultsId}>Default terms</h2>
        <p className="muted">
          The consent wizard starts from these. Client and therapist can change them together before
          signing.
        </p>
        <ul className="plain-list">
          <li>{retentionSentence(policy.defaults.retentionDays)}</li>
          <li>{terminationSentence(policy.defaults.termination)}</li>
          <li>
            Revoking consent destroys every recording at once, unless the client chooses otherwise.
          </li>
        </ul>
      </section>
    </>
  );
}
