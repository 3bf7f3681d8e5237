// A recording's title wherever the therapist meets it: the library (one call for every recording)
// and the player's heading. Opened with the recording's key, kept open only while the therapist's
// session lasts (forgotten at lock and at destruction), and never given to a client.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { KeyStore } from '../../../electron/core/vault/key-store';
import {
  call,
  refusal,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  therapistVault,
} from '../helpers/practice-helpers';
import { PASSPHRASE } from '../helpers/kernel-helpers';

let vault: Awaited<ReturnType<typeof therapistVault>>;
let core: Core;

beforeEach(async () => {
  vault = await therapistVault('sv-titles-');
  core = vault.core;
});
afterEach(() => vault.close());

async function recorded(clientId: string): Promise<string> {
  const { recordingId } = await startCapture(core, clientId);
  await sendSeconds(core, recordingId, 2);
  await stopCapture(core, recordingId);
  vault.clock.advance(60_000);
  return recordingId;
}

async function titles(): Promise<Map<string, string | null>> {
  const { recordings } = await call(core, 'recordings.library');
  return new Map(recordings.map((r) => [r.recordingId, r.title]));
}

/** Writes straight into the vault file, as someone with the file and no key could. */
function editFile(sql: string, ...values: unknown[]): void {
  const db = new Database(join(vault.dataDir, 'vault.sqlite'));
  try {
    db.prepare(sql).run(...values);
  } finally {
    db.close();
  }
}

describe('recording titles', () => {
  it('the library names each titled recording, across clients, and follows every rename', async () => {
    const alex = await signedClient(core, vault.clock.now(), { name: 'Alex Example' });
    const sam = await signedClient(core, vault.clock.now(), { name: 'Sam Other', pin: '739184' });
    const first = await recorded(alex.clientId);
    const second = await recorded(alex.clientId);
    const third = await recorded(sam.clientId);
    await call(core, 'recording.annotate', { recordingId: first, title: 'Anxiety plan' });
    await call(core, 'recording.annotate', { recordingId: third, title: 'Sleep' });
    expect(await titles()).toEqual(
      new Map([
        [first, 'Anxiety plan'],
        [second, null],
        [third, 'Sleep'],
      ]),
    );
    // Renamed and cleared after the library has opened them: the next call says so.
    await call(core, 'recording.annotate', { recordingId: first, title: 'Anxiety plan, part 2' });
    await call(core, 'recording.annotate', { recordingId: third, title: null });
    expect(await titles()).toEqual(
      new Map([
        [first, 'Anxiety plan, part 2'],
        [second, null],
        [third, null],
      ]),
    );
  });

  it('opens titles again after a lock: what the session opened went with it', async () => {
    const alex = await signedClient(core, vault.clock.now());
    const first = await recorded(alex.clientId);
    const second = await recorded(alex.clientId);
    await call(core, 'recording.annotate', { recordingId: first, title: 'Anxiety plan' });
    await call(core, 'recording.annotate', { recordingId: second, title: 'Garden fence' });
    expect((await titles()).get(second)).toBe('Garden fence');
    // The second's sealed title swapped for the first's: it does not open under its own id.
    editFile(
      `UPDATE recordings SET sealed_title = (SELECT sealed_title FROM recordings WHERE recording_id = ?)
        WHERE recording_id = ?`,
      first,
      second,
    );
    await call(core, 'session.lock');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const after = await titles();
    expect(after.get(first)).toBe('Anxiety plan');
    // Read from the file again, not remembered: the swapped title costs the title, not the library.
    expect(after.get(second)).toBeNull();
  });

  it('a destroyed recording has no title in the library', async () => {
    const alex = await signedClient(core, vault.clock.now());
    const recordingId = await recorded(alex.clientId);
    await call(core, 'recording.annotate', { recordingId, title: 'Anxiety plan' });
    expect((await titles()).get(recordingId)).toBe('Anxiety plan');
    await call(core, 'recording.destroy', { recordingId });
    expect((await titles()).get(recordingId)).toBeNull();
  });

  it('names every recording as playback.open names it for the therapist, cold and warm', async () => {
    const alex = await signedClient(core, vault.clock.now(), { name: 'Alex Example' });
    const sam = await signedClient(core, vault.clock.now(), { name: 'Sam Other', pin: '739184' });
    const kim = await signedClient(core, vault.clock.now(), { name: 'Kim Third', pin: '615243' });
    const named = new Map<string, string | null>();
    const titleFor = ['Anxiety plan', null, 'Zoë’s “garden” — part 2', 'Sleep', null, '睡眠', 'x'];
    let n = 0;
    for (const clientId of [alex.clientId, sam.clientId, kim.clientId, alex.clientId]) {
      for (let i = 0; i < 2; i += 1) {
        const recordingId = await recorded(clientId);
        const title = titleFor[n++ % titleFor.length]!;
        if (title !== null) await call(core, 'recording.annotate', { recordingId, title });
        named.set(recordingId, title);
      }
    }
    const destroyed = [...named.keys()][2]!;
    await call(core, 'recording.destroy', { recordingId: destroyed });
    // Cold: what the session opened goes at the lock, so every title is opened together again.
    await call(core, 'session.lock');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    // Every key in two queries (clients, then recordings), never one unwrap per recording.
    const oneByOne = vi.spyOn(KeyStore.prototype, 'take');
    const together = vi.spyOn(KeyStore.prototype, 'takeEach');
    let cold: Map<string, string | null>;
    try {
      cold = await titles();
      expect(oneByOne).not.toHaveBeenCalled();
      expect(together).toHaveBeenCalledTimes(2);
    } finally {
      oneByOne.mockRestore();
      together.mockRestore();
    }
    const warm = await titles();
    expect(warm).toEqual(cold);
    expect(cold.size).toBe(named.size);
    for (const [recordingId, title] of named) {
      if (recordingId === destroyed) {
        expect(cold.get(recordingId)).toBeNull();
        expect((await refusal(core, 'playback.open', { recordingId })).code).toBe('NOT_ALLOWED');
        continue;
      }
      const opened = await call(core, 'playback.open', { recordingId });
      await call(core, 'playback.close', { playbackId: opened.playbackId, heardMs: 0 });
      expect(opened.title).toBe(title);
      expect(cold.get(recordingId)).toBe(opened.title);
    }
  });

  it('a recording key or client key that does not open costs its titles, never the library', async () => {
    const alex = await signedClient(core, vault.clock.now(), { name: 'Alex Example' });
    const sam = await signedClient(core, vault.clock.now(), { name: 'Sam Other', pin: '739184' });
    const [first, second, third] = [
      await recorded(alex.clientId),
      await recorded(alex.clientId),
      await recorded(sam.clientId),
    ];
    for (const [recordingId, title] of [
      [first, 'Anxiety plan'],
      [second, 'Garden fence'],
      [third, 'Sleep'],
    ] as const)
      await call(core, 'recording.annotate', { recordingId, title });
    // One recording key's wrap altered, and the other client's key swapped for Alex's.
    editFile(
      'UPDATE wrapped_keys SET ciphertext = zeroblob(length(ciphertext)) WHERE key_id = ?',
      `rk/${second}`,
    );
    editFile(
      `UPDATE wrapped_keys SET nonce = (SELECT nonce FROM wrapped_keys WHERE key_id = ?),
        ciphertext = (SELECT ciphertext FROM wrapped_keys WHERE key_id = ?) WHERE key_id = ?`,
      `ck/${alex.clientId}/mk`,
      `ck/${alex.clientId}/mk`,
      `ck/${sam.clientId}/mk`,
    );
    await call(core, 'session.lock');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const { recordings } = await call(core, 'recordings.library');
    const byId = new Map(recordings.map((r) => [r.recordingId, r]));
    expect(recordings).toHaveLength(3);
    expect(byId.get(first)).toMatchObject({
      title: 'Anxiety plan',
      clientDisplayName: 'Alex Example',
    });
    expect(byId.get(second)).toMatchObject({ title: null, clientDisplayName: 'Alex Example' });
    expect(byId.get(third)).toMatchObject({ title: null, clientDisplayName: '' });
  });

  it('playback.open gives the therapist the title for the heading, and a client never', async () => {
    const alex = await signedClient(core, vault.clock.now(), { pin: '482915' });
    const recordingId = await recorded(alex.clientId);
    await call(core, 'recording.annotate', { recordingId, title: 'Anxiety plan' });
    const mine = await call(core, 'playback.open', { recordingId });
    expect(mine).toMatchObject({ title: 'Anxiety plan', clientDisplayName: 'Alex Example' });
    await call(core, 'playback.close', { playbackId: mine.playbackId, heardMs: 0 });

    await call(core, 'review.start', { clientId: alex.clientId, maxMinutes: 30 });
    await call(core, 'review.unlock', { pin: '482915' });
    await call(core, 'review.acknowledge');
    const theirs = await call(core, 'playback.open', { recordingId });
    expect(theirs.title).toBeNull();
    expect(JSON.stringify(theirs)).not.toContain('Anxiety');
  });
});
