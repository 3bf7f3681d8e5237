import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditBundle } from '../../../electron/core/audit/audit-bundle';
import { newSigningKeyPair, signingPublicKeyOf } from '../../../electron/core/platform/crypto';
import { run } from '../../../cli/run';
import { verifyBundle, verifyExtends } from '../../../cli/verify';
import { exportText, fill, newCoreVault, resign, type TestVault } from '../helpers/audit-helpers';

let vault: TestVault;
let stranger: TestVault;
let older: AuditBundle;
let newer: AuditBundle;
let foreign: AuditBundle;
let signingSecret: Uint8Array;
let outDir: string;

const copy = (bundle: AuditBundle): AuditBundle => structuredClone(bundle);
const entry = (bundle: AuditBundle, seq: number) =>
  bundle.entries[seq - 1] as Record<string, unknown>;

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'sv-bundles-'));
  vault = await newCoreVault();
  signingSecret = fill(vault, 2500, (i) => ({ action: 'recording.play', subject: `rec-${i % 5}` }));
  older = JSON.parse((await exportText(vault, 'json')).text) as AuditBundle;
  fill(vault, 1200, (i) => ({ action: 'consent.sign', subject: `client-${i % 3}` }));
  newer = JSON.parse((await exportText(vault, 'json')).text) as AuditBundle;
  stranger = await newCoreVault();
  fill(stranger, 300, () => ({ action: 'recording.play', subject: 'rec-0' }));
  foreign = JSON.parse((await exportText(stranger, 'json')).text) as AuditBundle;
});
afterAll(() => {
  vault.cleanup();
  stranger.cleanup();
  rmSync(outDir, { recursive: true, force: true });
});

describe('verify', () => {
  it('passes an untouched bundle, and prints the signing key fingerprint', async () => {
    const report = await verifyBundle(newer);
    expect(report).toMatchObject({ ok: true, exitCode: 0, entries: newer.head.seq, problem: null });
    expect(report.checkpoints).toBeGreaterThanOrEqual(4);
    expect(report.signingKeyFingerprint).toMatch(/^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
  });

  it('names an edited entry', async () => {
    const edited = copy(newer);
    entry(edited, 1234).reason = 'nothing to see';
    expect(await verifyBundle(edited)).toMatchObject({
      ok: false,
      exitCode: 1,
      firstBadSeq: 1234,
      problem: expect.stringContaining('Entry 1234 does not match its recorded hash'),
    });
  });

  it('catches an edit whose hashes were recomputed, between the checkpoints around it', async () => {
    const edited = copy(newer);
    entry(edited, 1234).reason = 'nothing to see';
    // A forger without the key recomputes the chain but cannot sign the checkpoints again.
    const rechained = resign(edited, newSigningKeyPair().secretKey, new Uint8Array(32));
    rechained.signingPublicKey = newer.signingPublicKey;
    rechained.checkpoints = newer.checkpoints;
    rechained.exportSignature = newer.exportSignature;
    const report = await verifyBundle(rechained);
    const before = Math.max(...newer.checkpoints.map((c) => c.seq).filter((s) => s < 1234));
    const after = Math.min(...newer.checkpoints.map((c) => c.seq).filter((s) => s >= 1234));
    expect(report).toMatchObject({
      ok: false,
      firstBadSeq: after,
      badRange: { from: before + 1, to: after },
    });
  });

  it('names a deleted entry', async () => {
    const deleted = copy(newer);
    deleted.entries.splice(776, 1);
    deleted.entryHashes.splice(776, 1);
    expect(await verifyBundle(deleted)).toMatchObject({
      ok: false,
      firstBadSeq: 777,
      problem: expect.stringContaining('Entry 777 is missing'),
    });
  });

  it('names two swapped entries', async () => {
    const swapped = copy(newer);
    for (const list of [swapped.entries, swapped.entryHashes] as unknown[][])
      [list[99], list[100]] = [list[100], list[99]];
    expect(await verifyBundle(swapped)).toMatchObject({
      ok: false,
      firstBadSeq: 100,
      problem: expect.stringContaining('out of order'),
    });
    // Swapped contents under the original numbers: caught by the hashes.
    const renumbered = copy(newer);
    const [a, b] = [entry(renumbered, 100), entry(renumbered, 101)];
    renumbered.entries[99] = { ...b, seq: 100 };
    renumbered.entries[100] = { ...a, seq: 101 };
    expect(await verifyBundle(renumbered)).toMatchObject({ ok: false, firstBadSeq: 100 });
  });

  it('catches a dropped tail', async () => {
    const keep = newer.head.seq - 10;
    const dropped = copy(newer);
    dropped.entries.length = keep;
    dropped.entryHashes.length = keep;
    dropped.head = { seq: keep, hash: dropped.entryHashes.at(-1)! };
    expect(await verifyBundle(dropped)).toMatchObject({
      ok: false,
      firstBadSeq: keep + 1,
      problem: expect.stringContaining('removed from the end'),
    });
    // Also dropping the checkpoints that cover the tail: the export signature no longer holds.
    dropped.checkpoints = dropped.checkpoints.filter((c) => c.seq <= keep);
    expect(await verifyBundle(dropped)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('export signature'),
    });
  });

  it('names a forged checkpoint', async () => {
    const forged = copy(newer);
    const checkpoint = forged.checkpoints[1]!;
    checkpoint.signature = checkpoint.signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(await verifyBundle(forged)).toMatchObject({
      ok: false,
      firstBadSeq: checkpoint.seq,
      problem: expect.stringContaining(`checkpoint at entry ${checkpoint.seq} is not signed`),
    });
  });

  it('a bundle re-signed with another key passes alone, shows another fingerprint, and fails --previous', async () => {
    const keys = newSigningKeyPair();
    const edited = copy(newer);
    entry(edited, 5).reason = 'rewritten';
    const resigned = resign(edited, keys.secretKey, keys.publicKey);
    const alone = await verifyBundle(resigned);
    expect(alone.ok).toBe(true);
    expect(alone.signingKeyFingerprint).not.toBe((await verifyBundle(newer)).signingKeyFingerprint);
    expect(await verifyExtends(resigned, older)).toMatchObject({
      ok: false,
      exitCode: 4,
      problem: expect.stringContaining('signing key changed'),
    });
  });

  it('names entries spliced from another vault, and a bundle moved to another vault id', async () => {
    const spliced = copy(newer);
    spliced.entries[150] = { ...(foreign.entries[150] as object) };
    spliced.entryHashes[150] = foreign.entryHashes[150]!;
    expect(await verifyBundle(spliced)).toMatchObject({ ok: false, firstBadSeq: 151 });
    const moved = copy(newer);
    moved.vaultId = foreign.vaultId;
    expect(await verifyBundle(moved)).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      problem: expect.stringContaining('genesis'),
    });
  });

  it('refuses what is not a bundle with exit code 3', async () => {
    expect(await verifyBundle({ format: 'something-else/1' })).toMatchObject({ exitCode: 3 });
    expect(await verifyBundle([])).toMatchObject({ exitCode: 3 });
  });
});

describe('verify --previous', () => {
  it('passes a newer export that extends the older one', async () => {
    expect(await verifyExtends(newer, older)).toMatchObject({ ok: true, exitCode: 0 });
    // The other way round, the "newer" one is shorter.
    expect(await verifyExtends(older, newer)).toMatchObject({ ok: false, exitCode: 4 });
  });

  it('fails when an old entry changed, even re-signed with the vault key itself', async () => {
    const rewritten = copy(newer);
    entry(rewritten, 42).outcome = 'refused';
    const resigned = resign(rewritten, signingSecret, signingPublicKeyOf(signingSecret));
    expect((await verifyBundle(resigned)).ok).toBe(true);
    expect(await verifyExtends(resigned, older)).toMatchObject({
      ok: false,
      exitCode: 4,
      divergesAt: 42,
      problem: expect.stringContaining('Entry 42 differs'),
    });
  });

  it('fails on bundles of different vaults', async () => {
    expect(await verifyExtends(foreign, older)).toMatchObject({ exitCode: 4 });
  });
});

describe('the command line', () => {
  function write(name: string, bundle: unknown): string {
    const path = join(outDir, name);
    writeFileSync(path, JSON.stringify(bundle));
    return path;
  }

  it('prints the result and returns the documented exit codes', async () => {
    const lines: string[] = [];
    const print = (line: string) => void lines.push(line);
    const good = write('good.json', newer);
    const old = write('old.json', older);
    const tampered = copy(newer);
    entry(tampered, 9).action = 'nothing';
    const bad = write('bad.json', tampered);
    expect(await run(['verify', good], print)).toBe(0);
    expect(lines.join('\n')).toContain('SIGNING KEY FINGERPRINT');
    expect(await run(['verify', good, '--previous', old], print)).toBe(0);
    expect(await run(['verify', bad], print)).toBe(1);
    expect(lines.at(-1)).toContain('Entry 9');
    expect(await run(['verify', join(outDir, 'missing.json')], print)).toBe(3);
    expect(await run(['verify'], print)).toBe(2);
  });

  it('doctor reads the vault without keys; backup copies it and never overwrites', async () => {
    const lines: string[] = [];
    const print = (line: string) => void lines.push(line);
    expect(await run(['doctor', vault.dataDir], print)).toBe(0);
    expect(lines.join('\n')).toContain('HEALTHY');
    const copyDir = join(outDir, 'copy');
    const target = join(copyDir, 'vault.sqlite');
    rmSync(copyDir, { recursive: true, force: true });
    mkdirSync(copyDir);
    expect(await run(['backup', vault.dataDir, target], print)).toBe(0);
    expect(await run(['backup', vault.dataDir, target], print)).toBe(3);
    // Damage the copy: a chunk of a recording that does not exist, and a broken log entry.
    const db = new Database(target);
    db.pragma('foreign_keys = OFF');
    db.prepare(
      "INSERT INTO chunks (chunk_id, rec_no, seq, start_ms, duration_ms, nonce, ciphertext) VALUES (?, 999, 0, 0, 1000, x'00', x'00')",
    ).run(999 * 2 ** 32);
    db.prepare('UPDATE audit_entries SET content_hash = zeroblob(32) WHERE seq = 10').run();
    db.close();
    lines.length = 0;
    expect(await run(['doctor', copyDir], print)).toBe(1);
    const text = lines.join('\n');
    expect(text).toContain('recording (number 999) that does not exist');
    expect(text).toContain('first bad entry 10');
  });

  it.skipIf(!existsSync('out/cli/session-vault-audit.mjs'))('runs as the built bin', () => {
    const good = write('bin-good.json', newer);
    const tampered = copy(newer);
    tampered.entries.splice(3, 1);
    tampered.entryHashes.splice(3, 1);
    const bad = write('bin-bad.json', tampered);
    const ok = spawnSync(process.execPath, ['bin/session-vault-audit.mjs', 'verify', good], {
      encoding: 'utf8',
    });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('INTACT');
    const failed = spawnSync(process.execPath, ['bin/session-vault-audit.mjs', 'verify', bad], {
      encoding: 'utf8',
    });
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain('Entry 4 is missing');
  });
});
