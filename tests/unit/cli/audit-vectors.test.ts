// The CLI against every audit bundle test vector (tests/vectors/audit-bundle/, described in
// docs/audit-bundle.md): the exit code, the first bad entry and the problem each one expects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../cli/run';
import type { VectorCase } from '../../vectors/audit-bundle/generate';

const folder = join(import.meta.dirname, '../../vectors/audit-bundle');
const { cases } = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as {
  cases: VectorCase[];
};

/** Runs the CLI in-process; returns its exit code and everything it printed. */
async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(
    argv,
    (line) => void out.push(line),
    (line) => void err.push(line),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const argsOf = (vector: VectorCase) => [
  'verify',
  join(folder, vector.bundle),
  ...(vector.previous ? ['--previous', join(folder, vector.previous)] : []),
];

describe('audit bundle test vectors', () => {
  it('cover every exit code the verifier gives', () => {
    expect(new Set(cases.map((vector) => vector.exitCode))).toEqual(new Set([0, 1, 3, 4]));
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((vector) => [vector.description, vector] as const))('%s', async (_, vector) => {
    const json = await cli([...argsOf(vector), '--json']);
    const report = JSON.parse(json.out) as {
      exitCode: number;
      firstBadSeq: number | null;
      problem: string | null;
    };
    expect(json.code).toBe(vector.exitCode);
    expect(report.exitCode).toBe(vector.exitCode);
    expect(report.firstBadSeq).toBe(vector.firstBadSeq);
    if (vector.problem === null) expect(report.problem).toBeNull();
    else expect(report.problem).toContain(vector.problem);

    const human = await cli(argsOf(vector));
    expect(human.code).toBe(vector.exitCode);
    const printed = human.out + human.err;
    for (const unsafe of ['\u001b', '\u009b', '\u202e']) expect(printed).not.toContain(unsafe);
    if (vector.problem !== null) expect(printed).toContain(vector.problem);
  });
});
