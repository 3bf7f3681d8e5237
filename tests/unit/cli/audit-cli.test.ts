// The audit CLI against hostile input (issue 13, items 3 to 6): nothing from a file reaches the
// terminal raw, reading has limits and fails fast, help is not a usage error, and a backup is one
// owner-only file.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, parseBundleText, Unreadable } from '../../../cli/bundle-json';
import { run, USAGE } from '../../../cli/run';
import { terminalSafe } from '../../../cli/terminal';
import { fromHex, initCrypto, utf8, verifySignature } from '../../../electron/core/platform/crypto';
import { newCoreVault, type TestVault } from '../helpers/audit-helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sv-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const ESC = '\u001b';

describe('what reaches the terminal', () => {
  it('escapes C0 and C1 controls, bidi overrides and lone surrogates, and cuts long lines', () => {
    const hostile = `a${ESC}[2J\u009b31m\u202egnp.exe\u2066\ud800\r\u0007b`;
    const safe = terminalSafe(hostile);
    expect(safe).toBe('a\\u001b[2J\\u009b31m\\u202egnp.exe\\u2066\\ud800\\u000d\\u0007b');
    expect(terminalSafe('x'.repeat(10_000)).length).toBeLessThan(4100);
    expect(terminalSafe('tab\tand\nnew line, ü, 同, 😀')).toBe('tab\tand\nnew line, ü, 同, 😀');
  });

  it('a bundle full of escape codes prints none of them, in either mode', async () => {
    const path = file(
      'escapes.json',
      `{"format":"\\u001b[2J\\u001b]0;pwned\\u0007\\u009b1m","entries":[{"${ESC}":1}]}`,
    );
    for (const argv of [
      ['verify', path],
      ['verify', path, '--json'],
      ['verify', path, '--previous', path],
    ]) {
      const { code, out, err } = await cli(argv);
      expect(code).toBe(3);
      expect(out + err).not.toContain(ESC);
      expect(out + err).not.toContain('\u009b');
    }
    // Raw control bytes where JSON forbids them: the parser's excerpt is escaped too.
    const raw = file('raw.json', `{"format":"${ESC}[2J"}`);
    const { code, out, err } = await cli(['verify', raw]);
    expect(code).toBe(3);
    expect(out + err).not.toContain(ESC);
    const junk = file('junk.json', `${ESC}[2J${ESC}]0;title\u0007`);
    const printed = await cli(['verify', junk]);
    expect(printed.code).toBe(3);
    expect(printed.out + printed.err).not.toContain(ESC);
    expect(printed.err).toContain('\\u001b');
  });

  it('prints a JSON report for an unreadable file too', async () => {
    const { code, out } = await cli(['verify', join(dir, 'missing.json'), '--json']);
    expect(code).toBe(3);
    expect(JSON.parse(out)).toMatchObject({
      ok: false,
      exitCode: 3,
      firstBadSeq: null,
      badRange: null,
      problem: expect.stringContaining('Cannot read'),
    });
  });
});

describe('reading with limits', () => {
  it('refuses 50 MB of "[" quickly, at the depth limit', async () => {
    const path = file('brackets.json', Buffer.alloc(50 * 1024 * 1024, '['));
    const heapBefore = process.memoryUsage().heapUsed;
    // CPU time, not wall time: the machine running the tests may be busy with other work.
    const cpuBefore = process.cpuUsage();
    const { code, err } = await cli(['verify', path]);
    const cpu = process.cpuUsage(cpuBefore);
    expect(code).toBe(3);
    expect(err).toContain(`nests deeper than ${LIMITS.maxDepth} levels`);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(2000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(400 * 1024 * 1024);
    rmSync(path);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const path = file('huge.json', '');
    truncateSync(path, LIMITS.maxBytes + 1); // sparse: no disk used
    const started = performance.now();
    const { code, err } = await cli(['verify', path]);
    expect(code).toBe(3);
    expect(err).toContain(`at most ${LIMITS.maxBytes} bytes`);
    expect(performance.now() - started).toBeLessThan(1000);
    rmSync(path);
  });

  it('refuses what is not a regular file', async () => {
    expect((await cli(['verify', dir])).code).toBe(3);
  });

  it('limits array length, keys per object and string length', () => {
    const small = { ...LIMITS, maxArrayLength: 100, maxObjectKeys: 5, maxStringChars: 50 };
    const refuse = (text: string, words: string) =>
      expect(() => parseBundleText(text, small)).toThrow(
        expect.objectContaining({ message: expect.stringContaining(words) }) as Error,
      );
    refuse(`[${Array(101).fill(0).join(',')}]`, 'more than 100 elements');
    refuse(
      JSON.stringify(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`k${i}`, i]))),
      'more than 5 keys',
    );
    refuse(JSON.stringify('x'.repeat(51)), 'longer than 50');
    refuse(JSON.stringify(`${'\\n'.repeat(30)}`), 'longer than 50');
    expect(parseBundleText(`[${Array(100).fill(0).join(',')}]`, small).value).toHaveLength(100);
    expect(() => parseBundleText(JSON.stringify('x'.repeat(LIMITS.maxStringChars + 1)))).toThrow(
      Unreadable,
    );
  });

  it('reads integers written plainly only, and keys once', () => {
    for (const text of [
      '7.0',
      '1e0',
      '7.0000000000000001',
      '-0',
      '01',
      '9007199254740992',
      'NaN',
      'Infinity',
      '1E2',
      '.5',
    ])
      expect(() => parseBundleText(text), text).toThrow(Unreadable);
    expect(parseBundleText('-9007199254740991').value).toBe(-9007199254740991);
    expect(() => parseBundleText('{"a":1,"a":1}')).toThrow(/appears twice/);
    const parsed = parseBundleText('{"__proto__":{"polluted":true},"constructor":1}')
      .value as object;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor']);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });
});

describe('help and usage', () => {
  it('--help, -h and help print the usage to standard output with exit 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const { code, out, err } = await cli([flag]);
      expect(code).toBe(0);
      expect(out).toBe(USAGE);
      expect(err).toBe('');
    }
  });

  it('a usage error prints the usage to standard error with exit 2', async () => {
    for (const argv of [
      [],
      ['verify'],
      ['verify', 'a', 'b'],
      ['verify', 'a', '--previous'],
      ['frobnicate'],
      ['backup', 'x'],
    ]) {
      const { code, out, err } = await cli(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(out).toBe('');
      expect(err).toContain('Usage:');
    }
  });
});

describe('the built command', () => {
  it.skipIf(!existsSync('out/cli/session-vault-audit.mjs'))(
    'prints help to standard output with exit 0, and usage errors to standard error with exit 2',
    () => {
      const bin = (...args: string[]) =>
        spawnSync(process.execPath, ['bin/session-vault-audit.mjs', ...args], { encoding: 'utf8' });
      const help = bin('--help');
      expect(help.status).toBe(0);
      expect(help.stdout.trim()).toBe(USAGE);
      expect(help.stderr).toBe('');
      const wrong = bin('verify');
      expect(wrong.status).toBe(2);
      expect(wrong.stdout).toBe('');
      expect(wrong.stderr).toContain('Usage:');
    },
  );
});

describe('Ed25519 as libsodium verifies it', () => {
  it('refuses the identity key with R = identity and S = 0, which cofactored checks accept', async () => {
    await initCrypto();
    const identityKey = fromHex(`01${'00'.repeat(31)}`);
    const signature = fromHex(`01${'00'.repeat(63)}`);
    expect(verifySignature(identityKey, utf8.encode('any message'), signature)).toBe(false);
  });
});

describe('backup', () => {
  let vault: TestVault;
  beforeAll(async () => {
    vault = await newCoreVault();
  });
  afterAll(() => vault.cleanup());

  it('writes one owner-only file and leaves nothing beside it', async () => {
    const outDir = join(dir, 'backups');
    mkdirSync(outDir, { mode: 0o755 });
    const folderMode = statSync(outDir).mode & 0o777;
    const target = join(outDir, 'vault-copy.sqlite');
    const { code } = await cli(['backup', vault.dataDir, target]);
    expect(code).toBe(0);
    expect(readdirSync(outDir)).toEqual(['vault-copy.sqlite']);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(statSync(outDir).mode & 0o777).toBe(folderMode);
    // The copy still reads back as the vault (doctor opens it read-only and leaves no files).
    const copyDir = join(dir, 'copy');
    mkdirSync(copyDir);
    const copied = join(copyDir, 'vault.sqlite');
    expect((await cli(['backup', vault.dataDir, copied])).code).toBe(0);
    expect((await cli(['doctor', copyDir])).code).toBe(0);
  });
});
