// The waveform of a recording a crash cut short: each chunk's levels are sealed into the recording
// file beside its audio frame, written and synced with it, so what survives of the audio keeps its
// waveform. Sealed at rest, cut with a torn tail, and zeroed with a removed part.
import {
  appendFileSync,
  closeSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanFrames } from '../../../electron/core/recording/audio-file';
import { PASSPHRASE, newVault, recordThroughStore } from '../helpers/kernel-helpers';

let vault: Awaited<ReturnType<typeof newVault>>;

beforeEach(async () => {
  vault = await newVault();
});
afterEach(() => vault.cleanup());

/** Four bins a second, each second's its own recognisable run. */
function binsOf(seq: number): Uint8Array {
  return new Uint8Array([101 + seq, 151 + seq, 201 + seq, 41 + seq]);
}

function record(seconds: number) {
  const { recordingId, file } = recordThroughStore(vault, seconds, binsOf);
  return { recordingId, file };
}

/** Crash, start again, unlock (which seals the interrupted recording): its levels and key. */
async function afterCrash(recordingId: string) {
  const reopened = vault.crashAndReopen();
  await reopened.unlock(PASSPHRASE);
  const { vault: opened, masterKey } = reopened.unlocked();
  const row = opened.recordings.get(recordingId);
  const clientKey = opened.clients.keyForTherapist(row.clientId, masterKey);
  const recordingKey = opened.clients.recordingKey(recordingId, clientKey);
  return { opened, row, recordingKey, levels: opened.recordings.levels(recordingId, recordingKey) };
}

const expected = (seconds: number) => [...Array(seconds).keys()].flatMap((seq) => [...binsOf(seq)]);

function scan(file: string) {
  const fd = openSync(file, 'r');
  try {
    return scanFrames(fd);
  } finally {
    closeSync(fd);
  }
}

describe('levels kept in the recording file', () => {
  it('a recording cut off by a crash keeps the levels of every second it kept, sealed', async () => {
    const { recordingId, file } = record(5);
    // Sealed at rest: no second's run of bins is in the file in the clear.
    const bytes = readFileSync(file);
    for (let seq = 0; seq < 5; seq += 1)
      expect(bytes.includes(Buffer.from(binsOf(seq)))).toBe(false);
    const { row, levels } = await afterCrash(recordingId);
    expect(row).toMatchObject({ state: 'interrupted', finalSeq: 5 });
    expect(levels?.binMs).toBe(250);
    expect([...levels!.peaks]).toEqual(expected(5));
  });

  it('a levels frame torn by the crash is cut; the seconds before keep theirs', async () => {
    const { recordingId, file } = record(4);
    const whole = scan(file);
    const lastLevels = whole.levels.at(-1)!;
    // A fifth frame and its levels frame, the last cut short by the crash.
    const fifth = readFileSync(file).subarray(whole.frames[3]!.offset, whole.end);
    const torn = Buffer.from(fifth);
    torn.writeUInt32LE(4, 4);
    torn.writeUInt32LE(0x8000_0000 + 4, lastLevels.offset - whole.frames[3]!.offset + 4);
    appendFileSync(file, torn.subarray(0, torn.length - 3));
    const { opened, row, recordingKey, levels } = await afterCrash(recordingId);
    expect(row.finalSeq).toBe(4);
    expect(opened.recordings.verify(recordingId, recordingKey)).toBe(4);
    expect([...levels!.peaks]).toEqual(expected(4));
  });

  it('a last audio frame that does not open takes its levels frame with it', async () => {
    const { recordingId, file } = record(4);
    const { frames } = scan(file);
    // The last frame's sealed bytes never reached the disk (zeros where a torn write leaves them).
    const fd = openSync(file, 'r+');
    try {
      const zeros = Buffer.alloc(100);
      writeSync(fd, zeros, 0, zeros.length, frames[3]!.offset + 60);
    } finally {
      closeSync(fd);
    }
    const { opened, row, recordingKey, levels } = await afterCrash(recordingId);
    expect(row.finalSeq).toBe(3);
    expect(opened.recordings.verify(recordingId, recordingKey)).toBe(3);
    expect([...levels!.peaks]).toEqual(expected(3));
    // The file scans to its end marker: nothing of the cut frame is left behind it.
    const after = scan(file);
    expect(after.end).toBe(statSync(file).size);
    expect(after.frames.map((f) => f.seq)).toEqual([0, 1, 2, 3]);
    expect(after.levels.map((l) => l.seq)).toEqual([0, 1, 2]);
  });

  it('a removed part zeroes its levels frames in the file as well as its audio', async () => {
    const { recordingId, file } = record(6);
    const { opened, recordingKey } = await afterCrash(recordingId);
    opened.recordings.destroyRange(recordingId, 2000, 4000);
    const fd = openSync(file, 'r');
    try {
      for (const header of scan(file).levels) {
        const sealed = Buffer.alloc(24 + header.sealedBytes);
        readSync(fd, sealed, 0, sealed.length, header.offset + 16);
        const zeroed = sealed.every((b) => b === 0);
        expect(zeroed).toBe(header.seq === 2 || header.seq === 3);
      }
    } finally {
      closeSync(fd);
    }
    // The kept copy answers silence there too (playback zeroes removed parts when it reads).
    expect(opened.recordings.levels(recordingId, recordingKey)?.peaks.length).toBe(24);
  });
});
