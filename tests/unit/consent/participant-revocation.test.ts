// A couple's consent where one of them revokes: every session recording holds both voices, so a
// participant's revocation destroys them all under terms that say so; older terms keep their word.
import { describe, expect, test } from 'vitest';
import {
  consentTermsSchema,
  decide,
  destroyAfter,
  revocationDestroysAll,
  type ConsentState,
  type ConsentTerms,
  type DecisionSubject,
  type RecordingKind,
} from '../../../shared/consent';
import { describeTerms } from '../../../shared/consent-text';
import { DAY_MS } from '../../../shared/format';

const signedOn = Date.UTC(2026, 10, 1, 9);
const recordedAt = Date.UTC(2026, 10, 3, 10);
const revokedAt = Date.UTC(2026, 10, 5, 10);
const now = revokedAt + DAY_MS;
const therapist = { role: 'therapist', id: 't-1' } as const;
const client = { role: 'client', id: 'client-1', clientId: 'client-1' } as const;
const sweeper = { role: 'system', id: 'sweeper' } as const;

function couple(overrides: Partial<ConsentTerms> = {}): ConsentTerms {
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
    participants: [
      { participantId: 'p-alex', displayName: 'Alex' },
      { participantId: 'p-robin', displayName: 'Robin' },
    ],
    purpose: { kind: 'personal-review', limitsText: 'For listening again.' },
    reasonsForRecording: { chosen: ['review'], otherText: '' },
    whoMayPlay: { client: true, therapist: true, namedOthers: [] },
    onThisDeviceOnly: true,
    retentionDays: 30,
    termination: { action: 'destroy-now' },
    revocation: { destroys: 'future-only', revocableBy: { client: true, therapist: true } },
    acknowledgements: { noSharing: true, risksUnderstood: true, careNotConditional: true },
    alternativesOffered: { writtenTakeaways: false, closingVoiceNote: false },
    partOfClinicalRecord: false,
    recordingKinds: {
      sessions: true,
      voiceNotes: {
        whoMayPlay: { client: true, therapist: false },
        retentionDays: 14,
        termination: { action: 'destroy-now' },
        revocationDestroys: 'future-only',
      },
    },
    participantRevocation: 'destroys-shared-recordings',
    representative: null,
    policyVersionHash: 'ab'.repeat(32),
    signatures: [
      signature('p-alex', 'participant'),
      signature('p-robin', 'participant'),
      signature('t-1', 'therapist'),
    ],
    ...overrides,
  });
}

function subject(
  terms: ConsentTerms,
  revokedBy: ConsentState['revokedBy'],
  kind: RecordingKind = 'session',
  destroyedAt: number | null = null,
): DecisionSubject {
  return {
    clientId: 'client-1',
    consent: { terms, revokedAt, revokedBy, therapyEndedAt: null },
    recording: {
      recordingId: 'rec-1',
      clientId: 'client-1',
      consentId: 'consent-1',
      consentVersion: 1,
      recordedAt,
      destroyedAt,
      kind,
    },
  };
}

const byRobin = { role: 'client', id: 'client-1' } as const;
const byTherapist = { role: 'therapist', id: 't-1' } as const;

describe('one participant of a couple revokes', () => {
  test('every session recording is due at once and may no longer play, for anyone', () => {
    const terms = couple();
    const state = { revokedAt, revokedBy: byRobin, therapyEndedAt: null };
    expect(destroyAfter(terms, state, recordedAt)).toBe(revokedAt);
    expect(revocationDestroysAll(terms, state)).toBe(true);

    const play = decide('play', client, subject(terms, byRobin), now);
    expect(play.allow).toBe(false);
    expect(play.codes).toContain('revoked');
    expect(play.reasons.join(' ')).toMatch(/holds everyone’s voice/);
    expect(decide('play', therapist, subject(terms, byRobin), now).allow).toBe(false);
    const sweep = decide('destroy', sweeper, subject(terms, byRobin), now);
    expect(sweep.allow).toBe(true);
    expect(sweep.codes).toContain('revoked');
  });

  test('the therapist’s revocation keeps what the terms keep: recordings play until their date', () => {
    const terms = couple();
    const state = { revokedAt, revokedBy: byTherapist, therapyEndedAt: null };
    expect(destroyAfter(terms, state, recordedAt)).toBe(recordedAt + 30 * DAY_MS);
    expect(decide('play', client, subject(terms, byTherapist), now).allow).toBe(true);
    expect(decide('destroy', sweeper, subject(terms, byTherapist), now).allow).toBe(false);
  });

  test('a voice note keeps its own terms: it still plays after a participant revokes', () => {
    const terms = couple();
    const note = subject(terms, byRobin, 'voice-note');
    expect(decide('play', client, note, now).allow).toBe(true);
    expect(decide('destroy', sweeper, note, now).allow).toBe(false);
  });

  test('no new recording is made after the revocation', () => {
    const record = decide(
      'record',
      therapist,
      { ...subject(couple(), byRobin), recording: null },
      now,
    );
    expect(record.allow).toBe(false);
    expect(record.codes).toContain('revoked');
  });

  test('terms signed before the rule keep their word: future-only keeps the recordings', () => {
    const older: Partial<ConsentTerms> = { ...couple() };
    delete older.participantRevocation;
    const terms = consentTermsSchema.parse(older);
    expect(
      destroyAfter(terms, { revokedAt, revokedBy: byRobin, therapyEndedAt: null }, recordedAt),
    ).toBe(recordedAt + 30 * DAY_MS);
    expect(decide('play', client, subject(terms, byRobin), now).allow).toBe(true);
  });

  test('a client alone is not a couple: future-only keeps the recordings', () => {
    const terms = couple({
      participants: [{ participantId: 'p-alex', displayName: 'Alex' }],
      signatures: couple().signatures.filter((s) => s.signerId !== 'p-robin'),
    });
    expect(decide('play', client, subject(terms, byRobin), now).allow).toBe(true);
  });

  test('the form says what decide() does', () => {
    const lines = describeTerms(couple())
      .flatMap((section) => section.lines)
      .join(' ');
    expect(lines).toContain(
      'when any one of you revokes, no more sessions are recorded, and every session recording is destroyed at once',
    );
    const alone = couple({
      participants: [{ participantId: 'p-alex', displayName: 'Alex' }],
      signatures: couple().signatures.filter((s) => s.signerId !== 'p-robin'),
    });
    expect(
      describeTerms(alone)
        .flatMap((s) => s.lines)
        .join(' '),
    ).not.toContain('any one of you');
  });
});
