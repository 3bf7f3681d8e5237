// The CLI's inputs under fast-check: whatever a file or the command line holds, `verify` answers
// with an exit code (1, 2 or 3 for anything but a genuine bundle), prints no escape byte, never
// throws, and answers within a bounded time. Runs in-process: run() takes argv and printers.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../cli/run';

const RUNS = 60;
const MAX_MS = 2000;
let dir: string;
let counter = 0;
const genuine = readFileSync(
  join(import.meta.dirname, '../../vectors/audit-bundle/genuine-newer.json'),
  'utf8',
);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sv-cli-fuzz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function verifyContent(content: string | Uint8Array, extra: string[] = []) {
  const path = join(dir, `input-${(counter += 1)}.json`);
  writeFileSync(path, content);
  const printed: string[] = [];
  const started = performance.now();
  const code = await run(['verify', path, ...extra], (line) => void printed.push(line));
  const elapsed = performance.now() - started;
  rmSync(path);
  return { code, printed: printed.join('\n'), elapsed };
}

function expectCalm(result: { code: number; printed: string; elapsed: number }, codes: number[]) {
  expect(codes).toContain(result.code);
  expect(result.printed).not.toContain('\u001b');
  expect(result.printed).not.toContain('\u009b');
  expect(result.printed).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  expect(result.elapsed).toBeLessThan(MAX_MS);
}

const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'format',
  'entries',
  '\u001b[2J',
  '\u202e',
);
const hostileText = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e400',
  '9007199254740993',
  '-0',
  '7.0',
  '1e0',
  '0x10',
  '"\\ud800"',
  '"\u001b]0;x\u0007"',
  '{"__proto__":{"admin":true}}',
);
/** A hostile JSON-ish document: random JSON, hostile keys and numbers, nesting, long strings. */
const document = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.json(),
    hostileText,
    fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
    fc.nat({ max: 5000 }).map((n) => JSON.stringify('x'.repeat(n * 20))),
    fc.nat({ max: 200 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
    fc.nat({ max: 3000 }).map((n) => `[${'0,'.repeat(n)}0]`),
    fc
      .array(fc.tuple(hostileKey, tie('value')), { maxLength: 5 })
      .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

describe('the CLI under fuzzing', () => {
  it('answers any document with 1 or 3, calmly', async () => {
    await fc.assert(
      fc.asyncProperty(document, async (text) => expectCalm(await verifyContent(text), [1, 3])),
      { numRuns: RUNS },
    );
  });

  it('answers random bytes with 3', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4096 }), async (bytes) =>
        expectCalm(await verifyContent(bytes, ['--json']), [3]),
      ),
      { numRuns: RUNS },
    );
  });

  it('answers a genuine bundle with one character changed: intact only if the change was spacing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: genuine.length - 1 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        async (at, char) => {
          const text = genuine.slice(0, at) + char + genuine.slice(at + 1);
          const result = await verifyContent(text, ['--json']);
          const harmless = text === genuine || (/^\s$/.test(char) && /^\s$/.test(genuine[at]!));
          expectCalm(result, harmless ? [0, 1, 3] : [1, 3]);
          JSON.parse(result.printed); // the --json report is always one JSON document
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers any command line with a documented exit code, never by throwing', async () => {
    const arg = fc.oneof(
      fc.constantFrom(
        'verify',
        'doctor',
        '--json',
        '--previous',
        '--help',
        '-h',
        'help',
        dir,
        '',
        '-',
      ),
      fc.string({ unit: 'binary', maxLength: 20 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(arg, { maxLength: 5 }), async (argv) => {
        // backup writes where it is told: left out of random command lines.
        fc.pre(!argv.includes('backup'));
        const printed: string[] = [];
        const code = await run(argv, (line) => void printed.push(line));
        expect([0, 1, 2, 3]).toContain(code);
        expect(printed.join('\n')).not.toContain('\u001b');
      }),
      { numRuns: RUNS },
    );
  });
});
