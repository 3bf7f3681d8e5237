// When each recording is destroyed under the terms in force, and which rule says so. Kept in the
// clear on the recording's row, so the sweeper needs no key to find what is due.
import { destroyAfter, type ConsentState, type RecordingKind } from '../../../shared/consent';
import type { OpenVault } from '../vault/open-vault';

/** The destroy-after time of a recording and which rule sets it. */
export function deadlineWithCause(
  state: ConsentState,
  recordedAt: number,
  kind: RecordingKind = 'session',
): { at: number; cause: 'retention' | 'termination' | 'revocation' } {
  const terms = state.terms!;
  const at = destroyAfter(terms, state, recordedAt, kind);
  const retention = destroyAfter(
    terms,
    { revokedAt: null, therapyEndedAt: null },
    recordedAt,
    kind,
  );
  if (at === retention) return { at, cause: 'retention' };
  const withoutRevocation = destroyAfter(
    terms,
    { revokedAt: null, therapyEndedAt: state.therapyEndedAt },
    recordedAt,
    kind,
  );
  return { at, cause: at === withoutRevocation ? 'termination' : 'revocation' };
}

/** Writes the deadline of each of the client's recordings not yet destroyed, from `state`. */
export function writeDeadlines(vault: OpenVault, clientId: string, state: ConsentState): void {
  if (!state.terms) return;
  for (const recording of vault.recordings.list(clientId)) {
    if (recording.state === 'destroyed') continue;
    const { at, cause } = deadlineWithCause(state, recording.startedAt, recording.kind);
    vault.recordings.setDeadline(recording.recNo, Number.isFinite(at) ? at : null, cause);
  }
}
