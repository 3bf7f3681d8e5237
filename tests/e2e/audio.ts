// Loudness envelopes: of the speech file (read in Node) and of what the player outputs (tapped in
// the page), and the Pearson correlation between them, so a test can show that what is played
// back is what was said.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const WINDOW_MS = 20;

/** Mono 16-bit PCM samples of a WAV file, as -1..1. */
export function readWav(path: string): { rate: number; samples: Float32Array } {
  const file = readFileSync(path);
  let offset = 12;
  let rate = 0;
  while (offset + 8 <= file.length) {
    const id = file.toString('latin1', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    if (id === 'fmt ') rate = file.readUInt32LE(offset + 12);
    if (id === 'data') {
      const count = Math.floor(size / 2);
      const samples = new Float32Array(count);
      for (let i = 0; i < count; i += 1) samples[i] = file.readInt16LE(offset + 8 + i * 2) / 32768;
      return { rate, samples };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`${path} has no data chunk`);
}

/** RMS per window. */
export function envelope(samples: Float32Array, rate: number, windowMs = WINDOW_MS): number[] {
  const size = Math.round((rate * windowMs) / 1000);
  const out: number[] = [];
  for (let start = 0; start + size <= samples.length; start += size) {
    let sum = 0;
    for (let i = start; i < start + size; i += 1) sum += samples[i]! * samples[i]!;
    out.push(Math.sqrt(sum / size));
  }
  return out;
}

export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return 0;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i += 1) {
    sa += a[i]!;
    sb += b[i]!;
  }
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i += 1) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return va === 0 || vb === 0 ? 0 : cov / Math.sqrt(va * vb);
}

/** `loop` read from `start` windows on, wrapping around (the fake microphone loops the file). */
export function loopSlice(loop: readonly number[], start: number, length: number): number[] {
  const n = loop.length;
  return Array.from({ length }, (_, i) => loop[(((start + i) % n) + n) % n]!);
}

/** The offset into the looped input where `output` fits best, over every offset of the loop. */
export function bestLoopOffset(
  output: readonly number[],
  loop: readonly number[],
  candidates: Iterable<number> = loop.keys(),
): { offset: number; r: number } {
  let best = { offset: 0, r: -2 };
  for (const offset of candidates) {
    const r = pearson(output, loopSlice(loop, offset, output.length));
    if (r > best.r) best = { offset, r };
  }
  return best;
}

/** Offsets within ±maxLagWindows of `around`. */
export function near(around: number, maxLagWindows: number): number[] {
  return Array.from({ length: 2 * maxLagWindows + 1 }, (_, i) => around - maxLagWindows + i);
}

/**
 * Taps the player's media element: a ScriptProcessor sees every output sample, in order, and
 * keeps one RMS per 20 ms. Evaluated over CDP (so the page's CSP does not apply to it).
 */
export async function installOutputTap(page: Page): Promise<void> {
  // A string, so the test project needs no DOM types.
  await page.evaluate(`(() => {
    const media = document.querySelector('[data-testid="player-audio"]');
    if (!media) throw new Error('no player audio element');
    const context = new AudioContext();
    const source = context.createMediaElementSource(media);
    const processor = context.createScriptProcessor(1024, 1, 1);
    const size = Math.round((context.sampleRate * ${WINDOW_MS}) / 1000);
    const tap = { recording: false, envelope: [], sum: 0, count: 0 };
    processor.onaudioprocess = (event) => {
      const input = event.inputBuffer.getChannelData(0);
      event.outputBuffer.getChannelData(0).set(input);
      if (!tap.recording) return;
      for (const sample of input) {
        tap.sum += sample * sample;
        tap.count += 1;
        if (tap.count === size) {
          tap.envelope.push(Math.sqrt(tap.sum / size));
          tap.sum = 0;
          tap.count = 0;
        }
      }
    };
    source.connect(processor);
    processor.connect(context.destination);
    void context.resume();
    globalThis.__tap = tap;
  })()`);
}

/**
 * Starts keeping the envelope, and returns where the player was (ms) at that moment: the tap may
 * start later than planned on a loaded machine, so alignment is measured, never assumed.
 */
export async function startTap(page: Page): Promise<number> {
  return page.evaluate(`(() => {
    const tap = globalThis.__tap;
    tap.envelope = [];
    tap.recording = true;
    return document.querySelector('[data-testid="player-audio"]').currentTime * 1000;
  })()`) as Promise<number>;
}

export async function stopTap(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const tap = (globalThis as unknown as { __tap: { recording: boolean; envelope: number[] } })
      .__tap;
    tap.recording = false;
    return tap.envelope;
  });
}
