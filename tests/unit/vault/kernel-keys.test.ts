import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as crypto from '../../../electron/core/platform/crypto';
import { packAuditSecrets } from '../../../electron/core/audit/audit-format';
import { newVault, PASSPHRASE } from '../helpers/kernel-helpers';

type CryptoModule = typeof crypto;

vi.mock('../../../electron/core/platform/crypto', async (importOriginal) => {
  const actual = await importOriginal<CryptoModule>();
  return { ...actual, deriveKek: vi.fn(actual.deriveKek) };
});

let vault: Awaited<ReturnType<typeof newVault>>;

beforeEach(async () => {
  vault = await newVault();
  vi.mocked(crypto.deriveKek).mockClear();
});
afterEach(() => vault.cleanup());

function wrappedRows() {
  const db = vault.lifecycle.opened().db;
  return new Map(
    (
      db.prepare('SELECT key_id, nonce, ciphertext FROM wrapped_keys').all() as {
        key_id: string;
        nonce: Buffer;
        ciphertext: Buffer;
      }[]
    ).map((row) => [row.key_id, Buffer.concat([row.nonce, row.ciphertext]).toString('hex')]),
  );
}

function newClient() {
  const { vault: opened, masterKey } = vault.lifecycle.unlocked();
  const { clientId, clientKey } = opened.clients.create(masterKey, {
    displayName: 'Alex',
    participants: [],
  });
  opened.clients.setCredential(clientId, clientKey, '482915', vault.deviceSecret);
  return { opened, clientId, clientKey: Buffer.from(clientKey) };
}

describe('client keys', () => {
  it('the client PIN with the device secret opens the same key the therapist holds', () => {
    const { opened, clientId, clientKey } = newClient();
    expect(
      Buffer.from(opened.clients.keyForClient(clientId, '482915', vault.deviceSecret)),
    ).toEqual(clientKey);
    expect(
      opened.clients.profile(
        clientId,
        opened.clients.keyForClient(clientId, '482915', vault.deviceSecret),
      ),
    ).toEqual({
      displayName: 'Alex',
      participants: [],
    });
  });

  it('a wrong PIN, a wrong device secret and an unknown client are refused alike', () => {
    const { opened, clientId } = newClient();
    const otherDevice = new Uint8Array(randomBytes(32));
    expect(() => opened.clients.keyForClient(clientId, '000000', vault.deviceSecret)).toThrow(
      expect.objectContaining({ code: 'WRONG_PIN' }),
    );
    expect(() => opened.clients.keyForClient(clientId, '482915', otherDevice)).toThrow(
      expect.objectContaining({ code: 'WRONG_PIN' }),
    );
    vi.mocked(crypto.deriveKek).mockClear();
    expect(() =>
      opened.clients.keyForClient('no-such-client', '482915', vault.deviceSecret),
    ).toThrow(expect.objectContaining({ code: 'WRONG_PIN' }));
    // The unknown client costs the same Argon2id work as a wrong PIN.
    expect(crypto.deriveKek).toHaveBeenCalledTimes(1);
  });

  it('changing a PIN rewraps one key and touches nothing else', () => {
    const { opened, clientId, clientKey } = newClient();
    const before = wrappedRows();
    opened.clients.setCredential(clientId, new Uint8Array(clientKey), '771204', vault.deviceSecret);
    const after = wrappedRows();
    const changed = [...after.keys()].filter((id) => after.get(id) !== before.get(id));
    expect(changed).toEqual([`ck/${clientId}/credential`]);
    expect(() => opened.clients.keyForClient(clientId, '482915', vault.deviceSecret)).toThrow();
    expect(
      Buffer.from(opened.clients.keyForClient(clientId, '771204', vault.deviceSecret)),
    ).toEqual(clientKey);
  });

  it('a flipped byte in a wrapped client or recording key is reported as damage', () => {
    const { opened, clientId, clientKey } = newClient();
    opened.clients.newRecordingKey('rec-1', new Uint8Array(clientKey));
    for (const keyId of [`ck/${clientId}/credential`, 'rk/rec-1']) {
      const row = opened.db
        .prepare('SELECT ciphertext FROM wrapped_keys WHERE key_id = ?')
        .get(keyId) as { ciphertext: Buffer };
      row.ciphertext[3] = row.ciphertext[3]! ^ 0x80;
      opened.db
        .prepare('UPDATE wrapped_keys SET ciphertext = ? WHERE key_id = ?')
        .run(row.ciphertext, keyId);
    }
    expect(() => opened.clients.keyForClient(clientId, '482915', vault.deviceSecret)).toThrow(
      expect.objectContaining({ code: 'VAULT_DAMAGED' }),
    );
    expect(() => opened.clients.recordingKey('rec-1', new Uint8Array(clientKey))).toThrow(
      expect.objectContaining({ code: 'VAULT_DAMAGED' }),
    );
    // The therapist's own way in is unharmed.
    expect(
      Buffer.from(opened.clients.keyForTherapist(clientId, vault.lifecycle.unlocked().masterKey)),
    ).toEqual(clientKey);
  });
});

describe('therapist passphrase and recovery', () => {
  it('recovery replaces the passphrase wrap only, and is logged as emergency access', async () => {
    newClient();
    const created = wrappedRows();
    vault.lifecycle.lock('user');
    expect(created.has('mk/recovery')).toBe(true);
    await expect(
      vault.lifecycle.recover(
        '0000-0000-0000-0000-0000-0000-0000-0000',
        'copper meadow seventeen violins',
      ),
    ).rejects.toThrow(expect.objectContaining({ code: 'WRONG_RECOVERY_KEY' }));
    expect(wrappedRows()).toEqual(created);
    await vault.lifecycle.recover(vault.recoveryKey, 'copper meadow seventeen violins');
    const after = wrappedRows();
    expect([...after.keys()].filter((id) => after.get(id) !== created.get(id))).toEqual([
      'mk/therapist',
    ]);
    const { vault: opened, auditSecrets } = vault.lifecycle.unlocked();
    expect(opened.audit.read(auditSecrets, { limit: 1 })[0]).toMatchObject({
      action: 'session.recover',
      outcome: 'ok',
      reason: expect.stringContaining('emergency access'),
    });
    vault.lifecycle.lock('user');
    await expect(vault.lifecycle.unlock(PASSPHRASE)).rejects.toThrow(
      expect.objectContaining({ code: 'WRONG_PASSPHRASE' }),
    );
    expect((await vault.lifecycle.unlock('copper meadow seventeen violins')).role).toBe(
      'therapist',
    );
  });
});

describe('auditors', () => {
  it('an auditor passphrase opens the audit secrets, and nothing else', () => {
    const { vault: opened, auditSecrets } = vault.lifecycle.unlocked();
    const packed = packAuditSecrets(auditSecrets);
    opened.auditors.add('Pat Auditor', 'ledger orchard fifteen comets', packed);
    const { auditSecretBytes } = opened.auditors.unlock(
      'pat auditor ',
      'ledger orchard fifteen comets',
    );
    expect(Buffer.from(auditSecretBytes)).toEqual(Buffer.from(packed));
  });

  it('an unknown auditor and a wrong passphrase are refused alike, with the same work', () => {
    const { vault: opened, auditSecrets } = vault.lifecycle.unlocked();
    opened.auditors.add(
      'Pat Auditor',
      'ledger orchard fifteen comets',
      packAuditSecrets(auditSecrets),
    );
    vi.mocked(crypto.deriveKek).mockClear();
    expect(() => opened.auditors.unlock('Pat Auditor', 'wrong passphrase here')).toThrow(
      expect.objectContaining({ code: 'WRONG_CREDENTIAL' }),
    );
    expect(() => opened.auditors.unlock('Nobody', 'wrong passphrase here')).toThrow(
      expect.objectContaining({ code: 'WRONG_CREDENTIAL' }),
    );
    expect(crypto.deriveKek).toHaveBeenCalledTimes(2);
  });
});

describe('KDF parameters', () => {
  it('are stored beside each passphrase-wrapped key', async () => {
    const db = vault.lifecycle.opened().db;
    const row = db.prepare("SELECT kdf FROM wrapped_keys WHERE key_id = 'mk/therapist'").get() as {
      kdf: string;
    };
    expect(JSON.parse(row.kdf)).toMatchObject({
      alg: 'argon2id13',
      opsLimit: 2,
      memLimitBytes: 8 * 1024 * 1024,
    });
    expect((await vault.lifecycle.unlock(PASSPHRASE)).role).toBe('therapist');
  });
});
