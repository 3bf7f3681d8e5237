// Entry point of `npm run bench` (bundled and run by scripts/bench.mjs).
//   --quick          smaller sizes, for a smoke run
//   --only a,b       only these figure ids (an entry may also be an id prefix, e.g. page_size_)
//   --json FILE      also write the figures as a JSON array of { id, value, unit, baseline }
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { aeadGroup } from './aead';
import { auditExportGroup } from './audit-export';
import { auditVerifyGroup } from './audit-verify';
import { type BenchGroup, type BenchOptions, type Figure, log, now } from './harness';
import { ipcHostileGroup } from './ipc-hostile';
import { libraryTitlesGroup } from './library-titles';
import { playbackGroup } from './playback';
import { playerMemoryGroup } from './player-memory';
import { recordingGroup } from './recordings';
import { scaleGroup } from './scale';
import { credentialTimingGroup, unlockGroup } from './unlock';
import { writeAmplificationGroup } from './write-amplification';

const GROUPS: BenchGroup[] = [
  unlockGroup,
  aeadGroup,
  recordingGroup,
  playbackGroup,
  playerMemoryGroup,
  auditVerifyGroup,
  auditExportGroup,
  credentialTimingGroup,
  ipcHostileGroup,
  writeAmplificationGroup,
  scaleGroup,
  libraryTitlesGroup,
];

function parseArgs(argv: string[]): BenchOptions & { json: string | null } {
  const options: BenchOptions & { json: string | null } = { quick: false, only: null, json: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = () => {
      const next = argv[(i += 1)];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only') options.only = value().split(',').filter(Boolean);
    else if (arg.startsWith('--only=')) options.only = arg.slice(7).split(',').filter(Boolean);
    else if (arg === '--json') options.json = value();
    else if (arg.startsWith('--json=')) options.json = arg.slice(7);
    else throw new Error(`unknown argument ${arg} (use --quick, --only ids, --json FILE)`);
  }
  return options;
}

function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.id,
    String(f.value),
    f.unit,
    f.baseline === null ? '-' : String(f.baseline),
    f.baseline ? (f.value / f.baseline).toFixed(2) : '-',
    f.note ?? '',
  ]);
  const header = ['id', 'value', 'unit', 'baseline', 'vs base', 'notes'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) =>
        c === 1 || c === 3 || c === 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!),
      )
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const wanted = (id: string) =>
    options.only === null || options.only.some((entry) => id === entry || id.startsWith(entry));
  const known = GROUPS.flatMap((g) => g.ids);
  const unknown = (options.only ?? []).filter((entry) => !known.some((id) => id.startsWith(entry)));
  if (unknown.length > 0) throw new Error(`unknown figure ids: ${unknown.join(', ')}`);

  log(
    `Session Vault bench: Node ${process.version}, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'})` +
      `${options.quick ? ', --quick' : ''}`,
  );
  const started = now();
  const figures: Figure[] = [];
  for (const group of GROUPS) {
    if (!group.ids.some(wanted)) continue;
    log(`[${group.name}]`);
    const groupStart = now();
    const results = await group.run(options, wanted);
    figures.push(...results.filter((f) => wanted(f.id)));
    log(`  (${((now() - groupStart) / 1000).toFixed(1)} s)`);
  }
  log(`done in ${((now() - started) / 1000).toFixed(1)} s`);
  printTable(figures);
  if (options.json) {
    const json = figures.map(({ id, value, unit, baseline }) => ({ id, value, unit, baseline }));
    writeFileSync(options.json, `${JSON.stringify(json, null, 2)}\n`);
    log(`wrote ${options.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
