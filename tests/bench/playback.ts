// The recording and playback paths as the renderer uses them, through the real core's dispatch:
// ingest speed of capture.chunk, stop-to-listed latency with a capture window that answers at
// once, and the time main takes to hand the player its first chunk after a seek in a 3-hour
// recording (playback.open + playback.chunk at a random place: what a seek costs).
import { randomBytes } from 'node:crypto';
import { createCore, type Core } from '../../electron/core/create-core';
import type { Channel, Reply } from '../../shared/api';
import type { CallArgs } from '../unit/helpers/practice-helpers';
import { LIGHT_KDF, PASSPHRASE } from './fixture';
import {
  type BenchGroup,
  type Figure,
  log,
  median,
  now,
  percentile,
  prng,
  round,
  tempFolder,
} from './harness';

/** 32 kb/s Opus: about 4000 bytes a second. */
const CHUNK_BYTES = 4000;

async function call<C extends Channel>(
  core: Core,
  channel: C,
  ...[request, caller]: CallArgs<C>
): Promise<Reply<C>> {
  const result = await core.dispatch(channel, request ?? {}, caller);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as Reply<C>;
}

interface Setup {
  core: Core;
  clientId: string;
  cleanup(): void;
}

async function setup(): Promise<Setup> {
  const folder = tempFolder('playback');
  const core = await createCore({
    dataDir: folder.path,
    deviceSecret: new Uint8Array(randomBytes(32)),
    kdf: LIGHT_KDF,
    roomAudioProcessing: false,
    freeBytes: () => 10 * 1024 ** 3,
    captureHost: { open: () => undefined, close: () => undefined },
  });
  await call(core, 'vault.create', {
    practiceName: 'Bench',
    therapistName: 'Dr. Bench',
    passphrase: PASSPHRASE,
  });
  const client = await call(core, 'clients.add', {
    displayName: 'Bench Client',
    otherParticipants: [],
  });
  const { policyHash } = await call(core, 'policy.get');
  const { consentDraft } = await import('../unit/helpers/practice-helpers');
  await call(core, 'consent.sign', {
    clientId: client.clientId,
    terms: consentDraft(client as never, policyHash, Date.now()),
    reviewCredential: '482915',
  });
  return {
    core,
    clientId: client.clientId,
    cleanup: () => {
      core.close();
      folder.cleanup();
    },
  };
}

/** Starts a recording and plays the capture window: takes 'record', says started. */
async function begin(core: Core, clientId: string): Promise<string> {
  const { recordingId } = await call(core, 'recording.start', {
    clientId,
    reconfirmedAloud: true,
  });
  await call(core, 'capture.next', {}, 'capture');
  await call(
    core,
    'capture.started',
    { recordingId, mimeType: 'audio/mp4;codecs=opus' },
    'capture',
  );
  return recordingId;
}

/** recording.stop, with a capture window that answers the stop command at once. */
async function stopNow(core: Core, recordingId: string): Promise<void> {
  const stopping = call(core, 'recording.stop', { recordingId });
  const command = await call(core, 'capture.next', {}, 'capture');
  if (command.command !== 'stop') throw new Error(`expected stop, got ${command.command}`);
  await call(core, 'capture.finished', { recordingId }, 'capture');
  await stopping;
}

export const playbackGroup: BenchGroup = {
  name: 'recording and playback through dispatch',
  ids: ['realtime_factor_ingest', 'seek_first_chunk_p99_ms', 'stop_to_final_ms'],
  async run(options) {
    const chunks = options.quick ? 1800 : 10_800;
    const { core, clientId, cleanup } = await setup();
    const figures: Figure[] = [];
    try {
      const random = prng(7);
      const payloads = Array.from({ length: 64 }, () => new Uint8Array(randomBytes(CHUNK_BYTES)));
      const recordingId = await begin(core, clientId);
      const started = now();
      for (let seq = 0; seq < chunks; seq += 1) {
        await call(
          core,
          'capture.chunk',
          { recordingId, seq, durationMs: 1000, data: payloads[seq % 64]! },
          'capture',
        );
      }
      const ingestSeconds = (now() - started) / 1000;
      figures.push({
        id: 'realtime_factor_ingest',
        value: round(chunks / ingestSeconds),
        unit: 'x realtime',
        baseline: null,
        note: `${chunks} one-second chunks in ${ingestSeconds.toFixed(1)} s, each sealed and committed`,
      });
      await stopNow(core, recordingId);
      log(`  ingested ${chunks} chunks in ${ingestSeconds.toFixed(1)} s`);

      const seeks = options.quick ? 100 : 400;
      const times: number[] = [];
      for (let i = 0; i < seeks; i += 1) {
        const target = Math.floor(random() * chunks * 1000);
        const start = now();
        const playback = await call(core, 'playback.open', { recordingId });
        // The player's lookup: the last chunk that starts at or before the target.
        let low = 0;
        let high = playback.chunks.length - 1;
        while (low < high) {
          const mid = (low + high + 1) >> 1;
          if (playback.chunks[mid]!.startMs <= target) low = mid;
          else high = mid - 1;
        }
        await call(core, 'playback.chunk', {
          playbackId: playback.playbackId,
          seq: playback.chunks[low]!.seq,
        });
        times.push(now() - start);
        await call(core, 'playback.close', { playbackId: playback.playbackId, heardMs: 0 });
      }
      figures.push({
        id: 'seek_first_chunk_p99_ms',
        value: round(percentile(times, 99)),
        unit: 'ms',
        baseline: round(median(times)),
        note: `${seeks} seeks into ${chunks} chunks: playback.open + playback.chunk; baseline = median`,
      });

      const stops: number[] = [];
      for (let i = 0; i < 15; i += 1) {
        const id = await begin(core, clientId);
        for (let seq = 0; seq < 5; seq += 1)
          await call(
            core,
            'capture.chunk',
            { recordingId: id, seq, durationMs: 1000, data: payloads[seq]! },
            'capture',
          );
        const start = now();
        await stopNow(core, id);
        const detail = await call(core, 'clients.detail', { clientId });
        if (detail.recordings.find((r) => r.recordingId === id)?.state !== 'finalised')
          throw new Error('not finalised');
        stops.push(now() - start);
      }
      figures.push({
        id: 'stop_to_final_ms',
        value: round(median(stops)),
        unit: 'ms',
        baseline: round(Math.max(...stops)),
        note: 'recording.stop to finalised and listed (clients.detail), capture answering at once; baseline = worst of 15',
      });
    } finally {
      cleanup();
    }
    return figures;
  },
};
