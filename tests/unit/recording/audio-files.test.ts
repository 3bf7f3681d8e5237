// Audio in one sealed append-only file per recording (issue 16): each frame is durable before it
// is acknowledged, a crash keeps every whole frame and cuts a torn one, and a frame altered,
// moved or copied in the file does not open, exactly as a chunk tampered with in SQLite.
import {
  appendFileSync,
  closeSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FRAME_SEALED_AT } from '../../../electron/core/recording/audio-file';
import { ChunkIntegrityError } from '../../../electron/core/recording/chunk-integrity-error';
import { PASSPHRASE, audioSecond, newVault, recordThroughStore } from '../helpers/kernel-helpers';

let vault: Awaited<ReturnType<typeof newVault>>;

beforeEach(async () => {
  vault = await newVault();
});
afterEach(() => vault.cleanup());

/** Every frame here holds 4,000 bytes of audio: 40 bytes of header and nonce, 4,016 sealed. */
const FRAME_BYTES = FRAME_SEALED_AT + 4000 + 16;

function record(seconds: number) {
  return recordThroughStore(vault, seconds);
}

function expectIntegrity(fn: () => unknown, code: string, seq: number) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ChunkIntegrityError);
    expect((error as ChunkIntegrityError).code).toBe(code);
    expect((error as ChunkIntegrityError).seq).toBe(seq);
    return;
  }
  throw new Error(`expected ${code}`);
}

function rowsIn(table: string): number {
  const db = new Database(join(vault.dataDir, 'vault.sqlite'), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('recording files', () => {
  it('each acknowledged frame is in the file at once, owner-only; SQLite gets the index at finalise', () => {
    const { opened, recordingId, recordingKey, file } = record(3);
    expect(statSync(file).size).toBe(3 * FRAME_BYTES);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(vault.dataDir, 'recordings')).mode & 0o777).toBe(0o700);
    expect(rowsIn('chunks')).toBe(0);
    expect(rowsIn('audio_frames')).toBe(0);
    const bytes = readFileSync(file);
    for (let seq = 0; seq < 3; seq += 1)
      expect(bytes.includes(Buffer.from(audioSecond(seq)).subarray(0, 64))).toBe(false);

    opened.recordings.finalise(recordingId, recordingKey);
    expect(rowsIn('audio_frames')).toBe(4);
    expect(opened.recordings.get(recordingId)).toMatchObject({ storage: 'file', finalSeq: 3 });
    expect(opened.recordings.index(recordingId).map((c) => c.seq)).toEqual([0, 1, 2]);
    expect(opened.recordings.openChunk(recordingId, recordingKey, 1)).toEqual(audioSecond(1));
    expect(opened.recordings.seqAt(recordingId, 2500)).toBe(2);
    expect(opened.recordings.verify(recordingId, recordingKey)).toBe(3);
  });

  it('after a crash keeps every whole frame, cuts a torn one, and seals the end at unlock', async () => {
    const { recordingId, file } = record(5);
    // A sixth frame whose write was cut off: its header says more bytes than reached the disk.
    appendFileSync(file, readFileSync(file).subarray(0, 1000));
    const reopened = vault.crashAndReopen();
    expect(reopened.opened().recordings.get(recordingId).state).toBe('interrupted');
    expect(statSync(file).size).toBe(5 * FRAME_BYTES);
    await reopened.unlock(PASSPHRASE);
    const { vault: opened, masterKey } = reopened.unlocked();
    const after = opened.recordings.get(recordingId);
    expect(after).toMatchObject({ state: 'interrupted', finalSeq: 5 });
    const clientKey = opened.clients.keyForTherapist(after.clientId, masterKey);
    const recordingKey = opened.clients.recordingKey(recordingId, clientKey);
    expect(opened.recordings.verify(recordingId, recordingKey)).toBe(5);
    expect(opened.recordings.openChunk(recordingId, recordingKey, 4)).toEqual(audioSecond(4));
  });

  it('cuts a last frame that scans whole but does not open (a write torn inside the frame)', async () => {
    const { recordingId, file } = record(4);
    // Its length and header reached the disk; its bytes did not (zeros, as a torn write leaves).
    const whole = readFileSync(file).subarray(3 * FRAME_BYTES);
    const torn = Buffer.from(whole);
    torn.writeUInt32LE(4, 4);
    torn.writeUInt32LE(4000, 8);
    torn.fill(0, FRAME_SEALED_AT);
    appendFileSync(file, torn);
    const reopened = vault.crashAndReopen();
    await reopened.unlock(PASSPHRASE);
    const { vault: opened, masterKey } = reopened.unlocked();
    const after = opened.recordings.get(recordingId);
    expect(after).toMatchObject({ state: 'interrupted', finalSeq: 4 });
    const clientKey = opened.clients.keyForTherapist(after.clientId, masterKey);
    const recordingKey = opened.clients.recordingKey(recordingId, clientKey);
    expect(opened.recordings.verify(recordingId, recordingKey)).toBe(4);
  });

  it('a finalise whose commit failed leaves no stale end marker: the next seal reads the file', () => {
    const { opened, recordingId, recordingKey, file } = record(3);
    opened.recordings.finalise(recordingId, recordingKey);
    // As if the transaction after the end marker's write had rolled back: no index, no final seq.
    opened.db
      .prepare(
        "UPDATE recordings SET state = 'interrupted', final_seq = NULL WHERE recording_id = ?",
      )
      .run(recordingId);
    opened.db.prepare('DELETE FROM audio_frames').run();
    opened.recordings.finalise(recordingId, recordingKey, 'interrupted');
    expect(statSync(file).size).toBe(3 * FRAME_BYTES + FRAME_SEALED_AT + 16);
    expect(opened.recordings.get(recordingId)).toMatchObject({ finalSeq: 3 });
    expect(opened.recordings.verify(recordingId, recordingKey)).toBe(3);
  });

  describe('refuses a file tampered with', () => {
    function finalised(seconds: number) {
      const recorded = record(seconds);
      recorded.opened.recordings.finalise(recorded.recordingId, recorded.recordingKey);
      return recorded;
    }

    function overwrite(file: string, at: number, bytes: Buffer) {
      const fd = openSync(file, 'r+');
      try {
        writeSync(fd, bytes, 0, bytes.length, at);
      } finally {
        closeSync(fd);
      }
    }

    it('an altered byte', () => {
      const { opened, recordingId, recordingKey, file } = finalised(4);
      overwrite(file, 2 * FRAME_BYTES + FRAME_SEALED_AT + 100, Buffer.from([0x5a]));
      expectIntegrity(
        () => opened.recordings.openChunk(recordingId, recordingKey, 2),
        'CHUNK_ALTERED',
        2,
      );
      expect(opened.recordings.openChunk(recordingId, recordingKey, 1)).toEqual(audioSecond(1));
      expectIntegrity(
        () => opened.recordings.verify(recordingId, recordingKey),
        'CHUNK_ALTERED',
        2,
      );
    });

    it('two frames swapped', () => {
      const { opened, recordingId, recordingKey, file } = finalised(4);
      const bytes = readFileSync(file);
      const one = bytes.subarray(FRAME_BYTES, 2 * FRAME_BYTES);
      const two = bytes.subarray(2 * FRAME_BYTES, 3 * FRAME_BYTES);
      overwrite(file, FRAME_BYTES, Buffer.concat([two, one]));
      expectIntegrity(
        () => opened.recordings.openChunk(recordingId, recordingKey, 1),
        'CHUNK_REORDERED',
        1,
      );
    });

    it('a frame copied over another', () => {
      const { opened, recordingId, recordingKey, file } = finalised(4);
      const one = readFileSync(file).subarray(FRAME_BYTES, 2 * FRAME_BYTES);
      overwrite(file, 2 * FRAME_BYTES, Buffer.from(one));
      expectIntegrity(
        () => opened.recordings.openChunk(recordingId, recordingKey, 2),
        'CHUNK_DUPLICATED',
        2,
      );
    });

    it('the tail cut off, end marker and all', () => {
      const { opened, recordingId, recordingKey, file } = finalised(4);
      // Cut after frame 1: frames 2, 3 and the end marker are gone.
      truncateSync(file, 2 * FRAME_BYTES);
      expectIntegrity(
        () => opened.recordings.openChunk(recordingId, recordingKey, 3),
        'RECORDING_TRUNCATED',
        3,
      );
      expectIntegrity(
        () => opened.recordings.verify(recordingId, recordingKey),
        'RECORDING_TRUNCATED',
        2,
      );
    });
  });

  it('a removed range is zeroed in the file and gone from the index; the rest still plays', () => {
    const { opened, recordingId, recordingKey, file } = record(6);
    opened.recordings.finalise(recordingId, recordingKey);
    const before = readFileSync(file);
    const frame = (seq: number) => before.subarray(seq * FRAME_BYTES + 16, (seq + 1) * FRAME_BYTES);
    const removedFrames = [frame(2), frame(3)];
    expect(opened.recordings.destroyRange(recordingId, 2000, 4000)).toMatchObject({
      removedChunks: 2,
    });
    const after = readFileSync(file);
    expect(after.length).toBe(before.length);
    for (const sealed of removedFrames) expect(after.includes(sealed.subarray(24, 88))).toBe(false);
    for (const seq of [2, 3]) {
      // The header stays (the file still scans); the nonce and the sealed bytes are zeros.
      expect(after.subarray(seq * FRAME_BYTES, seq * FRAME_BYTES + 16)).toEqual(
        before.subarray(seq * FRAME_BYTES, seq * FRAME_BYTES + 16),
      );
      expect(
        after.subarray(seq * FRAME_BYTES + 16, (seq + 1) * FRAME_BYTES).every((b) => b === 0),
      ).toBe(true);
    }
    expect(opened.recordings.index(recordingId).map((c) => c.seq)).toEqual([0, 1, 4, 5]);
    expect(opened.recordings.openChunk(recordingId, recordingKey, 4)).toEqual(audioSecond(4));
    expect(opened.recordings.verify(recordingId, recordingKey)).toBe(4);
    expect(() => opened.recordings.openChunk(recordingId, recordingKey, 2)).toThrow();
  });
});
