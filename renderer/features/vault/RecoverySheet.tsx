// Shown once, right after the vault is created: the recovery key, to print or write down.
import { useId, useState } from 'react';
import { formatDate } from '../../../shared/format';
import { useFocusOnMount } from '../../components/focus';
import { useVault } from './vault-store';

/** Splits a key into short groups that are easy to read aloud and copy by hand. */
function groupKey(key: string): string[] {
  const trimmed = key.trim();
  const parts = trimmed.split(/[\s-]+/).filter(Boolean);
  if (parts.length > 1) return parts;
  return trimmed.match(/.{1,4}/g) ?? [];
}

export function RecoverySheet({ recoveryKey }: { recoveryKey: string }) {
  const session = useVault((state) => state.status?.session ?? null);
  const finish = useVault((state) => state.finishRecoverySheet);
  const [saved, setSaved] = useState(false);
  const [printedOn] = useState(() => formatDate(Date.now()));
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const keyLabelId = useId();
  const groups = groupKey(recoveryKey);

  return (
    <main className="page page-centered">
      <div className="card card-wide print-sheet">
        <div className="card-header">
          <h1 ref={headingRef} tabIndex={-1}>
            Your recovery key
          </h1>
          <p className="lead">
            If you forget the passphrase, this key is the only way back into the vault. It is shown
            once, now.
          </p>
        </div>

        <section className="recovery-key" aria-labelledby={keyLabelId}>
          <h2 id={keyLabelId} className="recovery-key-label">
            Recovery key{session ? ` for ${session.practiceName}` : ''}
          </h2>
          <p className="recovery-key-groups" data-testid="recovery-key">
            {groups.map((group, index) => (
              <span key={index}>
                {index > 0 ? ' ' : null}
                <span className="recovery-key-group">{group}</span>
              </span>
            ))}
          </p>
        </section>

        <ul className="plain-list">
          <li>Keep the sheet somewhere safe, away from this laptop.</li>
          <li>Anyone with this key and this laptop can open the vault.</li>
          <li>Session Vault cannot show it again.</li>
        </ul>
        <p className="print-only print-footer">Printed from Session Vault on {printedOn}.</p>

        <div className="no-print">
          <button type="button" className="button button-secondary" onClick={() => window.print()}>
            Print this sheet
          </button>
          <div className="check">
            <input
              id={`${keyLabelId}-saved`}
              type="checkbox"
              checked={saved}
              onChange={(event) => setSaved(event.target.checked)}
            />
            <label htmlFor={`${keyLabelId}-saved`}>
              I have printed or written down this recovery key
            </label>
          </div>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              disabled={!saved}
              onClick={finish}
            >
              Continue
            </button>
          </div>
        </div>
      </div>
    </main>
  );
}
