import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  consentActionSchema,
  consentTermsSchema,
  decide,
  destroyAfter,
  isFullySigned,
  type Actor,
  type ConsentState,
  type ConsentTerms,
  type DecisionSubject,
  type RecordingSubject,
} from '../../../shared/consent';
import { DAY_MS } from '../../../shared/format';

const runs = { numRuns: 1000 };
const CLIENT = 'client-1';
const START = Date.UTC(2026, 0, 1);
const hash = 'c0'.repeat(32);

const mostly = (weight: number) =>
  fc.oneof({ arbitrary: fc.constant(true), weight }, { arbitrary: fc.constant(false), weight: 1 });

const termsArb: fc.Arbitrary<ConsentTerms> = fc
  .record({
    participantCount: fc.integer({ min: 1, max: 8 }),
    participantSigned: fc.array(mostly(30), { minLength: 8, maxLength: 8 }),
    therapistSigned: mostly(30),
    version: fc.integer({ min: 1, max: 3 }),
    client: fc.boolean(),
    therapist: fc.boolean(),
    namedOthers: fc.array(
      fc.record({ name: fc.constantFrom('Robin', 'Kai'), relation: fc.constantFrom('partner') }),
      { maxLength: 2 },
    ),
    retentionDays: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 3650 })),
    termination: fc.oneof(
      fc.constant({ action: 'destroy-now' as const }),
      fc.record({
        action: fc.constant('keep-for-review' as const),
        days: fc.integer({ min: 1, max: 365 }),
      }),
    ),
    destroys: fc.constantFrom('all-recordings' as const, 'future-only' as const),
  })
  .map((t) => {
    const participants = Array.from({ length: t.participantCount }, (_, i) => ({
      participantId: `p-${i}`,
      displayName: `Person ${i}`,
    }));
    const signatures = [
      ...participants
        .filter((_, i) => t.participantSigned[i])
        .map((p) => ({ signerId: p.participantId, role: 'participant' as const })),
      ...(t.therapistSigned ? [{ signerId: 't-1', role: 'therapist' as const }] : []),
    ].map((s) => ({
      ...s,
      typedName: `Name of ${s.signerId}`,
      signedAt: START,
      drawnSignature: { kind: 'sha256' as const, hash },
    }));
    return {
      consentId: 'consent-1',
      version: t.version,
      clientId: CLIENT,
      participants,
      purpose: { kind: 'personal-review' as const, limitsText: 'Personal review only.' },
      reasonsForRecording: { chosen: ['review' as const], otherText: '' },
      whoMayPlay: { client: t.client, therapist: t.therapist, namedOthers: t.namedOthers },
      onThisDeviceOnly: true as const,
      retentionDays: t.retentionDays,
      termination: t.termination,
      revocation: {
        destroys: t.destroys,
        revocableBy: { client: true as const, therapist: true as const },
      },
      acknowledgements: {
        noSharing: true as const,
        risksUnderstood: true as const,
        careNotConditional: true as const,
      },
      alternativesOffered: { writtenTakeaways: true, closingVoiceNote: false },
      partOfClinicalRecord: false,
      policyVersionHash: hash,
      signatures,
    };
  });

const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.constant({ role: 'therapist' as const, id: 't-1' }),
  fc.constantFrom(CLIENT, CLIENT, 'client-2').map((clientId) => ({
    role: 'client' as const,
    id: `u-${clientId}`,
    clientId,
  })),
  fc.constant({ role: 'auditor' as const, id: 'a-1' }),
  fc.constant({ role: 'system' as const, id: 'sweeper' }),
);

/** An offset in ms around the recording, wide enough that every deadline falls on both sides. */
const offsetArb = fc.oneof(
  fc.integer({ min: -5 * DAY_MS, max: 60 * DAY_MS }),
  fc.integer({ min: -400 * DAY_MS, max: 4000 * DAY_MS }),
);
/** Mostly nothing happened, so that allowed plays are common enough to test. */
const eventArb = fc.oneof(
  { arbitrary: fc.constant(null), weight: 2 },
  { arbitrary: offsetArb, weight: 1 },
);

interface Scenario {
  terms: ConsentTerms;
  subject: DecisionSubject;
  actor: Actor;
  now: number;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    terms: termsArb,
    actor: actorArb,
    recordedAt: fc.integer({ min: 0, max: 400 * DAY_MS }),
    now: offsetArb,
    revokedAt: eventArb,
    therapyEndedAt: eventArb,
    destroyedAt: fc.oneof(
      { arbitrary: fc.constant(null), weight: 4 },
      { arbitrary: offsetArb, weight: 1 },
    ),
    recordingClient: fc.oneof(
      { arbitrary: fc.constant(CLIENT), weight: 8 },
      { arbitrary: fc.constant('client-2'), weight: 1 },
    ),
    recordingConsent: fc.oneof(
      { arbitrary: fc.constant('consent-1'), weight: 8 },
      { arbitrary: fc.constant('consent-2'), weight: 1 },
    ),
    recordingVersion: fc.oneof(
      { arbitrary: fc.constant(1), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 1 },
    ),
  })
  .map((s) => {
    const recordedAt = START + s.recordedAt;
    const after = (offset: number | null) =>
      offset === null ? null : Math.max(0, recordedAt + offset);
    const revokedAt = after(s.revokedAt);
    const consent: ConsentState = {
      terms: s.terms,
      revokedAt,
      revokedBy: revokedAt === null ? null : { role: 'client', id: 'u-client-1' },
      therapyEndedAt: after(s.therapyEndedAt),
    };
    const recording: RecordingSubject = {
      recordingId: 'rec-1',
      clientId: s.recordingClient,
      consentId: s.recordingConsent,
      consentVersion: s.recordingVersion,
      recordedAt,
      destroyedAt: after(s.destroyedAt),
    };
    return {
      terms: s.terms,
      subject: { clientId: CLIENT, consent, recording },
      actor: s.actor,
      now: recordedAt + s.now,
    };
  });

function recordingOf(subject: DecisionSubject): RecordingSubject {
  if (subject.recording === null) throw new Error('scenario without a recording');
  return subject.recording;
}

function deadlineOf({ terms, subject }: Scenario): number {
  return destroyAfter(terms, subject.consent, recordingOf(subject).recordedAt);
}

function onAccessList({ terms, subject, actor }: Scenario): boolean {
  if (actor.role === 'therapist') return terms.whoMayPlay.therapist;
  if (actor.role === 'client') {
    return (
      terms.whoMayPlay.client &&
      actor.clientId === subject.clientId &&
      actor.clientId === recordingOf(subject).clientId
    );
  }
  return false;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const play = (s: Scenario) => decide('play', s.actor, s.subject, s.now);

describe('decide("play") properties', () => {
  test('the generated terms are valid terms', () => {
    fc.assert(
      fc.property(termsArb, (terms) => {
        expect(consentTermsSchema.safeParse(terms).success).toBe(true);
      }),
      runs,
    );
  });

  test('the generator reaches allowed plays, also for a client after therapy ended', () => {
    const sample = fc.sample(scenarioArb, { numRuns: 5000, seed: 7 });
    const allowed = sample.filter((s) => play(s).allow);
    expect(allowed.length).toBeGreaterThan(100);
    expect(allowed.length).toBeLessThan(sample.length);
    expect(allowed.some((s) => s.subject.consent.therapyEndedAt !== null)).toBe(true);
    expect(allowed.some((s) => s.subject.consent.revokedAt !== null)).toBe(true);
  });

  test('never allows an actor who is not on the access list', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        if (play(s).allow) expect(onAccessList(s)).toBe(true);
      }),
      runs,
    );
  });

  test('never allows the auditor or the system', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        fc.constantFrom('auditor' as const, 'system' as const),
        (s, role) => {
          expect(decide('play', { role, id: 'x' }, s.subject, s.now).allow).toBe(false);
        },
      ),
      runs,
    );
  });

  test('never after a revocation that destroys all recordings', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const revokedAll =
          s.subject.consent.revokedAt !== null && s.terms.revocation.destroys === 'all-recordings';
        if (revokedAll) expect(play(s).allow).toBe(false);
      }),
      runs,
    );
  });

  test('never at or after the deadline', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        if (s.now >= deadlineOf(s)) expect(play(s).allow).toBe(false);
      }),
      runs,
    );
  });

  test('never at the deadline or any moment after it', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 4000 * DAY_MS }), (s, after) => {
        const now = deadlineOf(s) + after;
        expect(decide('play', s.actor, s.subject, now).allow).toBe(false);
      }),
      runs,
    );
  });

  test('after therapy ends, only the client, only inside the review window', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const ended = s.subject.consent.therapyEndedAt;
        if (ended === null || !play(s).allow) return;
        expect(s.actor.role).toBe('client');
        expect(s.terms.termination.action).toBe('keep-for-review');
        if (s.terms.termination.action === 'keep-for-review') {
          expect(s.now).toBeLessThan(ended + s.terms.termination.days * DAY_MS);
        }
      }),
      runs,
    );
  });

  test('never a destroyed recording, nor under terms not fully signed', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        if (!play(s).allow) return;
        expect(recordingOf(s.subject).destroyedAt).toBeNull();
        expect(isFullySigned(s.terms)).toBe(true);
      }),
      runs,
    );
  });
});

describe('decide() properties for every action', () => {
  const actionArb = fc.constantFrom(...consentActionSchema.options);

  test('is deterministic, does not change its inputs, and always gives a reason', () => {
    fc.assert(
      fc.property(scenarioArb, actionArb, (s, action) => {
        const before = structuredClone(s);
        const first = decide(action, s.actor, s.subject, s.now);
        const second = decide(action, structuredClone(s.actor), structuredClone(s.subject), s.now);
        expect(second).toEqual(first);
        expect(s).toEqual(before);
        expect(first.reasons.length).toBeGreaterThan(0);
        // Frozen inputs throw on any write in strict mode, so a mutation cannot hide.
        const frozen = deepFreeze(structuredClone(s));
        expect(decide(action, frozen.actor, frozen.subject, frozen.now)).toEqual(first);
      }),
      runs,
    );
  });

  test('the sweeper destroys only what is due, and everything that is due', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const system: Actor = { role: 'system', id: 'sweeper' };
        const { allow } = decide('destroy', system, s.subject, s.now);
        const recording = recordingOf(s.subject);
        const matches =
          recording.clientId === CLIENT &&
          recording.consentId === s.terms.consentId &&
          recording.consentVersion <= s.terms.version;
        const revokedAll =
          s.subject.consent.revokedAt !== null && s.terms.revocation.destroys === 'all-recordings';
        const due =
          recording.destroyedAt !== null || (matches && (revokedAll || s.now >= deadlineOf(s)));
        expect(allow).toBe(due);
      }),
      runs,
    );
  });

  test('record needs the therapist and signed terms in force', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { allow } = decide('record', s.actor, s.subject, s.now);
        const { revokedAt, therapyEndedAt } = s.subject.consent;
        const expected =
          s.actor.role === 'therapist' &&
          isFullySigned(s.terms) &&
          revokedAt === null &&
          therapyEndedAt === null;
        expect(allow).toBe(expected);
      }),
      runs,
    );
  });
});

describe('schema properties', () => {
  const withTerms = (terms: ConsentTerms, change: Partial<ConsentTerms>) => ({
    ...terms,
    ...change,
  });

  test('refuses retention outside 1 day to 10 years, including 0 and 100 years', () => {
    const outside = fc.oneof(
      fc.constantFrom(0, 36_500),
      fc.integer({ min: -100_000, max: 0 }),
      fc.integer({ min: 3651, max: 1_000_000 }),
    );
    fc.assert(
      fc.property(termsArb, outside, (terms, retentionDays) => {
        const result = consentTermsSchema.safeParse(withTerms(terms, { retentionDays }));
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((i) => i.message)).toEqual([
          'Keep recordings for between 1 day and 10 years.',
        ]);
      }),
      runs,
    );
  });

  test('refuses a typed name that is empty or only spaces', () => {
    const blank = fc
      .array(fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u2003'), { maxLength: 6 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(termsArb, blank, (terms, typedName) => {
        fc.pre(terms.signatures.length > 0);
        const signatures = terms.signatures.map((s, i) => (i === 0 ? { ...s, typedName } : s));
        const result = consentTermsSchema.safeParse(withTerms(terms, { signatures }));
        expect(result.success).toBe(false);
        expect(result.error?.issues.map((i) => i.message)).toEqual(['Type your name to sign.']);
      }),
      runs,
    );
  });

  test('terms missing a participant signature are not fully signed', () => {
    fc.assert(
      fc.property(termsArb, fc.nat(), (terms, pick) => {
        const participantId = terms.participants[pick % terms.participants.length]?.participantId;
        const signatures = terms.signatures.filter((s) => s.signerId !== participantId);
        expect(isFullySigned(withTerms(terms, { signatures }))).toBe(false);
      }),
      runs,
    );
  });

  test('terms without the therapist signature are not fully signed', () => {
    fc.assert(
      fc.property(termsArb, (terms) => {
        const signatures = terms.signatures.filter((s) => s.role !== 'therapist');
        expect(isFullySigned(withTerms(terms, { signatures }))).toBe(false);
      }),
      runs,
    );
  });
});
