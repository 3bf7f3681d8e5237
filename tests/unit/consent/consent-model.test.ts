// Model-based test over the real core: any sequence of sign, record, play, revoke, end therapy,
// advance the clock, sweep and change the terms never plays audio that the signed terms do not
// allow at that moment, and never keeps a recording past its deadline plus one sweep interval.
// The model's rules are written here from the consent form, independently of shared/consent.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/create-core';
import { SWEEP_INTERVAL_MS } from '../../../electron/core/retention/sweeper';
import type { ClientDetail, ClientSummary } from '../../../shared/api';
import { audioSecond, fakeClock, LIGHT_KDF, PASSPHRASE } from '../helpers/kernel-helpers';
import { call, consentDraft } from '../helpers/practice-helpers';

const DAY = 86_400_000;
const stats = { plays: 0, allowed: 0, refused: 0 };

interface Terms {
  retentionDays: number;
  therapistMayPlay: boolean;
  termination: { action: 'destroy-now' } | { action: 'keep-for-review'; days: number };
  destroysAll: boolean;
}

interface ModelRecording {
  recordingId: string;
  recordedAt: number;
  /** Audio of each second, to prove what plays is what was recorded. */
  seconds: number;
  /** Once its deadline passed, a recording is gone for good, whatever later terms say. */
  gone: boolean;
}

interface Model {
  terms: Terms | null;
  revokedAt: number | null;
  endedAt: number | null;
  recordings: ModelRecording[];
}

interface Real {
  core: Core;
  clock: ReturnType<typeof fakeClock>;
  client: ClientSummary;
  policyHash: string;
}

/** When a recording must be gone, from the consent form's own words. */
function deadline(model: Model, recording: ModelRecording): number {
  const terms = model.terms!;
  let at = recording.recordedAt + terms.retentionDays * DAY;
  if (model.endedAt !== null)
    at = Math.min(
      at,
      terms.termination.action === 'destroy-now'
        ? model.endedAt
        : model.endedAt + terms.termination.days * DAY,
    );
  if (model.revokedAt !== null && terms.destroysAll) at = Math.min(at, model.revokedAt);
  return at;
}

/** Marks what has passed its deadline: destruction is for good. */
function settle(model: Model, now: number): void {
  if (!model.terms) return;
  for (const recording of model.recordings)
    if (now >= deadline(model, recording)) recording.gone = true;
}

/** The therapist may play: listed, before the deadline, and therapy has not ended. */
function therapistMayPlay(model: Model, recording: ModelRecording, now: number): boolean {
  if (!model.terms || recording.gone) return false;
  if (!model.terms.therapistMayPlay) return false;
  if (model.endedAt !== null) return false;
  if (model.revokedAt !== null && model.terms.destroysAll) return false;
  return now < deadline(model, recording);
}

function mayRecord(model: Model): boolean {
  return model.terms !== null && model.revokedAt === null && model.endedAt === null;
}

async function recordings(real: Real): Promise<ClientDetail['recordings']> {
  return (await call(real.core, 'clients.detail', { clientId: real.client.clientId })).recordings;
}

/** After every step: nothing is kept past its deadline plus one sweep interval. */
async function checkNothingOverdue(model: Model, real: Real): Promise<void> {
  if (!model.terms) return;
  const now = real.clock.now();
  settle(model, now);
  for (const listed of await recordings(real)) {
    if (listed.state === 'destroyed') continue;
    const recording = model.recordings.find((r) => r.recordingId === listed.recordingId)!;
    expect(now, `recording kept past its deadline`).toBeLessThan(
      deadline(model, recording) + SWEEP_INTERVAL_MS,
    );
  }
}

async function ensureUnlocked(real: Real) {
  const status = await call(real.core, 'vault.status');
  if (status.state === 'locked')
    await call(real.core, 'session.unlock', { passphrase: PASSPHRASE });
}

const termsArbitrary: fc.Arbitrary<Terms> = fc.record({
  retentionDays: fc.integer({ min: 1, max: 40 }),
  therapistMayPlay: fc.boolean(),
  termination: fc.oneof(
    fc.constant({ action: 'destroy-now' as const }),
    fc.integer({ min: 1, max: 20 }).map((days) => ({ action: 'keep-for-review' as const, days })),
  ),
  destroysAll: fc.boolean(),
});

class Sign implements fc.AsyncCommand<Model, Real> {
  constructor(readonly terms: Terms) {}
  check = () => true;
  async run(model: Model, real: Real) {
    await ensureUnlocked(real);
    const draft = consentDraft(real.client, real.policyHash, real.clock.now(), {
      retentionDays: this.terms.retentionDays,
      whoMayPlay: { client: true, therapist: this.terms.therapistMayPlay, namedOthers: [] },
      termination: this.terms.termination,
      revocation: {
        destroys: this.terms.destroysAll ? 'all-recordings' : 'future-only',
        revocableBy: { client: true, therapist: true },
      },
    });
    const result = await real.core.dispatch('consent.sign', {
      clientId: real.client.clientId,
      terms: draft,
      reviewCredential: '482915',
    });
    if (model.endedAt !== null) {
      expect(result.ok).toBe(false);
      return;
    }
    expect(result.ok).toBe(true);
    settle(model, real.clock.now());
    model.terms = this.terms;
    model.revokedAt = null;
    await checkNothingOverdue(model, real);
  }
  toString = () => `sign(${JSON.stringify(this.terms)})`;
}

class Record implements fc.AsyncCommand<Model, Real> {
  constructor(readonly seconds: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    await ensureUnlocked(real);
    const started = await real.core.dispatch('recording.start', {
      clientId: real.client.clientId,
      reconfirmedAloud: true,
    });
    expect(started.ok, 'record allowed exactly when the model allows it').toBe(mayRecord(model));
    if (!started.ok) return;
    const { recordingId } = started.value as { recordingId: string };
    const recordedAt = real.clock.now();
    await call(real.core, 'capture.next', {}, 'capture');
    await call(
      real.core,
      'capture.started',
      { recordingId, mimeType: 'audio/webm;codecs=opus' },
      'capture',
    );
    for (let seq = 0; seq < this.seconds; seq += 1)
      await call(
        real.core,
        'capture.chunk',
        { recordingId, seq, durationMs: 1000, data: audioSecond(seq) },
        'capture',
      );
    const stopped = call(real.core, 'recording.stop', { recordingId });
    await call(real.core, 'capture.finished', { recordingId }, 'capture');
    await stopped;
    model.recordings.push({ recordingId, recordedAt, seconds: this.seconds, gone: false });
    await checkNothingOverdue(model, real);
  }
  toString = () => `record(${this.seconds}s)`;
}

class Play implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (model: Readonly<Model>) => model.recordings.length > 0;
  async run(model: Model, real: Real) {
    await ensureUnlocked(real);
    const recording = model.recordings[this.pick % model.recordings.length]!;
    settle(model, real.clock.now());
    stats.plays += 1;
    const opened = await real.core.dispatch('playback.open', {
      recordingId: recording.recordingId,
    });
    const allowed = therapistMayPlay(model, recording, real.clock.now());
    stats[allowed ? 'allowed' : 'refused'] += 1;
    expect(
      opened.ok,
      `play allowed exactly when the terms allow it (${opened.ok ? '' : opened.error.message})`,
    ).toBe(allowed);
    if (!opened.ok) return;
    const { playbackId } = opened.value as { playbackId: string };
    const seq = recording.seconds - 1;
    const chunk = await call(real.core, 'playback.chunk', {
      playbackId,
      seq,
    });
    expect(Buffer.from(chunk.data).equals(Buffer.from(audioSecond(seq)))).toBe(true);
    await call(real.core, 'playback.close', { playbackId, heardMs: 1000 });
  }
  toString = () => `play(#${this.pick})`;
}

class Revoke implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    await ensureUnlocked(real);
    const result = await real.core.dispatch('consent.revoke', { clientId: real.client.clientId });
    expect(result.ok).toBe(model.terms !== null && model.revokedAt === null);
    if (result.ok) {
      settle(model, real.clock.now());
      model.revokedAt = real.clock.now();
    }
    await checkNothingOverdue(model, real);
  }
  toString = () => 'revoke';
}

class EndTherapy implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    await ensureUnlocked(real);
    const result = await real.core.dispatch('consent.endTherapy', {
      clientId: real.client.clientId,
    });
    expect(result.ok).toBe(model.endedAt === null);
    if (result.ok) {
      settle(model, real.clock.now());
      model.endedAt = real.clock.now();
    }
    await checkNothingOverdue(model, real);
  }
  toString = () => 'endTherapy';
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    settle(model, real.clock.now());
    real.clock.advance(this.ms);
    real.core.tick();
    await ensureUnlocked(real);
    await checkNothingOverdue(model, real);
  }
  toString = () => `advance(${(this.ms / DAY).toFixed(2)}d)`;
}

const record = fc.integer({ min: 1, max: 3 }).map((seconds) => new Record(seconds));
const play = fc.nat().map((pick) => new Play(pick));
// Recording and playing are listed twice: they are what the property is about.
const commands = [
  termsArbitrary.map((terms) => new Sign(terms)),
  record,
  record,
  play,
  play,
  fc.constant(new Revoke()),
  fc.constant(new EndTherapy()),
  fc
    .oneof(fc.integer({ min: 1, max: 3 * 3_600_000 }), fc.integer({ min: DAY / 2, max: 25 * DAY }))
    .map((ms) => new Advance(ms)),
];

describe('consent over time (model-based, real core)', () => {
  it('never plays what the signed terms do not allow, never keeps past the deadline plus one sweep', async () => {
    await fc.assert(
      fc.asyncProperty(
        termsArbitrary,
        fc.commands(commands, { maxCommands: 30, size: 'max' }),
        async (first, cmds) => {
          const dataDir = mkdtempSync(join(tmpdir(), 'sv-model-'));
          const clock = fakeClock();
          const core = await createCore({
            dataDir,
            deviceSecret: new Uint8Array(randomBytes(32)),
            clock: clock.now,
            kdf: LIGHT_KDF,
            freeBytes: () => 1e12,
            captureHost: { open: () => undefined, close: () => undefined },
          });
          try {
            await call(core, 'vault.create', {
              practiceName: 'P',
              therapistName: 'T',
              passphrase: PASSPHRASE,
            });
            const client = await call(core, 'clients.add', {
              displayName: 'Alex',
              otherParticipants: [],
            });
            const { policyHash } = await call(core, 'policy.get');
            const model: Model = { terms: null, revokedAt: null, endedAt: null, recordings: [] };
            const real: Real = { core, clock, client, policyHash };
            // Every history starts from a signed consent; later Sign commands change the terms.
            await new Sign(first).run(model, real);
            await fc.asyncModelRun(() => ({ model, real }), cmds);
          } finally {
            core.close();
            rmSync(dataDir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 100 },
    );
    // The property must have exercised what it claims to: plays allowed and refused, destruction.
    console.log(`model-based consent: ${JSON.stringify(stats)}`);
    expect(stats.plays).toBeGreaterThan(40);
    expect(stats.allowed).toBeGreaterThan(8);
    expect(stats.refused).toBeGreaterThan(8);
  }, 240_000);
});
