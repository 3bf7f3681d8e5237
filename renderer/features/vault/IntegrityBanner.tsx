// What main found wrong with the vault, shown where people will see it:
// - WithIntegrityBanner: what the rollback check found at this start (an older copy put back, a
//   rewritten log, a missing keychain record), above the lock screen and every signed-in screen;
// - IntegrityBanner: tamper alarms, rows that decide who may listen or when a recording is
//   destroyed changed outside Session Vault. It names what (a client's name for the therapist where
//   it can still be read, else the id) and has no dismiss button: it goes when the damage does.
import { useEffect, useState, type ReactNode } from 'react';
import { integrityHoldText } from '../../../shared/ui-text';
import { FormMessage } from '../../components/FormMessage';
import { useIntegrity, type IntegrityAlarm } from './integrity-store';
import { useVault } from './vault-store';

export function WithIntegrityBanner({ children }: { children: ReactNode }) {
  const notice = useVault((state) => state.status?.integrity ?? null);
  const therapist = useVault((state) => state.status?.session?.role === 'therapist');
  if (!notice) return <>{children}</>;
  return (
    <>
      {/* A div, so the forms' own `p[role="alert"]` stays the one a refused request fills. */}
      <div className="notice notice-problem integrity-banner" role="alert">
        {notice.message}
      </div>
      {notice.held && therapist ? <ConfirmHold /> : null}
      {children}
    </>
  );
}

/** Only the therapist lifts a hold; main logs it first (vault.confirmAnchor). */
function ConfirmHold() {
  const confirmAnchor = useVault((state) => state.confirmAnchor);
  const announce = useVault((state) => state.announce);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    const failure = await confirmAnchor();
    setBusy(false);
    if (failure) setProblem(failure.message);
    else announce(integrityHoldText.confirmed);
  }

  return (
    <div className="integrity-hold">
      <button
        type="button"
        className="button button-secondary"
        disabled={busy}
        onClick={() => void confirm()}
      >
        {integrityHoldText.confirm}
      </button>
      <FormMessage message={problem} />
    </div>
  );
}

function alarmLine(alarm: IntegrityAlarm): string {
  const whose =
    alarm.clientName !== null
      ? `${alarm.clientName}: `
      : alarm.clientId !== null
        ? `Client ${alarm.clientId}: `
        : '';
  return `${whose}${alarm.problem} (${alarm.subject}).`;
}

export function IntegrityBanner() {
  const alarms = useIntegrity((state) => state.alarms);
  const loadAlarms = useIntegrity((state) => state.loadAlarms);

  useEffect(() => {
    void loadAlarms();
  }, [loadAlarms]);

  if (alarms.length === 0) return null;
  return (
    <div role="alert" className="notice notice-problem integrity-banner">
      <p>
        <strong>Something in the vault was changed outside Session Vault.</strong> What is named
        below is not used while it is damaged; everything else keeps working. The access log records
        each finding.
      </p>
      <ul>
        {alarms.map((alarm) => (
          <li key={`${alarm.subject}|${alarm.problem}`}>{alarmLine(alarm)}</li>
        ))}
      </ul>
    </div>
  );
}
