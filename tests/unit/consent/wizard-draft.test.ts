// The consent wizard's unsigned draft survives an idle lock: main keeps it in memory, sealed with
// the master key, for the therapist only, never on disk; signing forgets it. And vault.status
// says how long until the idle lock, so the page can warn a minute ahead.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { Request } from '../../../shared/api';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import {
  call,
  consentDraft,
  refusal,
  signedClient,
  therapistVault,
} from '../helpers/practice-helpers';

let vault: Awaited<ReturnType<typeof therapistVault>> | null = null;
afterEach(() => {
  vault?.close();
  vault = null;
});

type KeptDraft = NonNullable<Request<'consent.keepDraft'>['draft']>;

const marker = 'Only for Alex and me, heard on this laptop, zebra-quartz-1729.';

function draftFor(clientId: string, step = 2): KeptDraft {
  return {
    clientId,
    basedOnVersion: null,
    step,
    fields: {
      reasons: { chosen: ['review'], otherText: '' },
      limitsText: marker,
      whoMayPlay: {
        client: true,
        therapist: true,
        namedOthers: [{ name: 'Pat Example', relation: 'grand' }],
      },
      onThisDeviceOnly: false,
      noSharing: false,
      retentionDays: '45',
      termination: 'destroy-now',
      keepDays: '30',
      revocationDestroys: 'all-recordings',
      risksUnderstood: false,
      careNotConditional: false,
      writtenTakeaways: false,
      closingVoiceNote: false,
      recordSessions: true,
      recordVoiceNotes: false,
      voiceNote: {
        client: true,
        therapist: false,
        retentionDays: '30',
        termination: 'destroy-now',
        keepDays: '30',
        revocationDestroys: 'all-recordings',
      },
      partOfClinicalRecord: false,
      representative: { signsFor: 'self', name: '', relation: '' },
    },
  };
}

/** Every byte under the vault folder, to look for what must never be written. */
function allBytes(dir: string): Buffer {
  return Buffer.concat(
    readdirSync(dir).map((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? allBytes(path) : readFileSync(path);
    }),
  );
}

test('a draft kept before an idle lock comes back after the unlock, and never reaches the disk', async () => {
  vault = await therapistVault('sv-wizard-draft-');
  const { core, clock, dataDir } = vault;
  const client = await call(core, 'clients.add', { displayName: 'Alex', otherParticipants: [] });
  expect(await call(core, 'consent.keptDraft')).toBeNull();

  const draft = draftFor(client.clientId, 3);
  await call(core, 'consent.keepDraft', { draft });
  clock.advance(11 * 60_000);
  expect((await call(core, 'vault.status')).state).toBe('locked');
  // Locked: nobody may read it, and the master key that opens it is gone from memory.
  expect((await refusal(core, 'consent.keptDraft')).code).toBe('VAULT_LOCKED');
  expect(allBytes(dataDir).includes(Buffer.from('zebra-quartz-1729'))).toBe(false);

  await call(core, 'session.unlock', { passphrase: PASSPHRASE });
  expect(await call(core, 'consent.keptDraft')).toEqual(draft);
  expect(allBytes(dataDir).includes(Buffer.from('zebra-quartz-1729'))).toBe(false);

  // Leaving the wizard forgets it.
  await call(core, 'consent.keepDraft', { draft: null });
  expect(await call(core, 'consent.keptDraft')).toBeNull();
});

test('signing the consent forgets its draft; another client’s draft is kept', async () => {
  vault = await therapistVault('sv-wizard-draft-');
  const { core, clock } = vault;
  const client = await call(core, 'clients.add', { displayName: 'Alex', otherParticipants: [] });
  await call(core, 'consent.keepDraft', { draft: draftFor(client.clientId, 8) });
  const other = await signedClient(core, clock.now(), { name: 'Blair' });
  expect((await call(core, 'consent.keptDraft'))?.clientId).toBe(client.clientId);

  const { policyHash } = await call(core, 'policy.get');
  await call(core, 'consent.sign', {
    clientId: client.clientId,
    terms: consentDraft(client, policyHash, clock.now()),
    reviewCredential: '482915',
  });
  expect(await call(core, 'consent.keptDraft')).toBeNull();
  expect(other.clientId).not.toBe(client.clientId);
});

test('only the therapist keeps or reads a draft; the PIN and oversized text are refused', async () => {
  vault = await therapistVault('sv-wizard-draft-');
  const { core, clock } = vault;
  const client = await signedClient(core, clock.now());
  const draft = draftFor(client.clientId);
  await call(core, 'consent.keepDraft', { draft });

  const withPin = { draft: { ...draft, fields: { ...draft.fields, pin: { pin: '482915' } } } };
  expect((await refusal(core, 'consent.keepDraft', withPin)).code).toBe('INVALID_REQUEST');
  const tooLong = {
    draft: { ...draft, fields: { ...draft.fields, limitsText: 'x'.repeat(20_000) } },
  };
  expect((await refusal(core, 'consent.keepDraft', tooLong)).code).toBe('INVALID_REQUEST');
  expect((await refusal(core, 'consent.keepDraft', { draft: { ...draft, step: 9 } })).code).toBe(
    'INVALID_REQUEST',
  );
  // A refused request changed nothing.
  expect(await call(core, 'consent.keptDraft')).toEqual(draft);

  await call(core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
  await call(core, 'review.unlock', { pin: '482915' });
  expect((await refusal(core, 'consent.keptDraft')).code).toBe('NOT_ALLOWED');
  expect((await refusal(core, 'consent.keepDraft', { draft: null })).code).toBe('NOT_ALLOWED');
});

test('vault.status says how long until the idle lock; a kept draft or a status poll does not push it back', async () => {
  vault = await therapistVault('sv-wizard-draft-');
  const { core, clock } = vault;
  const client = await signedClient(core, clock.now());
  expect((await call(core, 'vault.status')).idleMsLeft).toBe(10 * 60_000);

  clock.advance(9 * 60_000);
  await call(core, 'consent.keepDraft', { draft: draftFor(client.clientId) });
  // The header's recording indicator polls this on every screen: it is not the person.
  await call(core, 'recording.status');
  expect((await call(core, 'vault.status')).idleMsLeft).toBe(60_000);
  // "Keep going" is the person pressing a key: that pushes the lock back.
  await call(core, 'session.touch');
  expect((await call(core, 'vault.status')).idleMsLeft).toBe(10 * 60_000);

  // In review the idle end is 5 minutes; the time limit is reported beside it.
  await call(core, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
  await call(core, 'review.unlock', { pin: '482915' });
  clock.advance(4 * 60_000);
  const review = await call(core, 'vault.status');
  expect(review.idleMsLeft).toBe(60_000);
  expect(review.reviewMsLeft).toBe(26 * 60_000);
  clock.advance(60_000);
  const locked = await call(core, 'vault.status');
  expect(locked.state).toBe('locked');
  expect(locked.idleMsLeft).toBeNull();
});
