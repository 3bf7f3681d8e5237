// `session-vault-audit merge` over real bundles exported by two real cores (two laptops): one
// time-ordered stream when every bundle verifies, and nothing at all when one does not.
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../cli/run';
import { exportText, fill, newCoreVault, type TestVault } from '../helpers/audit-helpers';
import { fhirProblems, loadFhirR4 } from '../helpers/fhir-validation';

let dir: string;
let laptopA: TestVault;
let laptopB: TestVault;
/** Bundle paths: A's first export, A's later export, B's export. */
let olderA: string;
let newerA: string;
let bundleB: string;
let entries: { olderA: number; newerA: number; b: number };

async function exportTo(vault: TestVault, name: string): Promise<{ path: string; total: number }> {
  const exported = await exportText(vault, 'json');
  const path = join(dir, name);
  writeFileSync(path, exported.text);
  return { path, total: exported.total };
}

beforeAll(async () => {
  await loadFhirR4();
  dir = mkdtempSync(join(tmpdir(), 'sv-merge-'));
  laptopA = await newCoreVault();
  laptopB = await newCoreVault();
  // B's day starts half a minute after A's, so their entries interleave in time.
  laptopB.clock.advance(30_000);
  fill(laptopA, 40, (i) => ({ action: 'playback.start', subject: `rec-a-${i % 3}` }));
  fill(laptopB, 40, (i) => ({ action: 'recording.start', subject: `rec-b-${i % 5}` }));
  const a1 = await exportTo(laptopA, 'a-older.json');
  laptopA.clock.advance(60_000);
  fill(laptopA, 10, () => ({ action: 'session.lock' }));
  const a2 = await exportTo(laptopA, 'a-newer.json');
  const b = await exportTo(laptopB, 'b.json');
  [olderA, newerA, bundleB] = [a1.path, a2.path, b.path];
  entries = { olderA: a1.total, newerA: a2.total, b: b.total };
}, 120_000);

afterAll(() => {
  laptopA.cleanup();
  laptopB.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(
    argv,
    (line) => void out.push(line),
    (line) => void err.push(line),
  );
  return { code, out, err: err.join('\n') };
}

let outputs = 0;
const freshOut = () => join(dir, `merged-${(outputs += 1)}.ndjson`);

interface PlainLine {
  vaultId: string;
  seq: number;
  at: number;
  time: string;
  action: string;
}

describe('merge', () => {
  it('writes one time-ordered stream of both laptops, owner-only, each entry with its laptop', async () => {
    const out = freshOut();
    const result = await cli([
      'merge',
      newerA,
      bundleB,
      '--previous-of',
      `${newerA}=${olderA}`,
      '--out',
      out,
    ]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out.join('\n')).toContain(
      `Merged ${entries.newerA + entries.b} entries from 2 laptops`,
    );
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const lines = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as PlainLine);
    expect(lines).toHaveLength(entries.newerA + entries.b);
    const vaults = [...new Set(lines.map((line) => line.vaultId))];
    expect(vaults).toHaveLength(2);
    for (let i = 1; i < lines.length; i += 1)
      expect(lines[i]!.at).toBeGreaterThanOrEqual(lines[i - 1]!.at);
    // Interleaved, not one laptop after the other.
    const switches = lines.filter((line, i) => i > 0 && line.vaultId !== lines[i - 1]!.vaultId);
    expect(switches.length).toBeGreaterThan(2);
    // Each laptop's own order and every one of its entries survive the merge.
    for (const vaultId of vaults) {
      const seqs = lines.filter((line) => line.vaultId === vaultId).map((line) => line.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
    expect(lines[0]!.time).toBe(new Date(lines[0]!.at).toISOString());
  });

  it('--fhir writes R4 AuditEvents, each valid and naming its laptop as the source', async () => {
    const result = await cli(['merge', '--fhir', newerA, bundleB]);
    expect(result.code).toBe(0);
    // The stream alone on standard output; the sentence on standard error.
    expect(result.err).toContain('as FHIR AuditEvents');
    expect(result.out).toHaveLength(entries.newerA + entries.b);
    const events = result.out.map(
      (line) =>
        JSON.parse(line) as Record<string, unknown> & {
          recorded: string;
          source: { observer: { identifier: { value: string } } };
        },
    );
    for (const event of events) expect(fhirProblems(event)).toEqual([]);
    expect(new Set(events.map((event) => event.source.observer.identifier.value)).size).toBe(2);
    const times = events.map((event) => Date.parse(event.recorded));
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('refuses a tampered bundle by name, exits 1 and writes nothing', async () => {
    const bundle = readFileSync(bundleB, 'utf8');
    const tampered = join(dir, 'b-tampered.json');
    writeFileSync(tampered, bundle.replace('"recording.start"', '"recording.pause"'));
    const out = freshOut();
    const result = await cli(['merge', newerA, tampered, '--out', out]);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`REFUSED: ${tampered} does not verify`);
    expect(result.err).toContain('Nothing was merged');
    expect(result.err).not.toContain(newerA);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a bundle that does not extend its --previous-of (exit 4), and one not a bundle (3)', async () => {
    const out = freshOut();
    const wrongHistory = await cli([
      'merge',
      newerA,
      bundleB,
      '--previous-of',
      `${newerA}=${bundleB}`,
      '--out',
      out,
    ]);
    expect(wrongHistory.code).toBe(4);
    expect(wrongHistory.err).toContain(`REFUSED: ${newerA} does not verify against ${bundleB}`);
    expect(existsSync(out)).toBe(false);
    // An older export given as the newer one: entries were removed since.
    const backwards = await cli([
      'merge',
      olderA,
      '--previous-of',
      `${olderA}=${newerA}`,
      '--out',
      out,
    ]);
    expect(backwards.code).toBe(4);
    expect(existsSync(out)).toBe(false);
    const notBundle = join(dir, 'not-a-bundle.json');
    writeFileSync(notBundle, '[');
    const unreadable = await cli(['merge', newerA, notBundle, '--out', out]);
    expect(unreadable.code).toBe(3);
    expect(unreadable.err).toContain(`REFUSED: ${notBundle} is not a bundle`);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses two exports of one laptop, an existing --out, and malformed arguments', async () => {
    const out = freshOut();
    const twice = await cli(['merge', olderA, newerA, '--out', out]);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('come from the same laptop');
    expect(existsSync(out)).toBe(false);
    writeFileSync(out, 'kept');
    const exists = await cli(['merge', newerA, '--out', out]);
    expect(exists.code).toBe(3);
    expect(readFileSync(out, 'utf8')).toBe('kept');
    for (const argv of [
      ['merge'],
      ['merge', newerA, '--previous-of', 'no-equals-sign'],
      ['merge', newerA, '--previous-of', `${bundleB}=${olderA}`],
      ['merge', newerA, newerA],
      ['merge', newerA, '--verbose'],
      ['merge', newerA, '--json'],
    ])
      expect((await cli(argv)).code, argv.join(' ')).toBe(2);
  });

  it('holds one laptop at a time: a laptop whose clock went back is put in time order, the lines stream out, and the runs go', async () => {
    // A third laptop whose log goes back an hour halfway (a clock set back before this app held
    // its own time): its entries are not in time order in its own log.
    const laptopC = await newCoreVault();
    try {
      fill(laptopC, 20, () => ({ action: 'session.unlock' }));
      laptopC.clock.advance(-3_600_000);
      fill(laptopC, 20, () => ({ action: 'session.lock' }));
      const c = await exportTo(laptopC, 'c.json');
      const runsBefore = readdirSync(tmpdir()).filter((name) =>
        name.startsWith('session-vault-merge-'),
      );
      const merged = await cli(['merge', newerA, bundleB, c.path]);
      expect(merged.code, merged.err).toBe(0);
      const lines = merged.out.map((line) => JSON.parse(line) as PlainLine);
      expect(lines).toHaveLength(entries.newerA + entries.b + c.total);
      for (let i = 1; i < lines.length; i += 1)
        expect(lines[i]!.at).toBeGreaterThanOrEqual(lines[i - 1]!.at);
      const fromC = lines.filter((line) => line.action === 'session.lock');
      expect(fromC.length).toBeGreaterThanOrEqual(20);
      // The sentence goes to standard error, after the lines; nothing of the runs is left behind.
      expect(merged.err).toContain(`Merged ${lines.length} entries from 3 laptops.`);
      const runsAfter = readdirSync(tmpdir()).filter((name) =>
        name.startsWith('session-vault-merge-'),
      );
      expect(runsAfter.sort()).toEqual(runsBefore.sort());
    } finally {
      laptopC.cleanup();
    }
  });
});
