import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newVault, audioSecond } from '../helpers/kernel-helpers';
import { ChunkIntegrityError } from '../../../electron/core/recording/chunk-integrity-error';
import { LATEST_SCHEMA_VERSION } from '../../../migrations/index';

let vault: Awaited<ReturnType<typeof newVault>>;

// These tests tamper with the `chunks` table: the storage of recordings made before 0070.
// tests/unit/recording/audio-files.test.ts does the same to recording files.
beforeEach(async () => {
  vault = await newVault({ newRecordingStorage: 'sqlite' });
});
afterEach(() => vault.cleanup());

function record(seconds: number, clientName = 'Alex Client') {
  const { vault: opened, masterKey } = vault.lifecycle.unlocked();
  const { clientId, clientKey } = opened.clients.create(masterKey, {
    displayName: clientName,
    participants: [],
  });
  const recordingId = `rec-${Math.random().toString(16).slice(2)}`;
  const recordingKey = opened.clients.newRecordingKey(recordingId, clientKey);
  opened.recordings.create({ recordingId, clientId, destroyAfter: null }, recordingKey, {
    mimeType: 'audio/webm;codecs=opus',
    consentId: null,
    consentVersion: null,
  });
  for (let seq = 0; seq < seconds; seq += 1)
    opened.recordings.append(recordingId, recordingKey, {
      seq,
      startMs: seq * 1000,
      durationMs: 1000,
      payload: audioSecond(seq),
    });
  return { opened, clientId, clientKey, recordingId, recordingKey };
}

function expectIntegrity(fn: () => unknown, code: string, seq?: number) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ChunkIntegrityError);
    expect((error as ChunkIntegrityError).code).toBe(code);
    if (seq !== undefined) expect((error as ChunkIntegrityError).seq).toBe(seq);
    return;
  }
  throw new Error(`expected ${code}`);
}

describe('sealed chunk storage', () => {
  it('appends, finalises, indexes and opens chunks', () => {
    const { opened, recordingId, recordingKey } = record(5);
    opened.recordings.finalise(recordingId, recordingKey);
    const index = opened.recordings.index(recordingId);
    expect(index.map((c) => c.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(index[4]).toMatchObject({ startMs: 4000, durationMs: 1000, bytes: 4000 });
    expect(opened.recordings.openChunk(recordingId, recordingKey, 3)).toEqual(audioSecond(3));
    expect(opened.recordings.seqAt(recordingId, 2500)).toBe(2);
    expect(opened.recordings.verify(recordingId, recordingKey)).toBe(5);
  });

  it('refuses a chunk out of order, oversized, or after stop, and changes nothing', () => {
    const { opened, recordingId, recordingKey } = record(2);
    expect(() =>
      opened.recordings.append(recordingId, recordingKey, {
        seq: 5,
        startMs: 5000,
        durationMs: 1000,
        payload: audioSecond(5),
      }),
    ).toThrow(expect.objectContaining({ code: 'CHUNK_OUT_OF_SEQUENCE' }));
    expect(() =>
      opened.recordings.append(recordingId, recordingKey, {
        seq: 1,
        startMs: 1000,
        durationMs: 1000,
        payload: audioSecond(1),
      }),
    ).toThrow(expect.objectContaining({ code: 'CHUNK_OUT_OF_SEQUENCE' }));
    expect(() =>
      opened.recordings.append(recordingId, recordingKey, {
        seq: 2,
        startMs: 2000,
        durationMs: 1000,
        payload: new Uint8Array(300 * 1024),
      }),
    ).toThrow(expect.objectContaining({ code: 'CHUNK_TOO_LARGE' }));
    opened.recordings.finalise(recordingId, recordingKey);
    expect(() =>
      opened.recordings.append(recordingId, recordingKey, {
        seq: 3,
        startMs: 3000,
        durationMs: 1000,
        payload: audioSecond(3),
      }),
    ).toThrow(expect.objectContaining({ code: 'RECORDING_NOT_ARMED' }));
    expect(opened.recordings.index(recordingId).map((c) => c.seq)).toEqual([0, 1]);
  });

  describe('detects tampering with a specific error', () => {
    function tamper(sql: string, ...params: unknown[]) {
      const db = vault.lifecycle.unlocked().vault.db;
      db.prepare(sql).run(...params);
    }

    it('an altered byte', () => {
      const { opened, recordingId, recordingKey } = record(4);
      opened.recordings.finalise(recordingId, recordingKey);
      const row = opened.db
        .prepare('SELECT chunk_id, ciphertext FROM chunks WHERE seq = 2')
        .get() as {
        chunk_id: number;
        ciphertext: Buffer;
      };
      row.ciphertext[100] = row.ciphertext[100]! ^ 0x01;
      tamper('UPDATE chunks SET ciphertext = ? WHERE chunk_id = ?', row.ciphertext, row.chunk_id);
      expectIntegrity(
        () => opened.recordings.openChunk(recordingId, recordingKey, 2),
        'CHUNK_ALTERED',
        2,
      );
      expect(opened.recordings.openChunk(recordingId, recordingKey, 1)).toEqual(audioSecond(1));
    });

    it('two chunks swapped', () => {
      const { opened, recordingId, recordingKey } = record(4);
      const a = opened.db.prepare('SELECT nonce, ciphertext FROM chunks WHERE seq = 1').get() as {
        nonce: Buffer;
        ciphertext: Buffer;
      };
      const b = opened.db.prepare('SELECT nonce, ciphertext FROM chunks WHERE seq = 2').get() as {
        nonce: Buffer;
        ciphertext: Buffer;
      };
      tamper('UPDATE chunks SET nonce = ?, ciphertext = ? WHERE seq = 1', b.nonce, b.ciphertext);
      tamper('UPDATE chunks SET nonce = ?, ciphertext = ? WHERE seq = 2', a.nonce, a.ciphertext);
      expectIntegrity(
        () => opened.recordings.openChunk(recordingId, recordingKey, 1),
        'CHUNK_REORDERED',
        1,
      );
    });

    it('a chunk copied over another', () => {
      const { opened, recordingId, recordingKey } = record(4);
      const a = opened.db.prepare('SELECT nonce, ciphertext FROM chunks WHERE seq = 0').get() as {
        nonce: Buffer;
        ciphertext: Buffer;
      };
      tamper('UPDATE chunks SET nonce = ?, ciphertext = ? WHERE seq = 3', a.nonce, a.ciphertext);
      expectIntegrity(
        () => opened.recordings.openChunk(recordingId, recordingKey, 3),
        'CHUNK_DUPLICATED',
        3,
      );
    });

    it('a chunk spliced in from another recording', () => {
      const first = record(3, 'Client One');
      const second = record(3, 'Client Two');
      const foreign = first.opened.db
        .prepare(
          'SELECT c.nonce, c.ciphertext FROM chunks c JOIN recordings r USING (rec_no) WHERE r.recording_id = ? AND c.seq = 1',
        )
        .get(second.recordingId) as { nonce: Buffer; ciphertext: Buffer };
      const recNo = (
        first.opened.db
          .prepare('SELECT rec_no FROM recordings WHERE recording_id = ?')
          .get(first.recordingId) as { rec_no: number }
      ).rec_no;
      tamper(
        'UPDATE chunks SET nonce = ?, ciphertext = ? WHERE rec_no = ? AND seq = 1',
        foreign.nonce,
        foreign.ciphertext,
        recNo,
      );
      expectIntegrity(
        () =>
          first.opened.recordings.openChunk(first.recordingId, first.recordingKey, 1, () => [
            { recordingId: second.recordingId, key: second.recordingKey },
          ]),
        'CHUNK_SPLICED',
        1,
      );
    });

    it('the tail cut off after finalise, with or without the end marker', () => {
      const { opened, recordingId, recordingKey } = record(5);
      opened.recordings.finalise(recordingId, recordingKey);
      tamper('DELETE FROM chunks WHERE seq >= 3');
      expectIntegrity(
        () => opened.recordings.verify(recordingId, recordingKey),
        'RECORDING_TRUNCATED',
      );
      // Hiding the cut by moving final_seq back does not help: chunk 2 was not sealed as final.
      tamper('UPDATE recordings SET final_seq = 2 WHERE recording_id = ?', recordingId);
      expectIntegrity(
        () => opened.recordings.verify(recordingId, recordingKey),
        'RECORDING_TRUNCATED',
        2,
      );
    });
  });

  it('recovers a recording cut off by a crash up to its last committed chunk', async () => {
    const { recordingId } = record(7);
    const reopened = vault.crashAndReopen();
    const before = reopened.opened().recordings.get(recordingId);
    expect(before.state).toBe('interrupted');
    await reopened.unlock('maple harbour quietly ninety lanterns');
    const { vault: opened, masterKey } = reopened.unlocked();
    const after = opened.recordings.get(recordingId);
    expect(after.state).toBe('interrupted');
    expect(after.finalSeq).toBe(7);
    const clientKey = opened.clients.keyForTherapist(after.clientId, masterKey);
    const recordingKey = opened.clients.recordingKey(recordingId, clientKey);
    expect(opened.recordings.verify(recordingId, recordingKey)).toBe(7);
    expect(opened.recordings.openChunk(recordingId, recordingKey, 6)).toEqual(audioSecond(6));
  });

  it('destroying deletes the key and every ciphertext byte from the file and its WAL', () => {
    const { opened, clientId, recordingId, recordingKey } = record(6);
    opened.recordings.finalise(recordingId, recordingKey);
    const samples = (
      opened.db.prepare('SELECT ciphertext FROM chunks WHERE length(ciphertext) > 1000').all() as {
        ciphertext: Buffer;
      }[]
    ).map((r) => Buffer.from(r.ciphertext.subarray(200, 264)));
    expect(samples).toHaveLength(6);
    const wrappedKey = (
      opened.db
        .prepare('SELECT ciphertext FROM wrapped_keys WHERE key_id = ?')
        .get(`rk/${recordingId}`) as {
        ciphertext: Buffer;
      }
    ).ciphertext;
    opened.clients.deleteRecordingKey(recordingId);
    opened.recordings.destroyChunks(recordingId, 'retention: 30 days passed');
    expect(opened.recordings.get(recordingId)).toMatchObject({
      state: 'destroyed',
      destroyReason: 'retention: 30 days passed',
    });
    expect(() => opened.recordings.openChunk(recordingId, recordingKey, 0)).toThrow(
      expect.objectContaining({ code: 'RECORDING_DESTROYED' }),
    );
    const clientKey = opened.clients.keyForTherapist(
      clientId,
      vault.lifecycle.unlocked().masterKey,
    );
    expect(() => opened.clients.recordingKey(recordingId, clientKey)).toThrow(
      expect.objectContaining({ code: 'RECORDING_DESTROYED' }),
    );
    for (const file of readdirSync(vault.dataDir)) {
      const bytes = readFileSync(join(vault.dataDir, file));
      for (const sample of samples)
        expect(bytes.includes(sample), `${file} holds destroyed audio`).toBe(false);
      expect(bytes.includes(wrappedKey.subarray(0, 32)), `${file} holds the destroyed key`).toBe(
        false,
      );
    }
  });

  it('a stolen vault file holds no names, no audio signature and no key material', () => {
    const { opened, recordingId, recordingKey, clientKey } = record(3, 'Morgan Quietwater');
    const container = new Uint8Array([...Buffer.from('OggS....OpusHead....ftypisom....webm')]);
    opened.recordings.finalise(recordingId, recordingKey);
    const second = opened.clients.create(vault.lifecycle.unlocked().masterKey, {
      displayName: 'Sam Brightwell',
      participants: [],
    });
    const recId2 = 'rec-container';
    const rk2 = opened.clients.newRecordingKey(recId2, second.clientKey);
    opened.recordings.create(
      { recordingId: recId2, clientId: second.clientId, destroyAfter: null },
      rk2,
      {
        mimeType: 'audio/webm;codecs=opus',
        consentId: null,
        consentVersion: null,
      },
    );
    expect(opened.recordings.meta(recId2, rk2).mimeType).toBe('audio/webm;codecs=opus');
    opened.recordings.append(recId2, rk2, {
      seq: 0,
      startMs: 0,
      durationMs: 1000,
      payload: container,
    });
    // Copies: locking wipes the originals in memory.
    const secrets = [
      recordingKey,
      clientKey,
      rk2,
      second.clientKey,
      vault.lifecycle.unlocked().masterKey,
    ].map((key) => Buffer.from(key));
    expect(secrets.every((key) => key.some((byte) => byte !== 0))).toBe(true);
    vault.lifecycle.lock('user');
    for (const file of readdirSync(vault.dataDir)) {
      const bytes = readFileSync(join(vault.dataDir, file));
      for (const text of [
        'Morgan Quietwater',
        'Sam Brightwell',
        'Dr. Jane Example',
        'Riverside',
        'OpusHead',
        'ftyp',
        'webm',
        'OggS',
      ]) {
        expect(bytes.includes(Buffer.from(text, 'utf8')), `${file} holds ${text}`).toBe(false);
        expect(bytes.includes(Buffer.from(text, 'utf16le')), `${file} holds ${text} (utf16)`).toBe(
          false,
        );
      }
      for (const key of secrets) expect(bytes.includes(key), `${file} holds a key`).toBe(false);
    }
  });
});

describe('database handle helper', () => {
  it('opens the vault file read-only for forensic checks', () => {
    const db = new Database(join(vault.dataDir, 'vault.sqlite'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });
});
