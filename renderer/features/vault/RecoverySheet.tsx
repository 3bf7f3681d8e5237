// Shown once, right after the vault is created: the recovery key, to print or write down.
import { useId, useState } from 'react';
import { formatDate } from '../../../shared/format';
import { FormMessage } from '../../components/FormMessage';
import { useFocusOnMount } from '../../components/focus';
import { useVault } from './vault-store';

/** Splits a key into short groups that are easy to read aloud and copy by hand. */
function groupKey(key: string): string[] {
  const trimmed = key.trim();
  const parts = trimmed.split(/[\s-]+/).filter(Boolean);
  if (parts.length > 1) return parts;
  return trimmed.match(/.{1,4}/g) ?? [];
}

/** Which group the therapist types back: the second, so the first glance at the key is not enough. */
const CHECK_GROUP = 1;

function sameCharacters(typed: string, expected: string): boolean {
  const plain = (text: string) => text.replace(/[\s-]+/g, '').toUpperCase();
  return plain(typed) !== '' && plain(typed) === plain(expected);
}

function ordinal(n: number): string {
  return ['first', 'second', 'third', 'fourth'][n - 1] ?? `number ${n}`;
}

export function RecoverySheet({ recoveryKey }: { recoveryKey: string }) {
  const session = useVault((state) => state.status?.session ?? null);
  const deviceName = useVault((state) => state.deviceName);
  const finish = useVault((state) => state.finishRecoverySheet);
  const [saved, setSaved] = useState(false);
  const [typedBack, setTypedBack] = useState('');
  const typeBackId = useId();
  const typeBackHintId = useId();
  const [printedOn] = useState(() => formatDate(Date.now()));
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const keyLabelId = useId();
  const groups = groupKey(recoveryKey);
  const checkGroup = groups[CHECK_GROUP] ?? groups[0] ?? '';
  const typedRight = sameCharacters(typedBack, checkGroup);
  const ready = saved && typedRight;

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

        <dl className="recovery-facts">
          <div>
            <dt>Practice</dt>
            <dd>{session?.practiceName ?? ''}</dd>
          </div>
          <div>
            <dt>Laptop</dt>
            <dd data-testid="recovery-device">{deviceName || 'this laptop'}</dd>
          </div>
          <div>
            <dt>Made on</dt>
            <dd>{printedOn}</dd>
          </div>
        </dl>

        <section aria-labelledby={`${keyLabelId}-how`}>
          <h2 id={`${keyLabelId}-how`} className="recovery-how-title">
            How to use it
          </h2>
          <p>
            On the lock screen of this laptop, choose “Forgot your passphrase? Use the recovery
            key”.
          </p>
          <p>Type this key, then choose a new passphrase. The vault opens with nothing lost.</p>
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
          <div className="field">
            <label htmlFor={typeBackId}>
              Type group {CHECK_GROUP + 1} of the key, from your copy
            </label>
            <p id={typeBackHintId} className="field-hint">
              The {ordinal(CHECK_GROUP + 1)} group of four characters. This shows your copy is right
              before the key goes away.
            </p>
            <input
              id={typeBackId}
              className="recovery-type-back"
              value={typedBack}
              maxLength={12}
              autoComplete="off"
              spellCheck={false}
              aria-describedby={typeBackHintId}
              aria-invalid={typedBack.trim().length >= 4 && !typedRight}
              onChange={(event) => setTypedBack(event.currentTarget.value)}
            />
            <FormMessage
              message={
                typedBack.trim().length >= 4 && !typedRight
                  ? `That is not group ${CHECK_GROUP + 1}. Check your copy against the key above.`
                  : null
              }
            />
          </div>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              disabled={!ready}
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
