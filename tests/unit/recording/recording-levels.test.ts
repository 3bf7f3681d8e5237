// The waveform's levels: sent by the capture window with each chunk, sealed with the recording key
// at finalise, returned by playback.open (silent over a removed part) and destroyed with the
// recording.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Playback } from '../../../shared/api';
import { audioSecond } from '../helpers/kernel-helpers';
import {
  call,
  refusal,
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

/** Four bins a second: loud for `loudSeconds`, then silent. */
function levelsFor(second: number, loudSeconds: number): Uint8Array {
  return new Uint8Array(4).fill(second < loudSeconds ? 200 + second : 0);
}

async function recordTenSeconds() {
  vault = await therapistVault('levels-');
  const { core, clock } = vault;
  const client = await signedClient(core, clock.now());
  const { recordingId } = await startCapture(core, client.clientId);
  for (let seq = 0; seq < 10; seq += 1)
    await call(
      core,
      'capture.chunk',
      { recordingId, seq, durationMs: 1000, data: audioSecond(seq), levels: levelsFor(seq, 6) },
      'capture',
    );
  await stopCapture(core, recordingId);
  return { core, recordingId };
}

describe('levels for the waveform', () => {
  it('are sealed at finalise and come back with playback.open, loud where it was loud', async () => {
    const { core, recordingId } = await recordTenSeconds();
    const playback = (await call(core, 'playback.open', { recordingId })) as Playback;
    expect(playback.levels?.binMs).toBe(250);
    const peaks = [...playback.levels!.peaks];
    expect(peaks).toHaveLength(40);
    expect(peaks.slice(0, 24).every((peak) => peak >= 200)).toBe(true);
    expect(peaks.slice(24).every((peak) => peak === 0)).toBe(true);

    // At rest they are sealed: the row holds neither the bytes nor their run of 200s.
    const db = new Database(join(vault!.dataDir, 'vault.sqlite'), { readonly: true });
    const row = db.prepare('SELECT sealed_levels FROM recording_levels').get() as {
      sealed_levels: Buffer;
    };
    db.close();
    expect(Buffer.from(row.sealed_levels).includes(Buffer.from([200, 200, 200, 200]))).toBe(false);
    expect(row.sealed_levels.byteLength).toBe(40 + 16);
  });

  it('are silent over a removed part, and go when the recording is destroyed', async () => {
    const { core, recordingId } = await recordTenSeconds();
    const removed = (await call(core, 'recording.removeRange', {
      recordingId,
      fromMs: 2000,
      toMs: 4000,
    })) as { fromMs: number; toMs: number };
    const playback = (await call(core, 'playback.open', { recordingId })) as Playback;
    const peaks = [...playback.levels!.peaks];
    const from = removed.fromMs / 250;
    const to = removed.toMs / 250;
    expect(peaks.slice(from, to).every((peak) => peak === 0)).toBe(true);
    expect(peaks.slice(0, from).every((peak) => peak >= 200)).toBe(true);
    await call(core, 'playback.close', { playbackId: playback.playbackId, heardMs: 0 });

    await call(core, 'recording.destroy', { recordingId });
    const db = new Database(join(vault!.dataDir, 'vault.sqlite'), { readonly: true });
    const count = db.prepare('SELECT count(*) AS n FROM recording_levels').get() as { n: number };
    db.close();
    expect(count.n).toBe(0);
  });

  it('refuses more levels with one chunk than ten seconds hold, and stores nothing of it', async () => {
    vault = await therapistVault('levels-');
    const { core, clock } = vault;
    const client = await signedClient(core, clock.now());
    const { recordingId } = await startCapture(core, client.clientId);
    const error = await refusal(
      core,
      'capture.chunk',
      { recordingId, seq: 0, durationMs: 1000, data: audioSecond(0), levels: new Uint8Array(49) },
      'capture',
    );
    expect(error.code).toBe('INVALID_REQUEST');
    const status = (await call(core, 'recording.status')) as { chunks: number };
    expect(status.chunks).toBe(0);
  });
});
