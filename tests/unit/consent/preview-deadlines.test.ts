// Before new terms are signed, main says which recordings they would give another destruction
// date, computed as signing would; it changes nothing.
import { afterEach, expect, test } from 'vitest';
import { addDays } from '../../../shared/format';
import {
  call,
  consentDraft,
  refusal,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  therapistVault,
} from '../helpers/practice-helpers';

let vault: Awaited<ReturnType<typeof therapistVault>> | null = null;
afterEach(() => {
  vault?.close();
  vault = null;
});

test('a longer retention moves each recording’s date; the same terms move none', async () => {
  vault = await therapistVault('sv-preview-');
  const { core, clock } = vault;
  const client = await signedClient(core, clock.now());
  const recordedAt = clock.now();
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, 2);
  await stopCapture(core, recordingId);
  const { policyHash } = await call(core, 'policy.get');
  const draft = (overrides: Record<string, unknown> = {}) =>
    consentDraft(client, policyHash, clock.now(), overrides);

  const longer = await call(core, 'consent.previewDeadlines', {
    clientId: client.clientId,
    terms: draft({ retentionDays: 60 }),
  });
  expect(longer.moved).toEqual([
    {
      recordingId,
      kind: 'session',
      recordedAt,
      before: addDays(recordedAt, 30),
      after: addDays(recordedAt, 60),
    },
  ]);
  const same = await call(core, 'consent.previewDeadlines', {
    clientId: client.clientId,
    terms: draft(),
  });
  expect(same.moved).toEqual([]);

  // Asking changed nothing: the date on file is still the signed one.
  const detail = await call(core, 'clients.detail', { clientId: client.clientId });
  expect(detail.recordings[0]?.destroyAfter).toBe(addDays(recordedAt, 30));
  expect(detail.versions).toHaveLength(1);

  const wrong = await refusal(core, 'consent.previewDeadlines', {
    clientId: client.clientId,
    terms: draft({ retentionDays: 0 }),
  });
  expect(wrong.code).toBe('INVALID_REQUEST');
});
