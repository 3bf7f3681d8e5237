// Warns about a minute before a time limit ends someone's work (WCAG 2.2.1): the idle lock, a
// review's idle end, and a review's time limit. Main decides every one of them on its monotonic
// clock and says how long is left in vault.status; this only draws what main said, counted down
// between polls. "Keep going" tells main the person is here; a review's limit cannot be moved, so
// that warning only has "OK".
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { SessionInfo, VaultStatus } from '../../shared/api';
import { useReturnFocus } from '../components/focus';
import { minutesSecondsClock } from '../components/time-words';
import { setTimeLimitWarningShown, useVault } from '../features/vault/vault-store';

/** About a minute ahead; half the time when the idle lock itself is short (1 minute). */
const warnAheadMs = 60_000;

type Warning = { kind: 'idle' | 'review-limit'; msLeft: number };

function warningFor(status: VaultStatus | null, limitSeenFor: number | null): Warning | null {
  const session = status?.state === 'unlocked' ? status.session : null;
  if (!session) return null;
  const idleLeft = status?.idleMsLeft ?? null;
  const reviewLeft = status?.reviewMsLeft ?? null;
  if (
    reviewLeft !== null &&
    reviewLeft <= warnAheadMs &&
    limitSeenFor !== session.review?.endsAt &&
    (idleLeft === null || reviewLeft <= idleLeft)
  )
    return { kind: 'review-limit', msLeft: reviewLeft };
  const ahead = Math.min(warnAheadMs, (session.idleLockMinutes * 60_000) / 2);
  if (idleLeft !== null && idleLeft <= ahead) return { kind: 'idle', msLeft: idleLeft };
  return null;
}

export function TimeLimitWarning() {
  const status = useVault((state) => state.status);
  // The review whose limit warning was answered with OK: it is not asked again.
  const [limitSeenFor, setLimitSeenFor] = useState<number | null>(null);
  const warning = warningFor(status, limitSeenFor);
  const session = status?.session ?? null;

  const shown = warning !== null;
  useEffect(() => {
    setTimeLimitWarningShown(shown);
  }, [shown]);
  useEffect(() => () => setTimeLimitWarningShown(false), []);

  if (!warning || !session) return null;
  // Drawn anew for each kind, so focus moves into the one that appears.
  return (
    <TimeLimitDialog
      key={warning.kind}
      warning={warning}
      session={session}
      onLimitSeen={() => setLimitSeenFor(session.review?.endsAt ?? null)}
    />
  );
}

function TimeLimitDialog({
  warning,
  session,
  onLimitSeen,
}: {
  warning: Warning;
  session: SessionInfo;
  onLimitSeen: () => void;
}) {
  const keepGoing = useVault((state) => state.keepGoing);
  const inWizard = useVault((state) => state.detail?.kind === 'consent');
  const dialogRef = useRef<HTMLDialogElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const left = useCountdown(warning);
  useReturnFocus();

  useEffect(() => {
    const dialog = dialogRef.current;
    // Modal: the rest of the screen is inert until it is answered, and a reader hears it at once.
    if (dialog && !dialog.open) dialog.showModal();
    buttonRef.current?.focus();
    return () => dialog?.close();
  }, []);

  const limit = warning.kind === 'review-limit';
  function answer() {
    if (busy) return;
    if (limit) return onLimitSeen();
    setBusy(true);
    void keepGoing().finally(() => setBusy(false));
  }

  const client = session.role === 'client';
  let title: string;
  let body: ReactNode;
  if (limit) {
    title = 'Your review ends soon';
    body = (
      <p>
        The time your therapist set for this review ends in{' '}
        <strong data-testid="time-limit-left">{left}</strong>. It cannot be made longer. If you need
        more time, ask your therapist.
      </p>
    );
  } else if (client) {
    title = 'Are you still there?';
    body = (
      <p>
        Nothing has been pressed for a while. Your review ends in{' '}
        <strong data-testid="time-limit-left">{left}</strong> unless you press Keep going.
      </p>
    );
  } else {
    title = 'Are you still there?';
    body = (
      <>
        <p>
          Nothing has been pressed for a while, so the vault locks in{' '}
          <strong data-testid="time-limit-left">{left}</strong> to keep it safe.
        </p>
        {inWizard ? (
          <p>What you filled in is kept: after you unlock, the consent comes back at this step.</p>
        ) : null}
      </>
    );
  }

  return (
    <dialog
      ref={dialogRef}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="time-limit-title"
      aria-describedby="time-limit-body"
      className="time-limit"
      onCancel={(event) => {
        // Escape answers it as the button does; the browser's own close would leave main unaware.
        event.preventDefault();
        answer();
      }}
    >
      <h2 id="time-limit-title">{title}</h2>
      <div id="time-limit-body">{body}</div>
      <div className="actions">
        <button
          ref={buttonRef}
          type="button"
          className="button button-primary button-large"
          aria-disabled={busy || undefined}
          onClick={answer}
        >
          {limit ? 'OK' : 'Keep going'}
        </button>
      </div>
    </dialog>
  );
}

/** "0:52", counted down on this page from main's last answer and set again at each status. */
function useCountdown(warning: Warning): string {
  const { kind, msLeft } = warning;
  const [deadline, setDeadline] = useState(() => Date.now() + msLeft);
  const [now, setNow] = useState(() => Date.now());
  useEffect(
    () =>
      useVault.subscribe((state, previous) => {
        if (state.status === previous.status) return;
        const left = kind === 'idle' ? state.status?.idleMsLeft : state.status?.reviewMsLeft;
        if (left === null || left === undefined) return;
        setDeadline(Date.now() + left);
        setNow(Date.now());
      }),
    [kind],
  );
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return minutesSecondsClock(Math.max(0, deadline - now));
}
