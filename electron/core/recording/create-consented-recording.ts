// A recording comes into being only under consent: the terms in force must allow recording now (a
// refusal is logged), and its log entry, its key, its row with the consent version it is made
// under, and its destroy-after deadline are written in one transaction.
import type { Role } from '../../../shared/api';
import { decide, type Actor, type RecordingKind } from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import type { ConsentService } from '../consent/consent-service';
import { deadlineWithCause } from '../consent/recording-deadlines';
import type { OpenVault } from '../vault/open-vault';

export function createConsentedRecording(
  vault: OpenVault,
  actorRole: Role,
  consent: ConsentService,
  now: () => number,
  request: { recordingId: string; clientId: string; actor: Actor; kind: RecordingKind },
  /** Runs inside the transaction: the recording exists only if this returns. */
  started: (recordingKey: Uint8Array) => void,
): void {
  const { recordingId, clientId, actor, kind } = request;
  consent.withClientKey(clientId, (clientKey) => {
    // Consent rows that do not match their signed record decide nothing (issue 11).
    const held = vault.signedState.consentHold(clientId);
    if (held) {
      vault.audit.append({
        actorRole,
        action: 'recording.start',
        subject: clientId,
        outcome: 'refused',
        reason: `consent held: ${held}`,
      });
      throw new VaultError('CONSENT_HELD');
    }
    const subject = { ...consent.subject(clientId, clientKey, null, null), recordingKind: kind };
    const decision = decide('record', actor, subject, now());
    if (!decision.allow) {
      vault.audit.append({
        actorRole,
        action: 'recording.start',
        subject: clientId,
        outcome: 'refused',
        reason: decision.reasons.join(' '),
      });
      throw new VaultError('NOT_ALLOWED', decision.reasons.join(' '));
    }
    const terms = subject.consent.terms!;
    vault.signedState.change(clientId, clientKey, () => {
      vault.audit.append({
        actorRole,
        action: 'recording.start',
        subject: recordingId,
        outcome: 'ok',
        reason: `client ${clientId}; ${kind}; consent version ${terms.version}; reconfirmed aloud`,
      });
      const recordingKey = vault.clients.newRecordingKey(recordingId, clientKey);
      const row = vault.recordings.create(
        { recordingId, clientId, kind, destroyAfter: null },
        recordingKey,
        { mimeType: 'pending', consentId: terms.consentId, consentVersion: terms.version, kind },
      );
      // From the row's own start time, so the deadline recomputed at unlock is the same one.
      const { at, cause } = deadlineWithCause(subject.consent, row.startedAt, kind);
      vault.recordings.setDeadline(row.recNo, Number.isFinite(at) ? at : null, cause);
      started(recordingKey);
    });
  });
}
