// The scale bench's fixture holds what live sessions leave: finalised recordings of the asked
// length, each listed for its client, and nothing of the build's connection hook left behind.
import fs, { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { buildYearFixture, type YearFixture } from '../../bench/year-fixture';
import { call } from '../helpers/practice-helpers';

describe('year fixture', () => {
  let fixture: YearFixture | null = null;
  afterEach(() => {
    fixture?.cleanup();
    fixture = null;
  });

  it('records every session through the channels and cleans up after itself', async () => {
    const pragmaBefore = Database.prototype.pragma;
    fixture = await buildYearFixture({
      clients: 3,
      recordings: 4,
      seconds: 12,
      name: 'test',
      // Its chunks are counted in the vault file: the storage of recordings made before 0070.
      newRecordingStorage: 'sqlite',
    });
    expect(Database.prototype.pragma).toBe(pragmaBefore);
    expect(fixture.recordings).toHaveLength(4);
    expect(fixture.audioBytes).toBe(4 * 12 * 4000);

    const listed = [];
    for (const client of fixture.clients) {
      const detail = await call(fixture.core, 'clients.detail', {
        clientId: client.clientId,
      });
      expect(detail.client.consent?.state).toBe('active');
      listed.push(...detail.recordings);
    }
    expect(listed.map((r) => r.recordingId).sort()).toEqual(
      fixture.recordings.map((r) => r.recordingId).sort(),
    );
    for (const recording of listed) {
      expect(recording.state).toBe('finalised');
      expect(recording.durationMs).toBe(12_000);
    }

    // 12 audio chunks and the sealed end marker per recording, all committed to the file.
    fixture.closeCore();
    const db = new Database(fixture.path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM chunks').get()).toEqual({ n: 4 * 13 });
    } finally {
      db.close();
    }
    await fixture.reopen();
    const dataDir = fixture.dataDir;
    fixture.cleanup();
    fixture = null;
    expect(existsSync(dataDir)).toBe(false);
  });

  it('writes file-stored recordings with their syncs batched, and gives one client the last ones', async () => {
    const syncBefore = fs.fdatasyncSync;
    fixture = await buildYearFixture({
      clients: 3,
      recordings: 5,
      seconds: 20,
      name: 'test-files',
      endingClientRecordings: 2,
    });
    expect(fs.fdatasyncSync).toBe(syncBefore);
    const ending = fixture.endingClient!;
    expect(fixture.recordings.map((r) => r.clientId === ending.clientId)).toEqual([
      false,
      false,
      false,
      true,
      true,
    ]);
    const { recordings } = await call(fixture.core, 'recordings.library');
    expect(recordings).toHaveLength(5);
    for (const recording of recordings) {
      expect(recording.state).toBe('finalised');
      expect(recording.chunkCount).toBe(20);
    }
    // The files scan whole at the next start: nothing is cut, nothing marked interrupted.
    fixture.closeCore();
    const core = await fixture.reopen();
    const reopened = await call(core, 'vault.status');
    expect(reopened.state).toBe('locked');
    expect(readdirSync(join(fixture.dataDir, 'recordings'))).toHaveLength(5);
  });
});
