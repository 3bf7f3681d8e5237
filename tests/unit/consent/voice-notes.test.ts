import { describe, expect, test } from 'vitest';
import {
  allowsKind,
  consentTermsSchema,
  decide,
  destroyAfter,
  type ConsentState,
  type ConsentTerms,
  type DecisionSubject,
  type RecordingSubject,
  type VoiceNoteTerms,
} from '../../../shared/consent';
import { DAY_MS } from '../../../shared/format';

const signedOn = Date.UTC(2026, 10, 1, 9);
const recordedAt = Date.UTC(2026, 10, 3, 10);
const therapist = { role: 'therapist', id: 't-1' } as const;
const client = { role: 'client', id: 'client-1', clientId: 'client-1' } as const;

const voiceNoteTerms: VoiceNoteTerms = {
  whoMayPlay: { client: true, therapist: false },
  retentionDays: 7,
  termination: { action: 'destroy-now' },
  revocationDestroys: 'all-recordings',
};

function signed(overrides: Partial<ConsentTerms> = {}): ConsentTerms {
  const signature = (signerId: string, role: 'participant' | 'therapist') => ({
    signerId,
    role,
    typedName: signerId,
    signedAt: signedOn,
    drawnSignature: { kind: 'svg-path' as const, d: 'M 0 0 L 1 1' },
  });
  return consentTermsSchema.parse({
    consentId: 'consent-1',
    version: 1,
    clientId: 'client-1',
    participants: [{ participantId: 'p-alex', displayName: 'Alex' }],
    purpose: { kind: 'personal-review', limitsText: 'For listening again, alone.' },
    reasonsForRecording: { chosen: ['review'], otherText: '' },
    whoMayPlay: { client: true, therapist: true, namedOthers: [] },
    onThisDeviceOnly: true,
    retentionDays: 30,
    termination: { action: 'keep-for-review', days: 14 },
    revocation: { destroys: 'future-only', revocableBy: { client: true, therapist: true } },
    acknowledgements: { noSharing: true, risksUnderstood: true, careNotConditional: true },
    alternativesOffered: { writtenTakeaways: false, closingVoiceNote: true },
    partOfClinicalRecord: false,
    policyVersionHash: 'ab'.repeat(32),
    signatures: [signature('p-alex', 'participant'), signature('t-1', 'therapist')],
    ...overrides,
  });
}

function subject(
  terms: ConsentTerms,
  more: Partial<ConsentState> = {},
  recording: Partial<RecordingSubject> | null = null,
): DecisionSubject {
  return {
    clientId: 'client-1',
    consent: { terms, revokedAt: null, revokedBy: null, therapyEndedAt: null, ...more },
    recording:
      recording === null
        ? null
        : {
            recordingId: 'rec-1',
            clientId: 'client-1',
            consentId: 'consent-1',
            consentVersion: 1,
            recordedAt,
            destroyedAt: null,
            ...recording,
          },
  };
}

const voiceNotesOnly = { sessions: false, voiceNotes: voiceNoteTerms };

describe('closing voice notes in the signed terms', () => {
  test('terms signed before the choice existed still parse and allow full sessions only', () => {
    const old = signed();
    expect(old.recordingKinds).toBeUndefined();
    expect(allowsKind(old, 'session')).toBe(true);
    expect(allowsKind(old, 'voice-note')).toBe(false);
    const refusal = decide(
      'record',
      therapist,
      { ...subject(old), recordingKind: 'voice-note' },
      recordedAt,
    );
    expect(refusal.allow).toBe(false);
    expect(refusal.reasons.join(' ')).toContain('does not allow closing voice notes');
  });

  test('a consent for voice notes only refuses a full recording, with the reason in words', () => {
    const terms = signed({ recordingKinds: voiceNotesOnly });
    const session = decide('record', therapist, subject(terms), recordedAt);
    expect(session.allow).toBe(false);
    expect(session.reasons).toContain(
      'The client agreed to closing voice notes only, not to recording whole sessions. Record a closing voice note instead, or sign new terms together.',
    );
    const note = decide(
      'record',
      therapist,
      { ...subject(terms), recordingKind: 'voice-note' },
      recordedAt,
    );
    expect(note.allow).toBe(true);
  });

  test('terms that allow nothing to be recorded do not parse', () => {
    expect(() => signed({ recordingKinds: { sessions: false, voiceNotes: null } })).toThrow(
      /full-session recordings, closing voice notes, or both/,
    );
  });

  test('a voice note keeps by its own terms: who listens, how long, revocation', () => {
    const terms = signed({ recordingKinds: { sessions: true, voiceNotes: voiceNoteTerms } });
    const state = { revokedAt: null, therapyEndedAt: null };
    expect(destroyAfter(terms, state, recordedAt, 'voice-note')).toBe(recordedAt + 7 * DAY_MS);
    expect(destroyAfter(terms, state, recordedAt, 'session')).toBe(recordedAt + 30 * DAY_MS);

    const now = recordedAt + DAY_MS;
    expect(decide('play', client, subject(terms, {}, { kind: 'voice-note' }), now).allow).toBe(
      true,
    );
    const byTherapist = decide('play', therapist, subject(terms, {}, { kind: 'voice-note' }), now);
    expect(byTherapist.allow).toBe(false);
    expect(byTherapist.reasons).toContain(
      'The consent does not list the therapist as someone who may listen.',
    );
    expect(decide('play', therapist, subject(terms, {}, { kind: 'session' }), now).allow).toBe(
      true,
    );

    // The session terms keep recordings after a revocation; the voice note's destroy them.
    const revoked = { revokedAt: now, revokedBy: { role: 'client' as const, id: 'client-1' } };
    const system = { role: 'system', id: 'sweeper' } as const;
    expect(
      decide('destroy', system, subject(terms, revoked, { kind: 'voice-note' }), now).allow,
    ).toBe(true);
    expect(decide('destroy', system, subject(terms, revoked, { kind: 'session' }), now).allow).toBe(
      false,
    );
  });
});
