// `write_amplification` (issue 16): bytes this process sends to the disk for one recorded hour
// through `capture.chunk` on a new vault (stop, finalise and the final checkpoint at close
// included), divided by the audio's bytes. The baseline is the same hour kept in SQLite, as every
// recording was before migration 0070 (64 KiB pages, one FULL-synced commit per second).
// `/proc/self/io` cannot see the file system's own journal; docs/scale-study.md measured that too.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createCore } from '../../electron/core/create-core';
import { call, consentDraft } from '../unit/helpers/practice-helpers';
import { LIGHT_KDF, PASSPHRASE } from './fixture';
import { type BenchGroup, type Figure, log, now, percentile, round, tempFolder } from './harness';

const CHUNK_BYTES = 4000;

function writeBytes(): number {
  const line = readFileSync('/proc/self/io', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('write_bytes:'));
  if (!line) throw new Error('/proc/self/io has no write_bytes');
  return Number(line.split(':')[1]);
}

async function recordAnHour(
  storage: 'file' | 'sqlite',
  seconds: number,
): Promise<{ ratio: number; written: number; audio: number; appendP99: number }> {
  const folder = tempFolder(`wamp-${storage}`);
  let clockMs = Date.UTC(2026, 10, 26, 9, 0, 0);
  const clock = () => clockMs;
  const core = await createCore({
    dataDir: folder.path,
    deviceSecret: new Uint8Array(randomBytes(32)),
    clock,
    kdf: LIGHT_KDF,
    freeBytes: () => 1e12,
    captureHost: { open: () => undefined, close: () => undefined },
    newRecordingStorage: storage,
  });
  let closed = false;
  try {
    await call(core, 'vault.create', {
      practiceName: 'Riverside Counselling',
      therapistName: 'Dr. Jane Example',
      passphrase: PASSPHRASE,
    });
    const { policyHash } = await call(core, 'policy.get');
    const client = await call(core, 'clients.add', {
      displayName: 'Client 01',
      otherParticipants: [],
    });
    await call(core, 'consent.sign', {
      clientId: client.clientId,
      terms: consentDraft(client, policyHash, clockMs, { retentionDays: 365 }),
      reviewCredential: '482915',
    });
    // Sealed audio is incompressible: random bytes stand for it.
    const payloads = Array.from({ length: 64 }, () => new Uint8Array(randomBytes(CHUNK_BYTES)));
    const before = writeBytes();
    const { recordingId } = await call(core, 'recording.start', {
      clientId: client.clientId,
      reconfirmedAloud: true,
    });
    await call(core, 'capture.next', {}, 'capture');
    await call(
      core,
      'capture.started',
      { recordingId, mimeType: 'audio/webm;codecs=opus' },
      'capture',
    );
    const appendMs: number[] = [];
    for (let seq = 0; seq < seconds; seq += 1) {
      clockMs += 1000;
      const start = now();
      await call(
        core,
        'capture.chunk',
        { recordingId, seq, durationMs: 1000, data: payloads[seq % payloads.length]! },
        'capture',
      );
      appendMs.push(now() - start);
    }
    const stopping = call(core, 'recording.stop', { recordingId });
    await call(core, 'capture.finished', { recordingId }, 'capture');
    await stopping;
    core.close();
    closed = true;
    const written = writeBytes() - before;
    const audio = seconds * CHUNK_BYTES;
    return { ratio: written / audio, written, audio, appendP99: percentile(appendMs, 99) };
  } finally {
    if (!closed) core.close();
    folder.cleanup();
  }
}

export const writeAmplificationGroup: BenchGroup = {
  name: 'write amplification of a recorded hour',
  ids: ['write_amplification'],
  async run(options) {
    const seconds = options.quick ? 300 : 3600;
    const runs: Record<'file' | 'sqlite', Awaited<ReturnType<typeof recordAnHour>>> = {
      sqlite: await recordAnHour('sqlite', seconds),
      file: await recordAnHour('file', seconds),
    };
    for (const [storage, run] of Object.entries(runs))
      log(
        `  ${storage}: ${(run.written / 1e6).toFixed(1)} MB written for ${(run.audio / 1e6).toFixed(1)} MB of audio ` +
          `(${run.ratio.toFixed(2)}×); capture.chunk p99 ${run.appendP99.toFixed(1)} ms`,
      );
    const figures: Figure[] = [
      {
        id: 'write_amplification',
        value: round(runs.file.ratio),
        unit: '×',
        baseline: round(runs.sqlite.ratio),
        note: `${seconds} s through capture.chunk; baseline: the same in SQLite (before 0070); bound ≤ 3`,
      },
    ];
    return figures;
  },
};
