// The rollback anchor in a real Secret Service: Debian's gnome-keyring on a private D-Bus started
// for this test (dbus-run-session), driven through the real KeychainAnchorStore in two processes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANCHOR_MAX_BYTES, ANCHOR_MIN_BYTES } from '../../../electron/core/platform/anchor-record';

const root = resolve(__dirname, '../../..');
const missing = ['dbus-run-session', 'gnome-keyring-daemon'].filter(
  (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0,
);

type ProbeOutput = Record<string, unknown> & { phase: string; error?: string };

describe('KeychainAnchorStore against gnome-keyring', () => {
  if (missing.length > 0) {
    it.skip(`skipped: ${missing.join(' and ')} not installed here (.ci/run installs them)`);
    return;
  }
  let work: string;
  let outputs: ProbeOutput[];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'anchor-keychain-'));
    const probe = join(work, 'probe.cjs');
    await build({
      entryPoints: [join(__dirname, 'keychain-anchor-probe.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: probe,
      external: ['@napi-rs/keyring', 'libsodium-wrappers-sumo'],
      logLevel: 'silent',
    });
    const home = join(work, 'home');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_PATH: join(root, 'node_modules'),
      // A keyring of its own: never the machine's, never another test's.
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_RUNTIME_DIR: join(work, 'run'),
      XDG_CONFIG_HOME: join(home, 'config'),
      ANCHOR_TEST_SERVICE: 'Session Vault test',
      ANCHOR_TEST_VAULT_ID: '00112233445566778899aabbccddeeff',
      ANCHOR_TEST_DEVICE_SECRET: 'ab'.repeat(32),
    };
    for (const dir of [env.XDG_DATA_HOME, env.XDG_RUNTIME_DIR, env.XDG_CONFIG_HOME])
      spawnSync('mkdir', ['-p', '-m', '700', dir]);
    const run = spawnSync(
      'dbus-run-session',
      ['--', 'sh', '-c', `node "${probe}" write && node "${probe}" read`],
      { env, encoding: 'utf8', timeout: 90_000 },
    );
    outputs = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as ProbeOutput);
    if (outputs.length !== 2) throw new Error(`probe did not finish: ${run.stdout}\n${run.stderr}`);
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const phase = (name: string): ProbeOutput => outputs.find((output) => output.phase === name)!;

  it('starts absent, then reads back what was written and what overwrote it', () => {
    const write = phase('write');
    expect(write.error).toBeUndefined();
    expect(write.before).toEqual({ state: 'absent' });
    expect(write.first).toMatchObject({
      state: 'present',
      generation: 1,
      logHeadSeq: 7,
      logHeadHash: '07'.repeat(32),
      newestTime: 1_700_000_000_000,
      statePublicKey: '09'.repeat(32),
      closedCount: 0,
      recentClosed: 0,
    });
    expect(write.afterOverwrite).toMatchObject({
      state: 'present',
      generation: 5,
      logHeadSeq: 42,
      newestTime: 1_700_000_600_000,
      closedCount: 3,
      recentClosed: 3,
    });
  });

  it('keeps the record small: 171 bytes empty, at most 1,195 with every recent tag', () => {
    const write = phase('write');
    expect(write.firstBytes).toBe(ANCHOR_MIN_BYTES);
    expect(ANCHOR_MIN_BYTES).toBe(171);
    expect(write.fullBytes).toBe(ANCHOR_MAX_BYTES);
    expect(write.fullEncodedBytes).toBe(ANCHOR_MAX_BYTES);
    expect(ANCHOR_MAX_BYTES).toBe(1195);
    // Windows' Credential Manager refuses blobs over 2,560 bytes.
    expect(ANCHOR_MAX_BYTES).toBeLessThan(2560);
    expect(write.full).toMatchObject({ closedCount: 303, recentClosed: 128 });
  });

  it('reads hand-written bytes as forged, never as an anchor', () => {
    const write = phase('write');
    expect(write.flipped).toMatchObject({ state: 'forged' });
    expect(write.otherDevice).toMatchObject({ state: 'forged' });
    expect(write.otherVault).toMatchObject({ state: 'forged' });
    expect(write.garbage).toMatchObject({ state: 'forged' });
    expect(write.restored).toMatchObject({ state: 'present', generation: 5 });
  });

  it('is still there for the next process, is per vault, and can be removed once', () => {
    const read = phase('read');
    expect(read.error).toBeUndefined();
    expect(read.seen).toMatchObject({ state: 'present', generation: 5, closedCount: 3 });
    expect(read.otherVaultSeen).toEqual({ state: 'absent' });
    expect(read.removed).toBe(true);
    expect(read.afterRemove).toEqual({ state: 'absent' });
    expect(read.removedAgain).toBe(false);
  });
});
