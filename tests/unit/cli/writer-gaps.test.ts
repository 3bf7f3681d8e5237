// The backup's turns on the disk while a session records (issue 16): it learns the writer's
// rhythm from the writes it hears, works in the first part of each gap, and never waits on a
// writer that does not pause or has stopped.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WRITER_IDLE_MS, WriterGaps, WriterRhythm } from '../../../cli/writer-gaps';

describe('the writer rhythm', () => {
  it('lets the backup go at once when nobody writes', () => {
    expect(new WriterRhythm().turn(0)).toEqual({ go: true });
  });

  it('waits out a write, uses the first part of the gap, then flushes and waits', () => {
    const rhythm = new WriterRhythm();
    // A chunk a second; two writes a few milliseconds apart are one burst.
    rhythm.noteWrite(1000);
    rhythm.noteWrite(1003);
    expect(rhythm.turn(1005)).toEqual({ go: false, waitMs: 8, flushFirst: false });
    expect(rhythm.turn(1013)).toEqual({ go: true });
    expect(rhythm.turn(1750)).toEqual({ go: true });
    const late = rhythm.turn(1850);
    expect(late).toMatchObject({ go: false, flushFirst: true });
    // It waits at most until the writer would count as gone.
    expect(1850 + (late as { waitMs: number }).waitMs).toBeGreaterThan(1003 + WRITER_IDLE_MS);
    // The next chunk opens the next gap.
    rhythm.noteWrite(2001);
    expect(rhythm.turn(2020)).toEqual({ go: true });
  });

  it('learns a writer faster than a chunk a second from the starts of its bursts', () => {
    const rhythm = new WriterRhythm();
    for (const at of [0, 2, 400, 403, 800, 802]) rhythm.noteWrite(at);
    // Its period is 400 ms: the backup has 80 % of it.
    expect(rhythm.turn(800 + 310)).toEqual({ go: true });
    expect(rhythm.turn(800 + 330)).toMatchObject({ go: false, flushFirst: true });
  });

  it('never waits on a writer that does not pause', () => {
    const rhythm = new WriterRhythm();
    for (let at = 0; at <= 200; at += 5) rhythm.noteWrite(at);
    expect(rhythm.turn(201)).toEqual({ go: true });
  });

  it('keeps the period it learnt across a pause in the writing', () => {
    const rhythm = new WriterRhythm();
    for (const at of [0, 500, 1000]) rhythm.noteWrite(at);
    // A minute without a session, then the next one starts.
    rhythm.noteWrite(61_000);
    expect(rhythm.turn(61_000 + 390)).toEqual({ go: true });
    expect(rhythm.turn(61_000 + 410)).toMatchObject({ go: false, flushFirst: true });
  });

  it('goes on at full speed once the writer has stopped', () => {
    const rhythm = new WriterRhythm();
    rhythm.noteWrite(0);
    expect(rhythm.turn(800)).toMatchObject({ go: false });
    expect(rhythm.turn(WRITER_IDLE_MS + 1)).toEqual({ go: true });
  });
});

describe('the writer gaps of a vault folder', () => {
  let vaultDir: string;
  beforeEach(() => {
    vaultDir = mkdtempSync(join(tmpdir(), 'sv-gaps-'));
    mkdirSync(join(vaultDir, 'recordings'));
  });
  afterEach(() => rmSync(vaultDir, { recursive: true, force: true }));

  /**
   * Resolves once every write made before it has reached the watchers: a witness hears its own
   * write, and one inotify descriptor delivers a folder's events in order.
   */
  async function afterEarlierWrites() {
    const witness = new WriterGaps(vaultDir, [{ id: 'witness', inFile: true }]);
    try {
      appendFileSync(join(vaultDir, 'recordings', 'witness.audio'), 'x');
      await vi.waitFor(() => expect(witness.writesHeard).toBeGreaterThan(0));
    } finally {
      witness.close();
    }
  }

  it('hears the files of the recordings being made, and nothing else', async () => {
    const gaps = new WriterGaps(vaultDir, [{ id: 'rec-1', inFile: true }]);
    try {
      appendFileSync(join(vaultDir, 'vault.sqlite-wal'), 'x');
      appendFileSync(join(vaultDir, 'recordings', 'rec-0.audio'), 'x');
      appendFileSync(join(vaultDir, 'recordings', 'notes.txt'), 'x');
      await afterEarlierWrites();
      expect(gaps.writesHeard).toBe(0);
      appendFileSync(join(vaultDir, 'recordings', 'rec-1.audio'), 'x');
      await vi.waitFor(() => expect(gaps.writesHeard).toBeGreaterThan(0));
    } finally {
      gaps.close();
    }
  });

  it('hears the WAL when the recording being made keeps its chunks in SQLite', async () => {
    const gaps = new WriterGaps(vaultDir, [{ id: 'rec-1', inFile: false }]);
    try {
      appendFileSync(join(vaultDir, 'vault.sqlite-wal'), 'x');
      await vi.waitFor(() => expect(gaps.writesHeard).toBeGreaterThan(0));
    } finally {
      gaps.close();
    }
  });

  it('with nothing being recorded, never waits, even just after a write', async () => {
    appendFileSync(join(vaultDir, 'vault.sqlite-wal'), 'x');
    appendFileSync(join(vaultDir, 'recordings', 'rec-1.audio'), 'x');
    const gaps = new WriterGaps(vaultDir, []);
    try {
      let flushes = 0;
      await gaps.nextTurn(async () => {
        flushes += 1;
      });
      appendFileSync(join(vaultDir, 'recordings', 'rec-1.audio'), 'x');
      await afterEarlierWrites();
      expect(flushes).toBe(0);
      expect(gaps.writesHeard).toBe(0);
      expect(gaps.waitedMs).toBe(0);
    } finally {
      gaps.close();
    }
  });

  /**
   * A recording's write, then the backup's gaps 850 ms later: the write just before the backup
   * began counts, so the backup is past its 80 % of a second.
   */
  async function pastItsShare() {
    const audio = join(vaultDir, 'recordings', 'rec-1.audio');
    appendFileSync(audio, 'x');
    const gaps = new WriterGaps(vaultDir, [{ id: 'rec-1', inFile: true }]);
    await new Promise((r) => setTimeout(r, 850));
    return { audio, gaps };
  }

  it('holds a turn past its share of the gap until the next write, after flushing', async () => {
    const { audio, gaps } = await pastItsShare();
    try {
      let flushes = 0;
      let resolved = false;
      const turn = gaps
        .nextTurn(async () => {
          flushes += 1;
        })
        .then(() => (resolved = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(resolved).toBe(false);
      expect(flushes).toBe(1);
      appendFileSync(audio, 'x');
      await turn;
      expect(flushes).toBe(1);
      expect(gaps.waitedMs).toBeGreaterThan(0);
    } finally {
      gaps.close();
    }
  });

  it('goes on at once when the next write came while it flushed', async () => {
    const { audio, gaps } = await pastItsShare();
    try {
      let resolved = false;
      const turn = gaps
        .nextTurn(async () => {
          // The writer's next chunk lands while the backup's flush is on its way.
          appendFileSync(audio, 'x');
          await new Promise((r) => setTimeout(r, 50));
        })
        .then(() => (resolved = true));
      // Had it slept on the wait it chose before the flush, it would sleep to 1.5 s after the
      // first write: 400 ms from now.
      await new Promise((r) => setTimeout(r, 250));
      expect(resolved).toBe(true);
      await turn;
    } finally {
      gaps.close();
    }
  });
});
