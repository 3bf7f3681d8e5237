import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/create-core';
import { randomBytes } from 'node:crypto';

const LIGHT_KDF = { opsLimit: 2, memLimitBytes: 8 * 1024 * 1024 };
const PASSPHRASE = 'maple harbour quietly ninety lanterns';
const THERAPIST = 'Dr. Jane Example';

function fakeClock(start = Date.UTC(2026, 10, 26, 9, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

let dataDir: string;
let clock: ReturnType<typeof fakeClock>;
const deviceSecret = new Uint8Array(randomBytes(32));

async function open(): Promise<Core> {
  return createCore({ dataDir, deviceSecret, clock: clock.now, kdf: LIGHT_KDF });
}

async function call(core: Core, channel: string, payload: unknown = {}) {
  return core.dispatch(channel, payload);
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sv-core-'));
  clock = fakeClock();
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('vault lifecycle', () => {
  it('starts absent, creates, locks and unlocks with the passphrase', async () => {
    const core = await open();
    expect(await call(core, 'vault.status')).toMatchObject({
      ok: true,
      value: { state: 'absent' },
    });
    const created = await call(core, 'vault.create', {
      practiceName: 'Riverside Counselling',
      therapistName: THERAPIST,
      passphrase: PASSPHRASE,
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect((created.value as { recoveryKey: string }).recoveryKey).toMatch(
      /^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/,
    );
    expect(await call(core, 'session.lock')).toEqual({ ok: true, value: {} });
    expect(await call(core, 'vault.status')).toMatchObject({
      ok: true,
      value: { state: 'locked', session: null },
    });
    const unlocked = await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(unlocked).toMatchObject({
      ok: true,
      value: { role: 'therapist', therapistName: THERAPIST },
    });
    core.close();
  });

  it('refuses a wrong passphrase, logs it, and delays after repeated failures', async () => {
    const core = await open();
    await call(core, 'vault.create', {
      practiceName: 'P',
      therapistName: THERAPIST,
      passphrase: PASSPHRASE,
    });
    await call(core, 'session.lock');
    const first = await call(core, 'session.unlock', { passphrase: 'not the passphrase at all' });
    expect(first).toMatchObject({ ok: false, error: { code: 'WRONG_PASSPHRASE' } });
    await call(core, 'session.unlock', { passphrase: 'still not the passphrase' });
    const third = await call(core, 'session.unlock', { passphrase: 'wrong for a third time' });
    expect(third).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', retryAfterMs: 1000 },
    });
    const delayed = await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(delayed).toMatchObject({ ok: false, error: { code: 'UNLOCK_DELAYED' } });
    clock.advance(1000);
    expect(await call(core, 'session.unlock', { passphrase: PASSPHRASE })).toMatchObject({
      ok: true,
    });
    const log = await call(core, 'audit.recent', { limit: 50 });
    expect(log.ok).toBe(true);
    if (!log.ok) return;
    const entries = (
      log.value as { entries: { action: string; outcome: string; reason: string | null }[] }
    ).entries;
    expect(
      entries.filter((e) => e.action === 'session.unlock' && e.outcome === 'refused'),
    ).toHaveLength(4);
    expect(await call(core, 'audit.verify')).toMatchObject({ ok: true, value: { intact: true } });
    core.close();
  });

  it('locks itself after the idle time, and on suspend', async () => {
    const core = await open();
    await call(core, 'vault.create', {
      practiceName: 'P',
      therapistName: THERAPIST,
      passphrase: PASSPHRASE,
    });
    clock.advance(9 * 60_000);
    core.tick();
    expect(await call(core, 'vault.status')).toMatchObject({ value: { state: 'unlocked' } });
    await call(core, 'session.touch');
    clock.advance(10 * 60_000 - 1);
    core.tick();
    expect(await call(core, 'vault.status')).toMatchObject({ value: { state: 'unlocked' } });
    clock.advance(1);
    core.tick();
    expect(await call(core, 'vault.status')).toMatchObject({ value: { state: 'locked' } });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    core.lock('suspend');
    expect(await call(core, 'vault.status')).toMatchObject({ value: { state: 'locked' } });
    core.close();
  });

  it('recovers with the recovery key, forcing a new passphrase', async () => {
    const core = await open();
    const created = await call(core, 'vault.create', {
      practiceName: 'P',
      therapistName: THERAPIST,
      passphrase: PASSPHRASE,
    });
    const recoveryKey = created.ok ? (created.value as { recoveryKey: string }).recoveryKey : '';
    await call(core, 'session.lock');
    const newPassphrase = 'copper meadow seventeen violins';
    const typed = recoveryKey.toLowerCase().replace(/-/g, ' ');
    expect(
      await call(core, 'session.recover', { recoveryKey: typed, newPassphrase }),
    ).toMatchObject({ ok: true });
    await call(core, 'session.lock');
    expect(await call(core, 'session.unlock', { passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
    });
    expect(await call(core, 'session.unlock', { passphrase: newPassphrase })).toMatchObject({
      ok: true,
    });
    core.close();
  });

  it('keeps the therapist name and passphrase out of the vault file and its WAL', async () => {
    const core = await open();
    await call(core, 'vault.create', {
      practiceName: 'Riverside Counselling',
      therapistName: THERAPIST,
      passphrase: PASSPHRASE,
    });
    await call(core, 'session.lock');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const files = readdirSync(dataDir);
    expect(files).toContain('vault.sqlite');
    for (const file of files) {
      const bytes = readFileSync(join(dataDir, file));
      for (const secret of [THERAPIST, PASSPHRASE, 'Riverside Counselling']) {
        expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
      }
    }
    core.close();
  });
});

describe('bad input', () => {
  it('refuses malformed payloads with a typed error and changes nothing', async () => {
    const core = await open();
    const cases: [string, unknown][] = [
      ['vault.create', { practiceName: 'P', therapistName: THERAPIST }],
      [
        'vault.create',
        { practiceName: 'P', therapistName: THERAPIST, passphrase: PASSPHRASE, extra: 1 },
      ],
      ['vault.create', { practiceName: 42, therapistName: THERAPIST, passphrase: PASSPHRASE }],
      [
        'vault.create',
        { practiceName: 'x'.repeat(100_000), therapistName: THERAPIST, passphrase: PASSPHRASE },
      ],
      ['vault.create', null],
      ['vault.create', 'a string'],
      ['settings.setIdleLock', { minutes: 0 }],
      ['audit.recent', { limit: 1e9 }],
    ];
    for (const [channel, payload] of cases) {
      const result = await call(core, channel, payload);
      expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(await call(core, 'vault.steal', {})).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(
      await call(core, 'vault.create', {
        practiceName: 'P',
        therapistName: 'T',
        passphrase: 'short',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'WEAK_PASSPHRASE' },
    });
    expect(existsSync(join(dataDir, 'vault.sqlite'))).toBe(false);
    expect(await call(core, 'vault.status')).toMatchObject({ value: { state: 'absent' } });
    core.close();
  });

  it('says a file that is not a vault is not a vault, and leaves it alone', async () => {
    const path = join(dataDir, 'vault.sqlite');
    writeFileSync(path, 'these are not the bytes of a vault, just a text file '.repeat(100));
    const before = readFileSync(path);
    const core = await open();
    expect(await call(core, 'vault.status')).toMatchObject({
      value: { state: 'unavailable', problem: { code: 'NOT_A_VAULT' } },
    });
    expect(
      await call(core, 'vault.create', {
        practiceName: 'P',
        therapistName: 'T',
        passphrase: PASSPHRASE,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'NOT_A_VAULT' },
    });
    core.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a vault written by a newer app', async () => {
    const core = await open();
    await call(core, 'vault.create', {
      practiceName: 'P',
      therapistName: 'T',
      passphrase: PASSPHRASE,
    });
    core.close();
    const db = new Database(join(dataDir, 'vault.sqlite'));
    db.pragma('user_version = 9990');
    db.close();
    const reopened = await open();
    expect(await call(reopened, 'vault.status')).toMatchObject({
      value: { state: 'unavailable', problem: { code: 'VAULT_TOO_NEW' } },
    });
    reopened.close();
  });

  it('reports a truncated vault file as damaged', async () => {
    const core = await open();
    await call(core, 'vault.create', {
      practiceName: 'P',
      therapistName: 'T',
      passphrase: PASSPHRASE,
    });
    core.close();
    const path = join(dataDir, 'vault.sqlite');
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const reopened = await open();
    const status = await call(reopened, 'vault.status');
    expect(status).toMatchObject({ value: { state: 'unavailable' } });
    expect(['VAULT_DAMAGED', 'NOT_A_VAULT']).toContain(
      (status as { value: { problem: { code: string } } }).value.problem.code,
    );
    reopened.close();
  });

  it('reports a corrupted wrapped key as damage, not a wrong passphrase', async () => {
    const core = await open();
    await call(core, 'vault.create', {
      practiceName: 'P',
      therapistName: 'T',
      passphrase: PASSPHRASE,
    });
    core.close();
    const db = new Database(join(dataDir, 'vault.sqlite'));
    const row = db
      .prepare("SELECT ciphertext FROM wrapped_keys WHERE key_id = 'mk/therapist'")
      .get() as { ciphertext: Buffer };
    row.ciphertext[5] = row.ciphertext[5]! ^ 0x01;
    db.prepare("UPDATE wrapped_keys SET ciphertext = ? WHERE key_id = 'mk/therapist'").run(
      row.ciphertext,
    );
    db.close();
    const reopened = await open();
    expect(await call(reopened, 'session.unlock', { passphrase: PASSPHRASE })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_DAMAGED' },
    });
    reopened.close();
  });
});
