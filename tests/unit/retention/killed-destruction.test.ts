// Issue 16: "a destruction interrupted by a kill resumes at the next start and completes: no
// recording is playable from the moment it is due, and the ciphertext is gone afterwards (scan
// the file)". The app runs in a process of its own, sweeps a year's due recordings, and is killed
// (SIGKILL) once the removal of their ciphertext has begun; the next start finishes it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { FileAnchorStore } from '../helpers/file-anchor-store';
import { bundleNodeScript, runNodeScript } from '../helpers/node-script';
import {
  beforeDestruction,
  chunksLeft,
  slicedFixturesForEachTest,
  expectCutShort,
  expectResumedAndCompleted,
} from './destruction-helpers';

const YEAR_MS = 366 * 24 * 60 * 60 * 1000;
let work: string;
let script: string;
const slicedFixture = slicedFixturesForEachTest();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'sv-killed-'));
  script = join(work, 'killed-app.cjs');
  await bundleNodeScript(join(__dirname, 'killed-destruction-process.ts'), script);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a destruction cut by a kill', () => {
  it('resumes at the next start and completes; nothing plays meanwhile, and no ciphertext is left', async () => {
    const deviceSecret = new Uint8Array(randomBytes(32));
    const anchorFile = join(work, 'anchor.bin');
    const anchor = () => new FileAnchorStore(anchorFile, deviceSecret);
    // Enough audio that the removal cannot all happen in the turns before the kill.
    const fixture = await slicedFixture('killed', { deviceSecret, anchorStore: anchor() });
    const { path, dataDir } = fixture;
    const { ids, samples, totalChunks } = beforeDestruction(fixture);
    fixture.closeCore();

    const killed = await runNodeScript(script, [
      dataDir,
      Buffer.from(deviceSecret).toString('hex'),
      String(fixture.clock.now() + YEAR_MS),
      anchorFile,
    ]).then(
      () => null,
      (error: { signal?: string; stdout?: string }) => error,
    );
    expect(killed?.signal).toBe('SIGKILL');
    expect(killed?.stdout).toContain('keys gone');

    // What the kill left: every key gone, some ciphertext removed, the rest still there.
    const leftByKill = chunksLeft(path);
    expect(leftByKill).toBeGreaterThan(0);
    expect(leftByKill).toBeLessThan(totalChunks);
    expectCutShort(path, ids);

    // The next start, with the anchor the killed process wrote.
    fixture.clock.advance(YEAR_MS);
    await expectResumedAndCompleted(await fixture.reopen(), fixture, ids, samples);
  }, 180_000);
});
