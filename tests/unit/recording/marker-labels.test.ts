// A moment marked with one key while recording, labelled later: during the recording with its
// key, after it with the key unwrapped from the client's; the label stays sealed and is logged.
import { afterEach, describe, expect, it } from 'vitest';
import type { Playback } from '../../../shared/api';
import {
  call,
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

describe('labelling a marked moment later', () => {
  it('labels a moment while recording and again after it, and refuses a marker that is not there', async () => {
    vault = await therapistVault('labels-');
    const { core, clock } = vault;
    const client = await signedClient(core, clock.now());
    const { recordingId } = await startCapture(core, client.clientId);
    await sendSeconds(core, recordingId, 3);
    const first = (await call(core, 'recording.mark', { recordingId, label: '' })) as {
      markerId: string;
    };
    await call(core, 'recording.labelMarker', {
      recordingId,
      markerId: first.markerId,
      label: 'The walks',
    });
    await sendSeconds(core, recordingId, 2, { from: 3 });
    await stopCapture(core, recordingId);
    await call(core, 'recording.labelMarker', {
      recordingId,
      markerId: first.markerId,
      label: 'The morning walks',
    });

    const playback = (await call(core, 'playback.open', { recordingId })) as Playback;
    expect(playback.markers.map((m) => m.label)).toEqual(['The morning walks']);
    const missing = await refusal(core, 'recording.labelMarker', {
      recordingId,
      markerId: 'f'.repeat(32),
      label: 'Nowhere',
    });
    expect(missing.code).toBe('NOT_FOUND');
    const log = (await call(core, 'audit.recent', { limit: 50 })) as {
      entries: { action: string; reason: string | null }[];
    };
    expect(
      log.entries.filter((e) => e.action === 'recording.mark' && e.reason === 'label changed'),
    ).toHaveLength(2);
  });
});
