import { afterEach, describe, expect, test } from 'vitest';
import {
  actorSchema,
  consentStateSchema,
  consentTermsSchema,
  decide,
  describeListeners,
  destroyAfter,
  isFullySigned,
  listenersProblem,
  missingSignatures,
  summarizeConsent,
  type Actor,
  type ConsentState,
  type ConsentTerms,
  type DecisionSubject,
  type RecordingSubject,
} from '../../../shared/consent';
import { listenersSentence } from '../../../shared/consent-text';
import { DAY_MS, formatDate, formatDateTime, formatDays, formatTime } from '../../../shared/format';
import { reviewAcknowledgement } from '../../../shared/review-policy';

const at = (year: number, month: number, day: number, hour = 0) =>
  Date.UTC(year, month - 1, day, hour);
const HOUR_MS = 3_600_000;

const signedOn = at(2026, 11, 1, 9);
const hash = 'ab'.repeat(32);

function terms(overrides: Partial<ConsentTerms> = {}): ConsentTerms {
  return {
    consentId: 'consent-1',
    version: 1,
    clientId: 'client-1',
    participants: [
      { participantId: 'p-alex', displayName: 'Alex' },
      { participantId: 'p-sam', displayName: 'Sam' },
    ],
    purpose: { kind: 'personal-review', limitsText: 'For listening again, alone, on this laptop.' },
    reasonsForRecording: { chosen: ['review', 'memory'], otherText: '' },
    whoMayPlay: { client: true, therapist: true, namedOthers: [] },
    onThisDeviceOnly: true,
    retentionDays: 30,
    termination: { action: 'keep-for-review', days: 14 },
    revocation: { destroys: 'all-recordings', revocableBy: { client: true, therapist: true } },
    acknowledgements: { noSharing: true, risksUnderstood: true, careNotConditional: true },
    alternativesOffered: { writtenTakeaways: true, closingVoiceNote: false },
    partOfClinicalRecord: false,
    policyVersionHash: hash,
    signatures: [
      signature('p-alex', 'participant', 'Alex Doe'),
      signature('p-sam', 'participant', 'Sam Doe'),
      signature('t-1', 'therapist', 'Dr Kim'),
    ],
    ...overrides,
  };
}

function signature(signerId: string, role: 'participant' | 'therapist', typedName: string) {
  return {
    signerId,
    role,
    typedName,
    signedAt: signedOn,
    drawnSignature: { kind: 'svg-path' as const, d: 'M 0 0 L 10 10' },
  };
}

function state(overrides: Partial<ConsentState> = {}): ConsentState {
  return { terms: terms(), revokedAt: null, revokedBy: null, therapyEndedAt: null, ...overrides };
}

function recording(overrides: Partial<RecordingSubject> = {}): RecordingSubject {
  return {
    recordingId: 'rec-1',
    clientId: 'client-1',
    consentId: 'consent-1',
    consentVersion: 1,
    recordedAt: at(2026, 11, 3, 10),
    destroyedAt: null,
    ...overrides,
  };
}

function subject(
  consent: ConsentState = state(),
  rec: RecordingSubject | null = recording(),
): DecisionSubject {
  return { clientId: 'client-1', consent, recording: rec };
}

const therapist: Actor = { role: 'therapist', id: 't-1' };
const client: Actor = { role: 'client', id: 'u-alex', clientId: 'client-1' };
const otherClient: Actor = { role: 'client', id: 'u-jo', clientId: 'client-2' };
const auditor: Actor = { role: 'auditor', id: 'a-1' };
const system: Actor = { role: 'system', id: 'sweeper' };

const soon = at(2026, 11, 10); // a week after the recording, before any deadline

function messages(input: unknown): string[] {
  const result = consentTermsSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

describe('format', () => {
  const laptopZone = process.env.TZ;
  afterEach(() => {
    if (laptopZone === undefined) delete process.env.TZ;
    else process.env.TZ = laptopZone;
  });

  test('writes dates in UTC with English month names on a laptop set to UTC', () => {
    process.env.TZ = 'UTC';
    expect(formatDate(at(2026, 11, 20))).toBe('20 Nov 2026');
    expect(formatDate(at(2026, 11, 20, 23) + 59 * 60_000)).toBe('20 Nov 2026');
    expect(formatDate(0)).toBe('1 Jan 1970');
    expect(formatDate(Number.NaN)).toBe('an unknown date');
  });
  test('writes dates and times in the laptop’s own zone, with the zone named', () => {
    process.env.TZ = 'America/Chicago';
    // 03:00 UTC on 21 Nov is still the evening of 20 Nov in Chicago.
    expect(formatDate(at(2026, 11, 21, 3))).toBe('20 Nov 2026');
    expect(formatDateTime(at(2026, 11, 21, 3))).toMatch(/^20 Nov 2026, 21:00 (CST|GMT-6)$/);
    process.env.TZ = 'Europe/Berlin';
    expect(formatDateTime(at(2026, 11, 21, 3))).toMatch(/^21 Nov 2026, 04:00 (CET|GMT\+1)$/);
    expect(formatTime(Number.NaN)).toBe('an unknown time');
  });
  test('writes days', () => {
    expect(formatDays(1)).toBe('1 day');
    expect(formatDays(14)).toBe('14 days');
  });
});

describe('consentTermsSchema', () => {
  test('accepts complete terms and trims typed names', () => {
    const input = terms({ signatures: [signature('p-alex', 'participant', '  Alex Doe  ')] });
    const parsed = consentTermsSchema.parse(input);
    expect(parsed.signatures[0]?.typedName).toBe('Alex Doe');
  });

  test.each([0, 36_500, 3651, -5])('refuses %i days of retention with a sentence', (days) => {
    expect(messages(terms({ retentionDays: days }))).toEqual([
      'Keep recordings for between 1 day and 10 years.',
    ]);
  });

  test('refuses part days of retention', () => {
    expect(messages(terms({ retentionDays: 1.5 }))).toEqual([
      'Keep recordings for a whole number of days.',
    ]);
  });

  test.each([1, 3650])('accepts %i days of retention', (days) => {
    expect(consentTermsSchema.safeParse(terms({ retentionDays: days })).success).toBe(true);
  });

  test('refuses an empty typed name', () => {
    expect(messages(terms({ signatures: [signature('p-alex', 'participant', '   ')] }))).toEqual([
      'Type your name to sign.',
    ]);
  });

  test('needs 1 to 8 participants', () => {
    expect(messages(terms({ participants: [], signatures: [] }))).toEqual([
      'Add the person being recorded.',
    ]);
    const nine = Array.from({ length: 9 }, (_, i) => ({
      participantId: `p-${i}`,
      displayName: `Person ${i}`,
    }));
    expect(messages(terms({ participants: nine, signatures: [] }))).toEqual([
      'A session can have at most 8 participants.',
    ]);
  });

  test('refuses leaving this laptop, unticked acknowledgements and a locked-in revocation', () => {
    const input = {
      ...terms(),
      onThisDeviceOnly: false,
      acknowledgements: { noSharing: true, risksUnderstood: false, careNotConditional: true },
      revocation: { destroys: 'all-recordings', revocableBy: { client: false, therapist: true } },
    };
    expect(messages(input)).toEqual([
      'Recordings stay on this laptop only.',
      'The client can always revoke consent.',
      'Tick the box to show the risks of recording were explained.',
    ]);
  });

  test('allows personal review as the only purpose', () => {
    const input = { ...terms(), purpose: { kind: 'research', limitsText: 'x' } };
    expect(messages(input)).toEqual(['Recordings can only be for the client’s personal review.']);
  });

  test('keeps recordings after therapy for 1 to 365 days', () => {
    for (const days of [0, 366]) {
      expect(messages(terms({ termination: { action: 'keep-for-review', days } }))).toEqual([
        'Keep recordings after therapy ends for between 1 and 365 days.',
      ]);
    }
  });

  test('asks what the other reason is', () => {
    const input = terms({ reasonsForRecording: { chosen: ['other'], otherText: ' ' } });
    expect(messages(input)).toEqual(['Say in a few words what the other reason is.']);
    const twice = terms({ reasonsForRecording: { chosen: ['review', 'review'], otherText: '' } });
    expect(messages(twice)).toEqual(['Choose each reason once.']);
  });

  test('needs a 64 character policy fingerprint', () => {
    expect(messages(terms({ policyVersionHash: 'abc' }))).toEqual([
      'The practice policy fingerprint must be 64 lowercase hex characters.',
    ]);
  });

  test('refuses a drawn signature that is not plain path data', () => {
    const forged = {
      ...signature('p-alex', 'participant', 'Alex'),
      drawnSignature: { kind: 'svg-path', d: 'M0 0"/><script>alert(1)</script>' },
    };
    expect(messages({ ...terms(), signatures: [forged] })).toEqual([
      'The drawn signature is not a plain line drawing.',
    ]);
    const hashed = {
      ...signature('p-alex', 'participant', 'Alex'),
      drawnSignature: { kind: 'sha256', hash },
    };
    expect(messages({ ...terms(), signatures: [hashed] })).toEqual([]);
  });

  test('ties signatures to the people in the terms', () => {
    expect(
      messages(terms({ signatures: [signature('p-stranger', 'participant', 'Stranger')] })),
    ).toEqual(['This signature belongs to someone who is not a participant.']);
    expect(
      messages(
        terms({
          signatures: [
            signature('p-alex', 'participant', 'Alex'),
            signature('p-alex', 'participant', 'Alex'),
          ],
        }),
      ),
    ).toEqual(['Each person signs once.']);
    expect(
      messages(
        terms({
          signatures: [signature('t-1', 'therapist', 'A'), signature('t-2', 'therapist', 'B')],
        }),
      ),
    ).toEqual(['Only one therapist signs.']);
    expect(messages(terms({ signatures: [signature('p-alex', 'therapist', 'Alex')] }))).toEqual([
      'The therapist signs as the therapist.',
    ]);
  });
});

describe('other schemas', () => {
  test('a revocation needs both a time and a person', () => {
    const result = consentStateSchema.safeParse(state({ revokedAt: soon }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(
      'A revocation needs both when it happened and who made it.',
    );
    const ok = state({ revokedAt: soon, revokedBy: { role: 'client', id: 'u-alex' } });
    expect(consentStateSchema.safeParse(ok).success).toBe(true);
  });

  test('a client actor must say which client it is', () => {
    expect(actorSchema.safeParse({ role: 'client', id: 'u-alex' }).success).toBe(false);
    expect(actorSchema.safeParse(client).success).toBe(true);
    expect(actorSchema.safeParse({ role: 'admin', id: 'x' }).success).toBe(false);
  });
});

describe('signatures', () => {
  test('fully signed needs every participant and the therapist', () => {
    expect(isFullySigned(terms())).toBe(true);
    const withoutSam = terms({
      signatures: [signature('p-alex', 'participant', 'Alex'), signature('t-1', 'therapist', 'Dr')],
    });
    expect(isFullySigned(withoutSam)).toBe(false);
    expect(missingSignatures(withoutSam)).toEqual(['Sam']);
    expect(missingSignatures(terms({ signatures: [] }))).toEqual(['Alex', 'Sam', 'the therapist']);
  });
});

describe('destroyAfter', () => {
  const recordedAt = at(2026, 11, 3, 10);
  const base = { revokedAt: null, therapyEndedAt: null };

  test('is the end of retention when nothing else happened', () => {
    expect(destroyAfter(terms(), base, recordedAt)).toBe(recordedAt + 30 * DAY_MS);
  });
  test('is the end of the review window after therapy ends', () => {
    const ended = at(2026, 11, 10);
    expect(destroyAfter(terms(), { ...base, therapyEndedAt: ended }, recordedAt)).toBe(
      ended + 14 * DAY_MS,
    );
  });
  test('is the end of therapy when the terms destroy at once', () => {
    const ended = at(2026, 11, 20);
    const t = terms({ termination: { action: 'destroy-now' } });
    expect(destroyAfter(t, { ...base, therapyEndedAt: ended }, recordedAt)).toBe(ended);
  });
  test('keeps retention when it ends before the review window', () => {
    const ended = at(2026, 11, 30);
    expect(destroyAfter(terms(), { ...base, therapyEndedAt: ended }, recordedAt)).toBe(
      recordedAt + 30 * DAY_MS,
    );
  });
  test('is the revocation when revoking destroys all recordings', () => {
    const revokedAt = at(2026, 11, 20);
    expect(destroyAfter(terms(), { ...base, revokedAt }, recordedAt)).toBe(revokedAt);
  });
  test('ignores a future-only revocation for earlier recordings', () => {
    const t = terms({
      revocation: { destroys: 'future-only', revocableBy: { client: true, therapist: true } },
    });
    const revokedAt = at(2026, 11, 20);
    expect(destroyAfter(t, { ...base, revokedAt }, recordedAt)).toBe(recordedAt + 30 * DAY_MS);
    expect(destroyAfter(t, { ...base, revokedAt }, revokedAt + HOUR_MS)).toBe(revokedAt + HOUR_MS);
  });
});

describe('summarizeConsent', () => {
  const destroyAt = at(2027, 1, 3);
  test('says who may listen and when it is destroyed', () => {
    expect(summarizeConsent(terms(), destroyAt)).toBe(
      'You and your therapist may listen. Destroyed on 3 Jan 2027.',
    );
  });
  test('covers one listener, none, and named others', () => {
    const onlyClient = terms({ whoMayPlay: { client: true, therapist: false, namedOthers: [] } });
    expect(summarizeConsent(onlyClient, destroyAt)).toBe(
      'Only you may listen. Destroyed on 3 Jan 2027.',
    );
    const none = terms({ whoMayPlay: { client: false, therapist: false, namedOthers: [] } });
    expect(summarizeConsent(none, destroyAt)).toBe('No one may listen. Destroyed on 3 Jan 2027.');
    const family = terms({
      whoMayPlay: {
        client: true,
        therapist: true,
        namedOthers: [{ name: 'Robin', relation: 'partner' }],
      },
    });
    expect(summarizeConsent(family, destroyAt)).toBe(
      'You and your therapist may listen. Robin (partner) may listen with you, in your review. Destroyed on 3 Jan 2027.',
    );
    expect(describeListeners(family, 'therapist')).toBe(
      'You and the client may listen. Robin (partner) may listen with the client, in review.',
    );
    // After therapy ends only the client may listen, whatever else the terms list.
    expect(describeListeners(family, 'client', true)).toBe('Only you may listen.');
    expect(summarizeConsent(family, destroyAt, 'therapist', true)).toBe(
      'Only the client may listen. Destroyed on 3 Jan 2027.',
    );
    expect(listenersSentence(family)).toBe(
      'The client and the therapist may listen, on this laptop only. Robin (partner) may listen only together with the client, during the client’s review on this laptop; they have no access of their own.',
    );
  });
  test('named others listen beside the client, so naming them needs the client ticked', () => {
    const robin = [{ name: 'Robin', relation: 'partner' }];
    expect(listenersProblem({ client: true, therapist: false, namedOthers: robin })).toBeNull();
    expect(listenersProblem({ client: false, therapist: true, namedOthers: robin })).toBe(
      'The people you name listen together with the client, in client review, so tick the client too.',
    );
    expect(listenersProblem({ client: false, therapist: false, namedOthers: [] })).toBe(
      'Choose at least one person who may listen.',
    );
    expect(reviewAcknowledgement()).toContain('my own personal review only');
    expect(reviewAcknowledgement(['Robin (partner)', 'Pat (mother)'])).toBe(
      'I will listen for my own personal review, alone or with Robin (partner) or Pat (mother) as my consent allows, and I will not record, copy or share what I hear.',
    );
  });
  test('speaks to the therapist when the therapist reads it', () => {
    expect(summarizeConsent(terms(), destroyAt, 'therapist')).toBe(
      'You and the client may listen. Destroyed on 3 Jan 2027.',
    );
  });
});

describe('decide: record', () => {
  test('the therapist records under signed terms in force', () => {
    expect(decide('record', therapist, subject(state(), null), soon)).toEqual({
      allow: true,
      reasons: [
        'Everyone has signed and the consent is in force.',
        'A recording made now will be destroyed on 10 Dec 2026.',
      ],
      codes: ['in-force', 'destroyed-on'],
    });
  });
  test('only the therapist records', () => {
    for (const actor of [client, auditor, system]) {
      expect(decide('record', actor, subject(), soon)).toEqual({
        allow: false,
        reasons: ['Only the therapist can start a recording.'],
        codes: ['therapist-only'],
      });
    }
  });
  test('not before everyone signed', () => {
    const unsigned = state({ terms: terms({ signatures: [signature('t-1', 'therapist', 'Dr')] }) });
    expect(decide('record', therapist, subject(unsigned), soon)).toEqual({
      allow: false,
      reasons: ['Not every participant has signed yet.', 'Still to sign: Alex and Sam.'],
      codes: ['not-signed', 'not-signed'],
    });
  });
  test('not after revocation or the end of therapy', () => {
    const revoked = state({
      revokedAt: at(2026, 11, 20),
      revokedBy: { role: 'client', id: 'u-alex' },
      therapyEndedAt: at(2026, 12, 1),
    });
    expect(decide('record', therapist, subject(revoked), at(2026, 12, 2)).reasons).toEqual([
      'Consent was revoked on 20 Nov 2026.',
      'Therapy ended on 1 Dec 2026, so no new recordings can be made.',
    ]);
  });
  test('not without consent, or under another client’s consent', () => {
    expect(decide('record', therapist, subject(state({ terms: null })), soon)).toEqual({
      allow: false,
      reasons: ['There is no signed consent for this client.'],
      codes: ['no-consent'],
    });
    const foreign = state({ terms: terms({ clientId: 'client-2' }) });
    expect(decide('record', therapist, subject(foreign), soon).allow).toBe(false);
    expect(decide('record', therapist, null, soon).reasons).toEqual(['Choose a client to record.']);
  });
});

describe('decide: play', () => {
  test('the client and the therapist play when the consent lists them', () => {
    expect(decide('play', client, subject(), soon)).toEqual({
      allow: true,
      reasons: [
        'The consent lists the client as someone who may listen.',
        'This recording will be destroyed on 3 Dec 2026.',
      ],
      codes: ['listed', 'destroyed-on'],
    });
    expect(decide('play', therapist, subject(), soon).allow).toBe(true);
  });

  test('auditor and system never play', () => {
    expect(decide('play', auditor, subject(), soon)).toEqual({
      allow: false,
      reasons: ['An auditor can read the access log but never listen to recordings.'],
      codes: ['auditor'],
    });
    expect(decide('play', system, subject(), soon)).toEqual({
      allow: false,
      reasons: ['Session Vault itself never plays recordings.'],
      codes: ['system'],
    });
  });

  test('a client plays only their own recordings', () => {
    expect(decide('play', otherClient, subject(), soon)).toEqual({
      allow: false,
      reasons: ['This recording belongs to another client.'],
      codes: ['other-client'],
    });
  });

  test('only people the consent lists may listen', () => {
    const clientOnly = state({
      terms: terms({ whoMayPlay: { client: true, therapist: false, namedOthers: [] } }),
    });
    expect(decide('play', therapist, subject(clientOnly), soon)).toEqual({
      allow: false,
      reasons: ['The consent does not list the therapist as someone who may listen.'],
      codes: ['not-listed'],
    });
    const therapistOnly = state({
      terms: terms({ whoMayPlay: { client: false, therapist: true, namedOthers: [] } }),
    });
    expect(decide('play', client, subject(therapistOnly), soon)).toEqual({
      allow: false,
      reasons: ['The consent does not list the client as someone who may listen.'],
      codes: ['not-listed'],
    });
  });

  test('never after a revocation that destroys all recordings', () => {
    const revoked = state({
      revokedAt: at(2026, 11, 20),
      revokedBy: { role: 'client', id: 'u-alex' },
    });
    expect(decide('play', client, subject(revoked), at(2026, 11, 21))).toEqual({
      allow: false,
      reasons: ['Consent was revoked on 20 Nov 2026.'],
      codes: ['revoked'],
    });
    // A revocation is a fact: a clock that reads earlier does not undo it.
    expect(decide('play', client, subject(revoked), at(2026, 11, 19)).allow).toBe(false);
  });

  test('a future-only revocation leaves earlier recordings playable until their deadline', () => {
    const futureOnly = state({
      terms: terms({
        revocation: { destroys: 'future-only', revocableBy: { client: true, therapist: true } },
      }),
      revokedAt: at(2026, 11, 20),
      revokedBy: { role: 'therapist', id: 't-1' },
    });
    expect(decide('play', client, subject(futureOnly), at(2026, 11, 21)).allow).toBe(true);
    expect(decide('play', client, subject(futureOnly), at(2026, 12, 4)).allow).toBe(false);
    const late = recording({ recordedAt: at(2026, 11, 20, 12) });
    expect(decide('play', client, subject(futureOnly, late), at(2026, 11, 21))).toEqual({
      allow: false,
      reasons: ['This recording was made after consent was revoked on 20 Nov 2026.'],
      codes: ['made-after-revocation'],
    });
  });

  test('never at or after the retention deadline', () => {
    const deadline = at(2026, 11, 3, 10) + 30 * DAY_MS;
    expect(decide('play', client, subject(), deadline - 1).allow).toBe(true);
    expect(decide('play', client, subject(), deadline)).toEqual({
      allow: false,
      reasons: ['Kept for 30 days: this recording was due to be destroyed on 3 Dec 2026.'],
      codes: ['retention-ended'],
    });
    const destroyed = recording({ destroyedAt: deadline + HOUR_MS });
    expect(decide('play', client, subject(state(), destroyed), deadline + DAY_MS)).toEqual({
      allow: false,
      reasons: ['Kept for 30 days: this recording was destroyed on 3 Dec 2026.'],
      codes: ['retention-ended'],
    });
  });

  test('never once destroyed, even before the deadline', () => {
    const destroyed = recording({ destroyedAt: at(2026, 11, 5) });
    expect(decide('play', client, subject(state(), destroyed), soon)).toEqual({
      allow: false,
      reasons: ['This recording was destroyed on 5 Nov 2026.'],
      codes: ['destroyed'],
    });
  });

  test('after therapy ends only the client listens, inside the review window', () => {
    const ended = state({ therapyEndedAt: at(2026, 12, 1) });
    const rec = recording({ recordedAt: at(2026, 11, 25) });
    expect(decide('play', client, subject(ended, rec), at(2026, 12, 10)).allow).toBe(true);
    expect(decide('play', therapist, subject(ended, rec), at(2026, 12, 10))).toEqual({
      allow: false,
      reasons: ['Therapy ended on 1 Dec 2026. After therapy ends, only the client may listen.'],
      codes: ['therapy-ended'],
    });
    expect(decide('play', client, subject(ended, rec), at(2026, 12, 15))).toEqual({
      allow: false,
      reasons: [
        'Therapy ended on 1 Dec 2026 and the terms keep recordings 14 days for review, until 15 Dec 2026.',
      ],
      codes: ['review-window-ended'],
    });
  });

  test('never after therapy ends when the terms destroy at once', () => {
    const ended = state({
      terms: terms({ termination: { action: 'destroy-now' } }),
      therapyEndedAt: at(2026, 12, 1),
    });
    const rec = recording({ recordedAt: at(2026, 11, 25) });
    expect(decide('play', client, subject(ended, rec), at(2026, 12, 2))).toEqual({
      allow: false,
      reasons: ['Therapy ended on 1 Dec 2026 and the terms destroy recordings when therapy ends.'],
      codes: ['destroyed-at-end'],
    });
  });

  test('never while a signature is missing', () => {
    const unsigned = state({
      terms: terms({ signatures: [signature('p-alex', 'participant', 'Alex')] }),
    });
    expect(decide('play', client, subject(unsigned), soon)).toEqual({
      allow: false,
      reasons: ['Not every participant has signed yet.', 'Still to sign: Sam and the therapist.'],
      codes: ['not-signed', 'not-signed'],
    });
  });

  test('never when the recording and the consent do not match', () => {
    const mismatch = 'This recording does not match the consent on file, so it stays locked.';
    for (const rec of [
      recording({ consentId: 'consent-9' }),
      recording({ consentVersion: 2 }),
      recording({ clientId: 'client-2' }),
    ]) {
      expect(decide('play', therapist, subject(state(), rec), soon)).toEqual({
        allow: false,
        reasons: [mismatch],
        codes: ['mismatch'],
      });
    }
    const v2 = state({ terms: terms({ version: 2 }) });
    expect(decide('play', therapist, subject(v2), soon).allow).toBe(true);
  });

  test('never without consent, without a recording, or with a broken clock', () => {
    expect(decide('play', client, subject(state({ terms: null })), soon)).toEqual({
      allow: false,
      reasons: ['There is no signed consent for this client.'],
      codes: ['no-consent'],
    });
    expect(decide('play', client, subject(state(), null), soon).reasons).toEqual([
      'Choose a recording to play.',
    ]);
    expect(decide('play', client, subject(), Number.NaN).allow).toBe(false);
    const stranger = { role: 'admin', id: 'x' } as unknown as Actor;
    expect(decide('play', stranger, subject(), soon)).toEqual({
      allow: false,
      reasons: ['That role is not known, so nothing is allowed.'],
      codes: ['role-unknown'],
    });
  });
});

describe('decide: list', () => {
  test('the therapist lists any client; a client only their own; an auditor never', () => {
    expect(decide('list', therapist, subject(), soon).allow).toBe(true);
    expect(decide('list', client, subject(), soon)).toEqual({
      allow: true,
      reasons: ['A client can see their own recordings.'],
      codes: ['own-client'],
    });
    expect(decide('list', otherClient, subject(), soon)).toEqual({
      allow: false,
      reasons: ['A client can see only their own recordings.'],
      codes: ['other-client'],
    });
    expect(decide('list', auditor, subject(), soon)).toEqual({
      allow: false,
      reasons: ['An auditor can read the access log but not see recordings.'],
      codes: ['auditor'],
    });
    expect(decide('list', system, subject(), soon).allow).toBe(false);
  });
});

describe('decide: destroy', () => {
  const deadline = at(2026, 11, 3, 10) + 30 * DAY_MS;

  test('the sweeper waits for the deadline', () => {
    expect(decide('destroy', system, subject(), soon)).toEqual({
      allow: false,
      reasons: ['This recording is kept until 3 Dec 2026.'],
      codes: ['kept-until'],
    });
    expect(decide('destroy', system, subject(), deadline)).toEqual({
      allow: true,
      reasons: ['Kept for 30 days: this recording was due to be destroyed on 3 Dec 2026.'],
      codes: ['retention-ended'],
    });
  });

  test('the sweeper destroys at once after a revocation that destroys all', () => {
    const revoked = state({
      revokedAt: at(2026, 11, 20),
      revokedBy: { role: 'client', id: 'u-alex' },
    });
    expect(decide('destroy', system, subject(revoked), at(2026, 11, 20))).toEqual({
      allow: true,
      reasons: ['Consent was revoked on 20 Nov 2026.'],
      codes: ['revoked'],
    });
  });

  test('the sweeper destroys when the review window closes', () => {
    const ended = state({ therapyEndedAt: at(2026, 12, 1) });
    const rec = recording({ recordedAt: at(2026, 11, 25) });
    expect(decide('destroy', system, subject(ended, rec), at(2026, 12, 14)).allow).toBe(false);
    expect(decide('destroy', system, subject(ended, rec), at(2026, 12, 15)).reasons).toEqual([
      'Therapy ended on 1 Dec 2026 and the terms keep recordings 14 days for review, until 15 Dec 2026.',
    ]);
  });

  test('the sweeper clears what is already destroyed, and acts on nothing it cannot prove', () => {
    const destroyed = recording({ destroyedAt: at(2026, 11, 5) });
    expect(decide('destroy', system, subject(state(), destroyed), soon).allow).toBe(true);
    expect(decide('destroy', system, subject(state({ terms: null })), soon).allow).toBe(false);
    expect(
      decide('destroy', system, subject(state(), recording({ consentId: 'x' })), deadline).allow,
    ).toBe(false);
  });

  test('the therapist and the client may destroy on request', () => {
    expect(decide('destroy', therapist, subject(), soon)).toEqual({
      allow: true,
      reasons: ['The therapist may destroy a recording at any time.'],
      codes: ['therapist'],
    });
    expect(decide('destroy', client, subject(), soon)).toEqual({
      allow: true,
      reasons: ['A client may destroy their own recordings at any time.'],
      codes: ['own-client'],
    });
    expect(decide('destroy', otherClient, subject(), soon)).toEqual({
      allow: false,
      reasons: ['This recording belongs to another client.'],
      codes: ['other-client'],
    });
    expect(decide('destroy', auditor, subject(), soon).allow).toBe(false);
    expect(decide('destroy', therapist, subject(state(), null), soon).reasons).toEqual([
      'Choose a recording to destroy.',
    ]);
  });
});

describe('decide: export-log', () => {
  test('the auditor and the therapist export; the client and the system do not', () => {
    expect(decide('export-log', auditor, null, soon)).toEqual({
      allow: true,
      reasons: ['An auditor may export the access log.'],
      codes: ['auditor'],
    });
    expect(decide('export-log', therapist, null, soon).allow).toBe(true);
    expect(decide('export-log', client, null, soon)).toEqual({
      allow: false,
      reasons: ['A client cannot export the access log.'],
      codes: ['client'],
    });
    expect(decide('export-log', system, null, soon).allow).toBe(false);
  });
});
