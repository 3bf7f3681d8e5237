// playback_heap_growth_mb: a simulated full playback of a long recording of one-second Opus
// fragments (one hour by default; SV_MEMORY_CHUNKS=10800 for the 3-hour figure) through the
// Player's MediaSource feeding, with eviction, in real Chromium. The
// playhead is stepped forward 20 s at a time (playing 3 hours in real time is not a test); each
// step the Player fetches, appends and evicts exactly as it does while playing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLOW_WAIT_MS, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import { callerFor, createVaultWithClient } from './record-helpers';

const CHUNKS = Number(process.env.SV_MEMORY_CHUNKS ?? 3600);
let host: TestHost;
const work = mkdtempSync(join(tmpdir(), 'session-vault-memory-'));

/** Top-level MP4 boxes of a fragmented file: ftyp+moov (init) and moof+mdat pairs. */
function fragments(file: Buffer): { init: Buffer; fragments: Buffer[] } {
  const boxes: Buffer[] = [];
  for (let offset = 0; offset < file.length;) {
    const size = file.readUInt32BE(offset);
    boxes.push(file.subarray(offset, offset + size));
    offset += size;
  }
  const firstMoof = boxes.findIndex((b) => b.toString('latin1', 4, 8) === 'moof');
  const init = Buffer.concat(boxes.slice(0, firstMoof));
  const out: Buffer[] = [];
  for (let i = firstMoof; i + 1 < boxes.length; i += 2)
    out.push(Buffer.concat([boxes[i]!, boxes[i + 1]!]));
  return { init, fragments: out };
}

/** A copy of `fragment` that says it is fragment `index`, starting at `index` seconds. */
function retime(fragment: Buffer, index: number): Uint8Array {
  const copy = Buffer.from(fragment);
  const mfhd = copy.indexOf('mfhd', 0, 'latin1');
  copy.writeUInt32BE(index + 1, mfhd + 8);
  const tfdt = copy.indexOf('tfdt', 0, 'latin1');
  if (copy[tfdt + 4] === 1) copy.writeBigUInt64BE(BigInt(index * 48_000), tfdt + 8);
  else copy.writeUInt32BE(index * 48_000, tfdt + 8);
  return new Uint8Array(copy);
}

describe('player memory over a 3-hour recording', () => {
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(async () => {
    await host?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps the heap and the buffer flat from start to end', { timeout: 600_000 }, async () => {
    const source = join(work, 'one-second.mp4');
    execFileSync('ffmpeg', [
      ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi'],
      ...['-i', 'sine=frequency=220:duration=1:sample_rate=48000', '-ac', '1'],
      ...['-c:a', 'libopus', '-b:a', '32k', '-f', 'mp4'],
      ...['-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-frag_duration', '1000000'],
      source,
    ]);
    const { init, fragments: parts } = fragments(readFileSync(source));
    const call = callerFor(host.core.dispatch);
    const { clientId } = await createVaultWithClient(call, host.clock.now());
    const { recordingId } = (await call('recording.start', {
      clientId,
      reconfirmedAloud: true,
    })) as {
      recordingId: string;
    };
    // The capture page opened by start is closed: this recording is fed by the test instead.
    await host.closeCapturePages();
    const capture = (channel: string, request: object) =>
      host.core.dispatch(channel, request, 'capture');
    await capture('capture.started', { recordingId, mimeType: 'audio/mp4;codecs=opus' });
    await capture('capture.chunk', {
      recordingId,
      seq: 0,
      durationMs: 0,
      data: new Uint8Array(init),
    });
    for (let seq = 1; seq <= CHUNKS; seq += 1)
      await capture('capture.chunk', {
        recordingId,
        seq,
        durationMs: 1000,
        data: retime(parts[0]!, seq - 1),
      });
    const stopping = call('recording.stop', { recordingId });
    await capture('capture.finished', { recordingId });
    await stopping;

    const page = host.page;
    await page.reload();
    await visible(page.getByRole('button', { name: 'Clients', exact: true }), SLOW_WAIT_MS);
    await page
      .getByRole('button', { name: /Alex Example/ })
      .first()
      .click();
    await page.getByRole('button', { name: /^Play/ }).first().click();
    await visible(page.getByRole('heading', { name: 'Listen to a session' }), SLOW_WAIT_MS);
    await until(
      'the player to attach',
      async () =>
        (await page.evaluate(
          `document.querySelector('[data-testid="player-audio"]').buffered.length > 0`,
        )) as boolean,
      SLOW_WAIT_MS,
    );
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (
        ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 1024 / 1024
      );
    };
    const started = Date.now();
    const sample = async () => {
      const before = await heap();
      const result = (await page.evaluate(`(async () => {
        const media = document.querySelector('[data-testid="player-audio"]');
        const total = ${CHUNKS};
        let maxBuffered = 0;
        const held = () => { let s = 0; for (let i = 0; i < media.buffered.length; i += 1) s += media.buffered.end(i) - media.buffered.start(i); return s; };
        for (let t = 0; t < total - 5; t += 20) {
          media.currentTime = t;
          // Each step waits for the feeding itself (a loaded machine decrypts and appends
          // slower); the figures below say whether it kept up and stayed flat.
          const deadline = performance.now() + ${SLOW_WAIT_MS};
          while (performance.now() < deadline) {
            const b = media.buffered;
            if (b.length && b.end(b.length - 1) >= Math.min(total - 1, t + 15)) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          maxBuffered = Math.max(maxBuffered, held());
        }
        return { maxBuffered, end: media.buffered.length ? media.buffered.end(media.buffered.length - 1) : 0 };
      })()`)) as { maxBuffered: number; end: number };
      const after = await heap();
      return { before, after, ...result };
    };
    const result = await sample();
    console.log(
      `playback_heap_growth_mb = ${(result.after - result.before).toFixed(2)} MB over ${CHUNKS} chunks ` +
        `(heap ${result.before.toFixed(1)} -> ${result.after.toFixed(1)} MB; at most ${result.maxBuffered.toFixed(0)} s held in the SourceBuffer; ` +
        `reached ${result.end.toFixed(0)} s; ${((Date.now() - started) / 1000).toFixed(0)} s wall)`,
    );
    expect(result.end).toBeGreaterThan(CHUNKS - 30);
    expect(result.maxBuffered).toBeLessThan(60);
    expect(result.after - result.before).toBeLessThan(10);
  });
});
