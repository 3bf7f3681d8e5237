// Chooses the screen from the vault's state, keeps the idle lock informed, and notices when
// main locks the vault.
import { useEffect } from 'react';
import { LiveRegion } from './LiveRegion';
import { TimeLimitWarning } from './TimeLimitWarning';
import { useVault, type Detail } from '../features/vault/vault-store';
import { touchSession } from '../features/vault/vault-store';
import { useReview } from '../features/review/review-store';
import { AuditorHome } from '../features/audit/AuditorHome';
import { WithIntegrityBanner } from '../features/vault/IntegrityBanner';
import { Lock } from '../features/vault/Lock';
import { ReviewEnded } from '../features/review/ReviewEnded';
import { ReviewHome } from '../features/review/ReviewHome';
import { ReviewUnlock } from '../features/review/ReviewUnlock';
import { RecoverySheet } from '../features/vault/RecoverySheet';
import { Shell } from './Shell';
import { Unavailable } from './Unavailable';
import { Welcome } from '../features/vault/Welcome';

const statusPollMs = 2_000;

function Screen() {
  const status = useVault((state) => state.status);
  const recoveryKey = useVault((state) => state.recoveryKey);
  const statusProblem = useVault((state) => state.statusProblem);
  const endedReview = useReview((state) => state.ended);

  if (statusProblem !== null) return <Unavailable message={statusProblem} />;
  if (status === null) {
    return (
      <main className="page page-centered">
        <p className="muted">Opening Session Vault…</p>
      </main>
    );
  }
  if (recoveryKey !== null && status.state === 'unlocked') {
    return <RecoverySheet recoveryKey={recoveryKey} />;
  }
  switch (status.state) {
    case 'absent':
      return <Welcome />;
    case 'locked':
      if (status.pendingReview) return <ReviewUnlock pending={status.pendingReview} />;
      return endedReview ? (
        <ReviewEnded ended={endedReview} />
      ) : (
        <WithIntegrityBanner>
          <Lock />
        </WithIntegrityBanner>
      );
    case 'unlocked':
      if (!status.session) return <Lock />;
      // Each role gets only its own screens; main refuses everything else anyway.
      if (status.session.role === 'client') return <ReviewHome session={status.session} />;
      if (status.session.role === 'auditor')
        return (
          <WithIntegrityBanner>
            <AuditorHome session={status.session} />
          </WithIntegrityBanner>
        );
      return (
        <WithIntegrityBanner>
          <Shell session={status.session} />
        </WithIntegrityBanner>
      );
    case 'unavailable':
      return (
        <Unavailable message={status.problem?.message ?? 'The vault cannot be opened right now.'} />
      );
  }
}

function titleFor(
  state: string | undefined,
  hasRecoveryKey: boolean,
  view: string,
  role: string | undefined,
  detail: Detail['kind'] | undefined,
): string {
  if (hasRecoveryKey) return 'Recovery key · Session Vault';
  if (state === 'unlocked' && role === 'client') return 'Your recordings · Session Vault';
  if (state === 'unlocked' && role === 'auditor') return 'Access log (auditor) · Session Vault';
  if (state === 'absent') return 'Welcome · Session Vault';
  if (state === 'locked') return 'Unlock · Session Vault';
  if (state === 'unavailable') return 'Problem · Session Vault';
  if (state === 'unlocked') {
    const viewTitles: Record<string, string> = {
      home: 'Home',
      'access-log': 'Access log',
      settings: 'Settings',
      auditors: 'Auditors',
    };
    const detailTitles: Record<Detail['kind'], string> = {
      client: 'Client',
      consent: 'Consent',
      record: 'Record',
      'voice-note': 'Closing voice note',
      player: 'Listen',
    };
    const viewTitle = detail ? detailTitles[detail] : (viewTitles[view] ?? 'Clients');
    return `${viewTitle} · Session Vault`;
  }
  return 'Session Vault';
}

export function App() {
  const refresh = useVault((state) => state.refresh);
  const state = useVault((s) => s.status?.state);
  const hasRecoveryKey = useVault((s) => s.recoveryKey !== null);
  const view = useVault((s) => s.view);
  const role = useVault((s) => s.status?.session?.role);
  const detail = useVault((s) => s.detail?.kind);

  useEffect(() => {
    void refresh();
    // Main is the authority for the idle lock; polling is how this window hears about it.
    const timer = setInterval(() => void refresh(), statusPollMs);
    return () => clearInterval(timer);
  }, [refresh]);

  useEffect(() => {
    const options = { capture: true, passive: true } as const;
    for (const type of ['keydown', 'pointerdown', 'wheel'] as const) {
      window.addEventListener(type, touchSession, options);
    }
    return () => {
      for (const type of ['keydown', 'pointerdown', 'wheel'] as const) {
        window.removeEventListener(type, touchSession, options);
      }
    };
  }, []);

  useEffect(() => {
    document.title = titleFor(state, hasRecoveryKey, view, role, detail);
  }, [state, hasRecoveryKey, view, role, detail]);

  return (
    <>
      <Screen />
      <TimeLimitWarning />
      <LiveRegion />
    </>
  );
}
