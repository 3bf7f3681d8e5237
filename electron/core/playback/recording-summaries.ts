// The library view of a client's recordings: when each was made, how long it is, when and why
// it will be destroyed, whether this person may play it, and its markers and removed ranges.
import type { RecordingSummary } from '../../../shared/api';
import { decide, summarizeConsent, termsForKind, type Actor } from '../../../shared/consent';
import { errorSentences } from '../../../shared/errors';
import { formatDate } from '../../../shared/format';
import type { ConsentService } from '../consent/consent-service';
import { wipe } from '../platform/crypto';
import type { RecordingRow } from '../recording/recording-row-store';
import type { VaultService } from '../vault/vault-service';

const causeSentence = {
  retention: 'The signed terms keep each recording for a set number of days.',
  termination: 'Therapy ended, and the terms say what happens then.',
  revocation: 'Consent was revoked.',
} as const;

export function recordingSummaries(
  lifecycle: VaultService,
  consent: ConsentService,
  clientId: string,
  clientKey: Uint8Array,
  actor: Actor,
  now: number,
): RecordingSummary[] {
  const vault = lifecycle.opened();
  const state = consent.consentState(clientId, clientKey);
  return vault.signedState.batch(() =>
    vault.recordings.list(clientId).map((recording: RecordingRow) => {
      let recordingKey: Uint8Array | null = null;
      try {
        recordingKey =
          recording.state === 'destroyed'
            ? null
            : vault.clients.recordingKey(recording.recordingId, clientKey);
        const meta = recordingKey
          ? vault.recordings.meta(recording.recordingId, recordingKey)
          : null;
        const index =
          recording.state === 'destroyed' ? [] : vault.recordings.index(recording.recordingId);
        const subject = consent.subject(
          clientId,
          clientKey,
          recording,
          meta?.consentVersion ?? null,
        );
        const heldBecause =
          recording.state === 'destroyed'
            ? null
            : vault.signedState.recordingHold(recording.recordingId, clientId);
        const play = heldBecause
          ? { allow: false, reasons: [errorSentences.RECORDING_HELD], codes: [] }
          : decide('play', actor, subject, now);
        const destroyCause = vault.recordings.destroyCause(recording.recordingId);
        // The title and private note are the therapist's: never read, let alone sent, for a client.
        const annotation =
          recordingKey && actor.role === 'therapist'
            ? vault.recordingNotes.read(recording.recordingId, recordingKey)
            : { title: null, note: null };
        return {
          recordingId: recording.recordingId,
          clientId,
          kind: recording.kind,
          startedAt: recording.startedAt,
          durationMs: index.reduce((end, c) => Math.max(end, c.startMs + c.durationMs), 0),
          state: recording.state,
          destroyAfter: recording.state === 'destroyed' ? null : recording.destroyAfter,
          destroyWhy:
            recording.state === 'destroyed' || recording.destroyAfter === null
              ? null
              : `${causeSentence[destroyCause ?? 'retention']} It will be destroyed on ${formatDate(recording.destroyAfter)}.`,
          destroyedAt: recording.destroyedAt,
          destroyReason: recording.destroyReason,
          consentVersion: meta?.consentVersion ?? null,
          consentSummary:
            state.terms && recording.destroyAfter !== null && recording.state !== 'destroyed'
              ? summarizeConsent(
                  termsForKind(state.terms, recording.kind),
                  recording.destroyAfter,
                  actor.role === 'client' ? 'client' : 'therapist',
                  state.therapyEndedAt !== null,
                )
              : null,
          play,
          markers: recordingKey
            ? vault.recordings.markers(recording.recordingId, recordingKey)
            : [],
          removedRanges:
            recording.state === 'destroyed'
              ? []
              : vault.recordings.removedRanges(recording.recordingId),
          held: heldBecause,
          title: annotation.title,
          privateNote: annotation.note,
        };
      } finally {
        wipe(recordingKey);
      }
    }),
  );
}
