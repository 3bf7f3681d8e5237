// Destruction in two steps (issue 16): every due key goes at once in one transaction, so nothing is
// playable from that moment; the ciphertext leaves in slices, a turn of main at a time. A core
// closed between slices (as a quit or a crash leaves it) resumes at the next start and finishes:
// then no copy of a known chunk is left in the file or its WAL, and each completion is logged.
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/practice-helpers';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import {
  beforeDestruction,
  chunksLeft,
  slicedFixturesForEachTest,
  expectCutShort,
  expectResumedAndCompleted,
  filesHolding,
} from './destruction-helpers';

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;

const slicedFixture = slicedFixturesForEachTest();

describe('destruction in slices', () => {
  it('a sweep interrupted between slices resumes at the next start and completes', async () => {
    // Enough audio that one 20 ms turn cannot remove it all.
    const fixture = await slicedFixture('slices');
    const { path, dataDir } = fixture;
    const { ids, samples, totalChunks } = beforeDestruction(fixture);
    fixture.closeCore();
    const bytesBefore = fixture.fileBytes();

    // A year on, every recording is due. A year's leap at start holds destruction until the
    // therapist confirms the date (a wrong clock never decides); confirming sweeps them all.
    fixture.clock.advance(YEAR_MS);
    const core = await fixture.reopen();
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    await call(core, 'vault.confirmDate', {});
    // The date's confirmation answers once every key is gone; the ciphertext goes in later turns.
    // Closed in the first turn after some of it went: the removal stops between slices.
    while (chunksLeft(path) === totalChunks) await new Promise((resolve) => setImmediate(resolve));
    fixture.closeCore();
    const afterInterruption = chunksLeft(path);
    expect(afterInterruption).toBeGreaterThan(0);
    expect(afterInterruption).toBeLessThan(totalChunks);
    expectCutShort(path, ids);

    // The next start: nothing is playable while the rest is removed, and the removal finishes.
    const opened = await fixture.reopen();
    const entries = await expectResumedAndCompleted(opened, fixture, ids, samples);
    expect(entries.filter((e) => e.action === 'recording.destroy')).toHaveLength(ids.length);
    for (const client of fixture.clients) {
      const detail = await call(opened, 'clients.detail', {
        clientId: client.clientId,
      });
      for (const recording of detail.recordings) expect(recording.state).toBe('destroyed');
    }
    fixture.closeCore();
    expect(filesHolding(dataDir, samples)).toEqual([]);
    // The space comes back too (auto_vacuum = INCREMENTAL, a few pages a turn): at least 90 % of
    // the audio's bytes.
    expect(bytesBefore - fixture.fileBytes()).toBeGreaterThanOrEqual(0.9 * fixture.audioBytes);
  }, 300_000);
});
