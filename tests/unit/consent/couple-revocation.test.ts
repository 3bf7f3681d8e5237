// A couple under terms that keep recordings after a revocation (future-only): when one of them
// revokes in their review, every session recording is destroyed at once, since each holds both
// voices; a voice note keeps its own terms. The therapist's revocation keeps what the terms keep.
import { afterEach, describe, expect, test } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import type { ClientDetail, ClientSummary } from '../../../shared/api';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import {
  call,
  refusal,
  sendSeconds,
  signedClient,
  stopCapture,
  therapistVault,
  type ConsentDraft,
} from '../helpers/practice-helpers';

const terms = {
  revocation: { destroys: 'future-only', revocableBy: { client: true, therapist: true } },
  participantRevocation: 'destroys-shared-recordings',
  recordingKinds: {
    sessions: true,
    voiceNotes: {
      whoMayPlay: { client: true, therapist: true },
      retentionDays: 14,
      termination: { action: 'destroy-now' },
      revocationDestroys: 'future-only',
    },
  },
} satisfies Partial<ConsentDraft>;

let vault: Awaited<ReturnType<typeof therapistVault>> | null = null;
afterEach(() => {
  vault?.close();
  vault = null;
});

async function recordOne(core: Core, clientId: string, kind: 'session' | 'voice-note') {
  const { recordingId } = await call(core, 'recording.start', {
    clientId,
    reconfirmedAloud: true,
    ...(kind === 'voice-note' ? { kind } : {}),
  });
  await call(core, 'capture.next', {}, 'capture');
  await call(
    core,
    'capture.started',
    { recordingId, mimeType: 'audio/webm;codecs=opus' },
    'capture',
  );
  await sendSeconds(core, recordingId, 3);
  await stopCapture(core, recordingId);
  return recordingId;
}

function states(detail: ClientDetail): Record<string, string> {
  return Object.fromEntries(detail.recordings.map((r) => [r.recordingId, r.state]));
}

describe('a couple where one participant revokes', () => {
  test('in review: every session recording is destroyed, the voice note keeps its terms', async () => {
    vault = await therapistVault('sv-couple-');
    const { core, clock } = vault;
    const client: ClientSummary = await signedClient(core, clock.now(), {
      name: 'Alex Example',
      others: ['Robin Example'],
      overrides: terms,
    });
    const session = await recordOne(core, client.clientId, 'session');
    const note = await recordOne(core, client.clientId, 'voice-note');

    await call(core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    await call(core, 'review.unlock', { pin: '482915' });
    await call(core, 'review.acknowledge');
    const library = await call(core, 'review.library');
    // What the confirm will say: this revocation destroys, though the terms say future-only.
    expect(library.revocationDestroys).toBe('all-recordings');
    const { destroyed } = await call(core, 'review.revoke');
    expect(destroyed).toBe(1);
    await call(core, 'review.end');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });

    const detail = await call(core, 'clients.detail', { clientId: client.clientId });
    expect(states(detail)).toMatchObject({ [session]: 'destroyed' });
    expect(states(detail)[note]).not.toBe('destroyed');
    expect((await refusal(core, 'playback.open', { recordingId: session })).code).toBeDefined();
    await call(core, 'playback.open', { recordingId: note });
  });

  test('by the therapist: future-only keeps the session recording until its date', async () => {
    vault = await therapistVault('sv-couple-');
    const { core, clock } = vault;
    const client = await signedClient(core, clock.now(), {
      name: 'Alex Example',
      others: ['Robin Example'],
      overrides: terms,
    });
    const session = await recordOne(core, client.clientId, 'session');
    const { destroyed } = await call(core, 'consent.revoke', {
      clientId: client.clientId,
    });
    expect(destroyed).toBe(0);
    const detail = await call(core, 'clients.detail', { clientId: client.clientId });
    expect(states(detail)[session]).not.toBe('destroyed');
  });
});
