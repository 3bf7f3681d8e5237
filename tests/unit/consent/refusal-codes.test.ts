// A refused playback carries consent's codes to the page, which words what would allow it from the
// codes alone (issue 10, item 3; renderer/features/player/refusal-words.ts, seen in the e2e tests):
// the sentences stay what people read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import {
  call,
  refusal,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  therapistVault,
} from '../helpers/practice-helpers';

let vault: Awaited<ReturnType<typeof therapistVault>>;
let clock: typeof vault.clock;
let core: Core;

beforeEach(async () => {
  vault = await therapistVault('sv-codes-');
  ({ clock, core } = vault);
});
afterEach(() => vault.close());

async function recordingFor(overrides: Record<string, unknown>) {
  const client = await signedClient(core, clock.now(), { overrides });
  const { recordingId } = await startCapture(core, client.clientId);
  await sendSeconds(core, recordingId, 2, { beforeEach: () => clock.advance(1000) });
  await stopCapture(core, recordingId);
  return { clientId: client.clientId, recordingId };
}

describe('a refused playback names its reasons by code', () => {
  it('the therapist the consent does not list', async () => {
    const { recordingId } = await recordingFor({
      whoMayPlay: { client: true, therapist: false, namedOthers: [] },
    });
    const error = await refusal(core, 'playback.open', { recordingId });
    expect(error).toEqual({
      code: 'NOT_ALLOWED',
      message: 'The consent does not list the therapist as someone who may listen.',
      decisionCodes: ['not-listed'],
    });
  });

  it('a recording the therapist destroyed', async () => {
    const { recordingId } = await recordingFor({});
    await call(core, 'recording.destroy', { recordingId });
    const error = await refusal(core, 'playback.open', { recordingId });
    expect(error.code).toBe('NOT_ALLOWED');
    expect(error.decisionCodes).toContain('destroyed');
  });
});
