// Changing the passphrase while signed in, through the real core: the old passphrase first, a
// strong new one, exactly one wrapped-key row rewritten and logged; a wrong or weak one changes
// nothing. And the lock screen's "why": main remembers why it last locked until the next unlock.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../electron/core/create-core';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import { call, refusal, therapistVault } from '../helpers/practice-helpers';

let vault: Awaited<ReturnType<typeof therapistVault>>;
let core: Core;
const NEW_PASSPHRASE = 'orchard velvet comet ninety seagull';

beforeEach(async () => {
  vault = await therapistVault('sv-passphrase-');
  core = vault.core;
});
afterEach(() => vault.close());

function keyRows(): Record<string, string> {
  const db = new Database(join(vault.dataDir, 'vault.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT key_id, hex(kdf) || hex(nonce) || hex(ciphertext) AS row FROM wrapped_keys')
      .all() as { key_id: string; row: string }[];
    return Object.fromEntries(rows.map((r) => [r.key_id, r.row]));
  } finally {
    db.close();
  }
}

async function log() {
  return (
    (await call(core, 'audit.recent', { limit: 20 })) as {
      entries: { action: string; outcome: string; reason: string | null }[];
    }
  ).entries;
}

describe('session.changePassphrase', () => {
  it('rewraps exactly one row, logs it, and only the new passphrase opens the vault', async () => {
    const before = keyRows();
    await call(core, 'session.changePassphrase', {
      oldPassphrase: PASSPHRASE,
      newPassphrase: NEW_PASSPHRASE,
    });
    const after = keyRows();
    const changed = Object.keys(after).filter((id) => after[id] !== before[id]);
    expect(changed).toEqual(['mk/therapist']);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect((await log()).find((e) => e.action === 'passphrase.change')).toMatchObject({
      outcome: 'ok',
      reason: 'passphrase replaced; the recovery key is unchanged',
    });

    await call(core, 'session.lock');
    expect((await refusal(core, 'session.unlock', { passphrase: PASSPHRASE })).code).toBe(
      'WRONG_PASSPHRASE',
    );
    await call(core, 'session.unlock', { passphrase: NEW_PASSPHRASE });
  });

  it('refuses a wrong old passphrase, a weak or unchanged new one, and changes nothing', async () => {
    const before = keyRows();
    const wrong = await refusal(core, 'session.changePassphrase', {
      oldPassphrase: 'not the passphrase at all',
      newPassphrase: NEW_PASSPHRASE,
    });
    expect(wrong.code).toBe('WRONG_PASSPHRASE');
    // The practice's name and a year: zxcvbn with the practice's names says weak.
    const weak = await refusal(core, 'session.changePassphrase', {
      oldPassphrase: PASSPHRASE,
      newPassphrase: 'Riverside2025!',
    });
    expect(weak.code).toBe('WEAK_PASSPHRASE');
    const same = await refusal(core, 'session.changePassphrase', {
      oldPassphrase: PASSPHRASE,
      newPassphrase: PASSPHRASE,
    });
    expect(same.code).toBe('INVALID_REQUEST');
    expect(keyRows()).toEqual(before);
    expect(
      (await log()).some((e) => e.action === 'passphrase.change' && e.outcome === 'refused'),
    ).toBe(true);
    // Still signed in, and the old passphrase still opens the vault.
    await call(core, 'session.lock');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
  });

  it('is refused to anyone but the signed-in therapist', async () => {
    await call(core, 'session.lock');
    const locked = await refusal(core, 'session.changePassphrase', {
      oldPassphrase: PASSPHRASE,
      newPassphrase: NEW_PASSPHRASE,
    });
    expect(locked.code).toBe('VAULT_LOCKED');
  });
});

describe('why the vault last locked', () => {
  type Status = { lastLock: { reason: string; idleMinutes: number | null } | null };
  const status = async () => (await call(core, 'vault.status')) as Status;

  it('says the Lock button, then idle minutes, and nothing once unlocked', async () => {
    expect((await status()).lastLock).toBeNull();
    await call(core, 'session.lock');
    expect((await status()).lastLock).toMatchObject({ reason: 'button', idleMinutes: null });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect((await status()).lastLock).toBeNull();
    vault.clock.advance(10 * 60_000 + 1);
    expect((await status()).lastLock).toMatchObject({ reason: 'idle', idleMinutes: 10 });
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    core.lock('suspend');
    expect((await status()).lastLock).toMatchObject({ reason: 'suspend' });
  });
});
