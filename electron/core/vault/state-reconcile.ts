// At the therapist's unlock, with every client's key at hand: rows edited outside the app are put
// back from their signed records, each client's deadlines are recomputed from the sealed terms and
// the signed consent events and compared with the signed recording records (a difference is an
// alarm; the recomputed value is written, signed and logged), recordings removed outside the app
// are named, and a vault from before signed records has its rows signed as they stand.
import type { RecordingKind } from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import { formatDate } from '../../../shared/format';
import { ConsentStore } from '../consent/consent-store';
import { deadlineWithCause } from '../consent/recording-deadlines';
import type { BackgroundTurns } from '../platform/background-turns';
import { wipe } from '../platform/crypto';
import { KEY_IDS } from './key-store';
import type { OpenVault } from './open-vault';

function dateWords(at: number | null): string {
  return at === null ? 'never' : formatDate(at);
}

/** The kind sealed with the recording key: the row's clear kind may have been edited. */
function sealedKind(vault: OpenVault, recordingId: string, clientKey: Uint8Array): RecordingKind {
  let recordingKey: Uint8Array | null = null;
  try {
    recordingKey = vault.clients.recordingKey(recordingId, clientKey);
    return vault.recordings.meta(recordingId, recordingKey).kind ?? 'session';
  } catch {
    return vault.recordings.get(recordingId).kind;
  } finally {
    wipe(recordingKey);
  }
}

/** Names recordings deleted outside the app; signs the client record again only for those. */
function nameDeletedRecordings(vault: OpenVault, clientId: string, clientKey: Uint8Array): void {
  const check = vault.signedState.checkClient(clientId);
  if (check.kind === 'unsigned') {
    vault.signedState.consentHold(clientId);
    return;
  }
  if (check.kind !== 'edited' || !check.current) return;
  const current = new Map(check.current.recordings.map((entry) => [entry.recordingId, entry]));
  const signed = new Map(check.signed.recordings.map((entry) => [entry.recordingId, entry]));
  // Records the app signed while the client record could not be (a recording started, deadlines
  // moved) are newer than their listing; an older one put back is not, nor is an unsigned one.
  const signedSince = (recordingId: string, revision: number): boolean => {
    const listed = signed.get(recordingId);
    const own = vault.signedState.checkRecording(recordingId, clientId);
    return (
      (listed === undefined || listed.revision <= revision) &&
      (own.kind === 'ok' || (listed !== undefined && listed.revision === revision))
    );
  };
  const consent = vault.signedState.checkConsent(clientId);
  const onlyDeletions =
    check.fields.every((field) => field === 'recordings' || field === 'consentEventsRevision') &&
    [...current.values()].every((entry) => signedSince(entry.recordingId, entry.revision)) &&
    (consent.kind === 'ok' || consent.kind === 'edited') &&
    consent.revision >= check.signed.consentEventsRevision;
  const deleted = [...signed.keys()].filter((id) => !current.has(id));
  for (const recordingId of deleted)
    vault.alarms.raise({
      subject: `recording/${recordingId}`,
      clientId,
      problem:
        'recording deleted outside Session Vault: the client’s signed record lists it, the vault no longer holds it',
    });
  // Destroyed outside the app: named, never undone; the rest of the client keeps working.
  if (onlyDeletions) vault.signedState.resignClient(clientId, clientKey);
}

function reconcileClient(
  vault: OpenVault,
  clientId: string,
  clientKey: Uint8Array,
  now: () => number,
): void {
  const signedState = vault.signedState;
  // A client made before signing, with nothing yet that a record binds: signed as it stands.
  if (signedState.nothingBound(clientId)) {
    signedState.change(clientId, clientKey, () => undefined, { newClient: true });
    return;
  }
  nameDeletedRecordings(vault, clientId, clientKey);

  const consent = signedState.checkConsent(clientId);
  let closedWhileLocked = false;
  if (consent.kind === 'edited') {
    if (signedState.consentHold(clientId) === null) {
      closedWhileLocked = true;
      // Closed while locked (a rollback redone): the safe direction, signed now.
      signedState.change(clientId, clientKey, () => undefined, { acceptClosed: true });
    } else {
      signedState.restoreConsent(consent.signed);
      vault.alarms.raise({
        subject: `consent/${clientId}`,
        clientId,
        problem: 'consent record put back from its signed record',
      });
    }
  } else if (consent.kind === 'unsigned') signedState.consentHold(clientId);

  for (const row of vault.recordings.list(clientId)) {
    if (row.state === 'destroyed') continue;
    const check = signedState.checkRecording(row.recordingId, clientId);
    if (check.kind === 'edited' && check.current) {
      signedState.recordingHold(row.recordingId, clientId);
      signedState.restoreRecording(check.signed);
      vault.alarms.raise({
        subject: `recording/${row.recordingId}`,
        clientId,
        problem: 'recording record put back from its signed record',
      });
    } else if (check.kind === 'unsigned') signedState.recordingHold(row.recordingId, clientId);
  }

  if (signedState.consentHold(clientId) !== null) return;
  const state = new ConsentStore(vault.db, vault.vaultId, now).state(clientId, clientKey);
  if (!state.terms) {
    signedState.change(clientId, clientKey, () => undefined);
    return;
  }
  signedState.change(clientId, clientKey, () => {
    for (const row of vault.recordings.list(clientId)) {
      if (row.state === 'destroyed') continue;
      const check = signedState.checkRecording(row.recordingId, clientId);
      if (check.kind !== 'ok' && check.kind !== 'legacy') continue;
      const kind = sealedKind(vault, row.recordingId, clientKey);
      const { at, cause } = deadlineWithCause(state, row.startedAt, kind);
      const recomputed = Number.isFinite(at) ? at : null;
      const stored = vault.recordings.destroyCause(row.recordingId);
      if (recomputed === row.destroyAfter && cause === stored) continue;
      // A revocation redone while locked could not refresh deadlines: expected, not tampering.
      if (!closedWhileLocked)
        vault.alarms.raise({
          subject: `recording/${row.recordingId}`,
          clientId,
          problem: `destruction date ${dateWords(row.destroyAfter)} (${stored ?? 'none'}) did not follow from the signed terms; recomputed ${dateWords(recomputed)} (${cause})`,
        });
      vault.recordings.setDeadline(row.recNo, recomputed, cause);
    }
  });
}

/**
 * Runs at each therapist unlock, before the sweep and before the session starts: the vault
 * record first, then one client per step of main's background queue, each in a turn of its own
 * (one client's checks take 2–5 ms, 13–30 ms with 30 recordings; all 40 clients of a practice's
 * year, 150–230 ms, once held main in one turn). One client's damage never stops the others. Stops
 * between clients once `wanted` says no (the unlock was cancelled: its key is already wiped).
 */
export async function reconcileSignedState(
  vault: OpenVault,
  masterKey: Uint8Array,
  now: () => number,
  turns: BackgroundTurns,
  wanted: () => boolean,
): Promise<void> {
  const pending = vault.signedState.recordsPending();
  const keyDamaged = new Set(vault.alarms.list().map((alarm) => alarm.subject));
  // First, so each client's records below are checked with the keys the vault record lists.
  vault.signedState.vaultRecord.reconcile(
    masterKey,
    (clientId) =>
      !keyDamaged.has(KEY_IDS.clientStateKey(clientId)) &&
      !keyDamaged.has(`client/${clientId}`) &&
      !keyDamaged.has(KEY_IDS.clientByMasterKey(clientId)),
  );
  for (const clientId of vault.clients.ids()) {
    // Its state key is already named damaged: its records cannot be checked or signed.
    if (keyDamaged.has(KEY_IDS.clientStateKey(clientId))) continue;
    await turns.run(
      () => {
        if (wanted()) reconcileWithTherapistKey(vault, clientId, masterKey, now);
      },
      { startsTurn: true },
    );
    if (!wanted()) return;
  }
  if (pending) vault.signedState.clearRecordsPending();
}

function reconcileWithTherapistKey(
  vault: OpenVault,
  clientId: string,
  masterKey: Uint8Array,
  now: () => number,
): void {
  let clientKey: Uint8Array | null = null;
  try {
    clientKey = vault.clients.keyForTherapist(clientId, masterKey);
  } catch (error) {
    if (error instanceof VaultError && error.code === 'VAULT_DAMAGED') return; // named already
    throw error;
  }
  try {
    reconcileClient(vault, clientId, clientKey, now);
  } finally {
    wipe(clientKey);
  }
}
