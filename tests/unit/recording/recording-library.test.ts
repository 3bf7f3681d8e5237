// recordings.library (issue 16): every recording across every client in one call, from the
// summary kept on each recording, must say what each client's detail says about it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsentService } from '../../../electron/core/consent/consent-service';
import { VAULT_FILE_NAME } from '../../../electron/core/platform/db';
import { VAULT_HELD_REASON, type ClientSummary, type LibraryEntry } from '../../../shared/api';
import type { Core } from '../../../electron/core/create-core';
import {
  call,
  refusal,
  sendSeconds,
  signedClient,
  startCapture,
  stopCapture,
  testCore,
} from '../helpers/practice-helpers';
import { fakeClock, PASSPHRASE } from '../helpers/kernel-helpers';

let dataDir: string;
let clock: ReturnType<typeof fakeClock>;
let core: Core;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-library-'));
  clock = fakeClock();
  core = await testCore(dataDir, clock);
  await call(core, 'vault.create', {
    practiceName: 'Riverside',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
});
afterEach(() => {
  core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function record(clientId: string, seconds: number, marks = 0): Promise<string> {
  const { recordingId } = await startCapture(core, clientId);
  const tick = { beforeEach: () => clock.advance(1000) };
  for (let mark = 0; mark < marks; mark += 1) {
    await sendSeconds(core, recordingId, 1, { ...tick, from: mark });
    await call(core, 'recording.mark', { recordingId, label: `mark ${mark}` });
  }
  await sendSeconds(core, recordingId, seconds - marks, { ...tick, from: marks });
  await stopCapture(core, recordingId);
  clock.advance(60_000);
  return recordingId;
}

/** What each client's detail says, per recording, in the library's terms. */
async function fromDetails(clients: ClientSummary[]) {
  const expected = new Map<string, Partial<LibraryEntry>>();
  for (const client of clients) {
    const detail = await call(core, 'clients.detail', { clientId: client.clientId });
    for (const recording of detail.recordings)
      expected.set(recording.recordingId, {
        recordingId: recording.recordingId,
        clientId: client.clientId,
        clientDisplayName: detail.client.displayName,
        startedAt: recording.startedAt,
        durationMs: recording.durationMs,
        markerCount: recording.markers.length,
        state: recording.state,
        destroyAfter: recording.destroyAfter,
        destroyedAt: recording.destroyedAt,
      });
  }
  return expected;
}

async function library(): Promise<LibraryEntry[]> {
  return (await call(core, 'recordings.library')).recordings;
}

describe('recordings.library', () => {
  it('lists every recording across clients as each client detail says, newest first', async () => {
    const alex = await signedClient(core, clock.now(), { name: 'Alex Example' });
    const sam = await signedClient(core, clock.now(), { name: 'Sam Sample', pin: '271828' });
    const kept = await record(alex.clientId, 6, 2);
    const cut = await record(sam.clientId, 6, 1);
    await call(core, 'recording.removeRange', { recordingId: cut, fromMs: 3000, toMs: 6000 });
    const gone = await record(sam.clientId, 3);
    await call(core, 'recording.destroy', { recordingId: gone });
    await record(alex.clientId, 4);
    // One still running: counted from its chunks, as the detail counts it.
    const { recordingId: running } = await startCapture(core, sam.clientId);
    await sendSeconds(core, running, 2, { beforeEach: () => clock.advance(1000) });

    const listed = await library();
    const expected = await fromDetails([alex, sam]);
    expect(listed).toHaveLength(5);
    expect(new Set(listed.map((entry) => entry.recordingId))).toEqual(new Set(expected.keys()));
    for (const entry of listed) expect(entry).toMatchObject(expected.get(entry.recordingId)!);
    expect(listed.map((entry) => entry.startedAt)).toEqual(
      [...listed.map((entry) => entry.startedAt)].sort((a, b) => b - a),
    );
    // The figures themselves, so that agreeing with a wrong detail cannot pass.
    const byId = new Map(listed.map((entry) => [entry.recordingId, entry]));
    expect(byId.get(kept)).toMatchObject({ durationMs: 6000, markerCount: 2, chunkCount: 6 });
    expect(byId.get(cut)).toMatchObject({ durationMs: 3000, markerCount: 1, chunkCount: 3 });
    expect(byId.get(gone)).toMatchObject({ state: 'destroyed', durationMs: 0, chunkCount: 0 });
    expect(byId.get(running)).toMatchObject({ state: 'recording', durationMs: 2000 });
    expect(byId.get(kept)!.audioBytes).toBe(6 * 4000);
  });

  it('opens each client’s name once and judges no consent (that cost 330–823 ms at 300)', async () => {
    const alex = await signedClient(core, clock.now(), { name: 'Alex Example' });
    const sam = await signedClient(core, clock.now(), { name: 'Sam Sample', pin: '271828' });
    for (const clientId of [alex.clientId, sam.clientId, alex.clientId, alex.clientId])
      await record(clientId, 2);
    const consentReads = vi.spyOn(ConsentService.prototype, 'consentState');
    const nameReads = vi.spyOn(ConsentService.prototype, 'nameOf');
    try {
      const listed = await library();
      expect(listed).toHaveLength(4);
      expect(consentReads).not.toHaveBeenCalled();
      expect(nameReads.mock.calls.map(([clientId]) => clientId).sort()).toEqual(
        [alex.clientId, sam.clientId].sort(),
      );
      expect(new Set(listed.map((entry) => entry.clientDisplayName))).toEqual(
        new Set(['Alex Example', 'Sam Sample']),
      );
    } finally {
      consentReads.mockRestore();
      nameReads.mockRestore();
    }
  });

  it('reads the summary, not the chunk index, for a finished recording', async () => {
    const alex = await signedClient(core, clock.now());
    const recordingId = await record(alex.clientId, 5);
    core.close();
    // A stand-in for a summary read without the chunks: the chunks' time index is changed
    // behind the core's back, and the library still answers the summary kept at finalise.
    const db = new Database(join(dataDir, 'vault.sqlite'));
    db.prepare('UPDATE chunks SET start_ms = start_ms + 100000').run();
    db.close();
    core = await testCore(dataDir, clock);
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const [entry] = await library();
    expect(entry).toMatchObject({ recordingId, durationMs: 5000, chunkCount: 5 });
  });

  it('summarises, on first listing, a recording from before the summary existed', async () => {
    const alex = await signedClient(core, clock.now());
    const recordingId = await record(alex.clientId, 4, 1);
    core.close();
    const db = new Database(join(dataDir, 'vault.sqlite'));
    db.prepare(
      'UPDATE recordings SET duration_ms = NULL, chunk_count = NULL, audio_bytes = NULL',
    ).run();
    db.close();
    core = await testCore(dataDir, clock);
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await library()).toEqual([
      expect.objectContaining({ recordingId, durationMs: 4000, chunkCount: 4, markerCount: 1 }),
    ]);
    const db2 = new Database(join(dataDir, 'vault.sqlite'), { readonly: true });
    expect(db2.prepare('SELECT duration_ms, chunk_count FROM recordings').get()).toEqual({
      duration_ms: 4000,
      chunk_count: 4,
    });
    db2.close();
  });

  it('is the therapist’s alone', async () => {
    await call(core, 'session.lock');
    expect(await refusal(core, 'recordings.library')).toMatchObject({ code: 'VAULT_LOCKED' });
  });

  it('marks a recording whose signed record fails, and never shows its edited date', async () => {
    const alex = await signedClient(core, clock.now(), { name: 'Alex Example' });
    const edited = await record(alex.clientId, 2);
    const untouched = await record(alex.clientId, 2);
    const before = new Map((await library()).map((entry) => [entry.recordingId, entry]));
    const outside = new Database(join(dataDir, VAULT_FILE_NAME));
    outside
      .prepare(
        'UPDATE recordings SET destroy_after = ?, started_at = started_at + 86400000 WHERE recording_id = ?',
      )
      .run(Date.UTC(2099, 0, 1), edited);
    outside.close();

    const byId = new Map((await library()).map((entry) => [entry.recordingId, entry]));
    expect(byId.get(edited)).toMatchObject({
      held: 'recording record changed outside Session Vault: its start time, destruction date differ from its signed record',
      destroyAfter: null,
      // The signed start time, not the one written over it.
      startedAt: before.get(edited)!.startedAt,
    });
    expect(byId.get(untouched)).toMatchObject({
      held: null,
      destroyAfter: before.get(untouched)!.destroyAfter,
    });
    // The client's page names it in the same words.
    const detail = await call(core, 'clients.detail', { clientId: alex.clientId });
    expect(detail.recordings.find((r) => r.recordingId === edited)!.held).toBe(
      byId.get(edited)!.held,
    );
  });

  it('marks every kept recording while the whole vault is held', async () => {
    const alex = await signedClient(core, clock.now(), { name: 'Alex Example' });
    const kept = await record(alex.clientId, 2);
    const gone = await record(alex.clientId, 2);
    await call(core, 'recording.destroy', { recordingId: gone });
    const outside = new Database(join(dataDir, VAULT_FILE_NAME));
    outside
      .prepare(
        "INSERT INTO settings (name, value) VALUES ('anchorHold', ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      )
      .run(`rollback|${clock.now()}`);
    outside.close();

    const byId = new Map((await library()).map((entry) => [entry.recordingId, entry]));
    expect(byId.get(kept)).toMatchObject({ held: VAULT_HELD_REASON, destroyAfter: null });
    expect(byId.get(gone)).toMatchObject({ held: null, state: 'destroyed' });
  });
});
