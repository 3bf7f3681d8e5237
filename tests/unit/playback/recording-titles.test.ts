// A recording's title wherever the therapist meets it: the library (one call for every recording)
// and the player's heading. Opened with the recording's key, kept open only while the therapist's
// session lasts (forgotten at lock and at destruction), and never given to a client.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import {
  call,
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
