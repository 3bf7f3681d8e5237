// The names of the people who act in the log, for an auditor: the therapist's and each auditor's,
// sealed to the audit key and signed with it; never a client's; absent from a stolen file; and an
// auditor the list did not know is named at the next write.
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { DisplayNameList } from '../../../electron/core/audit/display-names';
import { newSigningKeyPair, randomBytes } from '../../../electron/core/platform/crypto';
import { VAULT_FILE_NAME } from '../../../electron/core/platform/db';
import { SealedFieldStore } from '../../../electron/core/platform/sealed-field-store';
import { VaultMetaStore } from '../../../electron/core/vault/vault-meta-store';
import { PASSPHRASE } from '../helpers/kernel-helpers';
import { call, refusal, signedClient, therapistVault } from '../helpers/practice-helpers';

const PAT = { signInName: 'Pat Auditor', passphrase: 'granite meadow lighthouse violet 31' };
const SAM = { signInName: 'Sam Reviewer', passphrase: 'copper orchard midnight sailing 47' };

let vault: Awaited<ReturnType<typeof therapistVault>> | null = null;
afterEach(() => {
  vault?.close();
  vault = null;
});

function fileBytes(dataDir: string): string {
  const path = join(dataDir, VAULT_FILE_NAME);
  return [path, `${path}-wal`]
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('');
}

/** A second connection to the vault file, as someone holding a copy of it would have. */
function withFile<T>(dataDir: string, use: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, VAULT_FILE_NAME));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

describe('names in the access log', () => {
  test('an auditor reads the therapist’s and auditors’ names, never a client’s', async () => {
    vault = await therapistVault('sv-audit-names-');
    const { core, clock } = vault;
    await signedClient(core, clock.now(), { name: 'Robin Example', others: ['Kim Example'] });
    const { auditorId } = await call(core, 'auditors.add', PAT);
    await call(core, 'session.lock');
    await call(core, 'session.unlockAuditor', PAT);

    const names = await call(core, 'audit.names');
    expect(names).toEqual({
      therapist: 'Dr. Jane Example',
      auditors: [{ auditorId, name: 'Pat Auditor' }],
    });
    const page = await call(core, 'audit.query', { limit: 500 });
    const everything = JSON.stringify([names, page]);
    for (const client of ['Robin Example', 'Kim Example']) expect(everything).not.toContain(client);
    // The one way to a client's name stays the therapist's, logged.
    expect((await refusal(core, 'audit.revealClients')).code).toBe('NOT_ALLOWED');

    // The therapist reads the same list.
    await call(core, 'session.lock');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await call(core, 'audit.names')).toEqual(names);
  });

  test('a stolen file shows none of them, and a list not signed by the log’s key is not believed', async () => {
    vault = await therapistVault('sv-audit-names-');
    const { core, clock, dataDir } = vault;
    await signedClient(core, clock.now(), { name: 'Robin Example' });
    const { auditorId } = await call(core, 'auditors.add', PAT);
    await call(core, 'session.lock');
    const bytes = fileBytes(dataDir);
    expect(bytes).toContain('audit/display-names');
    for (const name of ['Pat Auditor', 'Dr. Jane Example', 'Robin Example'])
      expect(bytes).not.toContain(name);

    // Anyone can seal to the public key in the file; without the signing key the list is refused.
    withFile(dataDir, (db) => {
      const row = db.prepare('SELECT box_public FROM audit_keys').get() as { box_public: Buffer };
      const forger = {
        box: { publicKey: new Uint8Array(row.box_public), secretKey: randomBytes(32) },
        signing: newSigningKeyPair(),
      };
      const vaultId = new VaultMetaStore(db).vaultId();
      new DisplayNameList(new SealedFieldStore(db, vaultId), vaultId).write(
        forger,
        { therapist: 'Pat Auditor', auditors: { [auditorId]: 'Dr. Jane Example' } },
        clock.now(),
      );
    });
    await call(core, 'session.unlockAuditor', PAT);
    const forged = await call(core, 'audit.names');
    // The auditor's own sign-in writes a fresh list naming only what it knows: itself.
    expect(forged.therapist).toBeNull();
    expect(forged.auditors).toEqual([{ auditorId, name: 'Pat Auditor' }]);
    const alarms = await call(core, 'vault.integrity');
    expect(JSON.stringify(alarms)).toContain('sealed_fields/audit/display-names');

    // The therapist's next unlock puts the therapist's name back.
    await call(core, 'session.lock');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect((await call(core, 'audit.names')).therapist).toBe('Dr. Jane Example');
  });

  test('an auditor the list did not name is named at the next write; a removed one stays', async () => {
    vault = await therapistVault('sv-audit-names-');
    const { core, dataDir } = vault;
    expect(await call(core, 'audit.names')).toEqual({
      therapist: 'Dr. Jane Example',
      auditors: [],
    });
    // Added after the list was written: the add writes it again.
    const pat = await call(core, 'auditors.add', PAT);
    expect((await call(core, 'audit.names')).auditors).toEqual([
      { auditorId: pat.auditorId, name: 'Pat Auditor' },
    ]);

    // An auditor from a vault made before the list: their name was only ever a lookup hash.
    const sam = await call(core, 'auditors.add', SAM);
    await call(core, 'session.lock');
    withFile(dataDir, (db) =>
      db.prepare("DELETE FROM sealed_fields WHERE name = 'audit/display-names'").run(),
    );
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    expect(await call(core, 'audit.names')).toEqual({
      therapist: 'Dr. Jane Example',
      auditors: [],
    });
    await call(core, 'auditors.add', { ...PAT, signInName: 'Lee Third' });
    await call(core, 'session.lock');
    await call(core, 'session.unlockAuditor', SAM);
    const named = await call(core, 'audit.names');
    expect(named.auditors.find((a) => a.auditorId === sam.auditorId)?.name).toBe('Sam Reviewer');

    // A renamed therapist and a removed auditor: the log still names both.
    await call(core, 'session.lock');
    await call(core, 'session.unlock', { passphrase: PASSPHRASE });
    const practice = await call(core, 'settings.practice');
    await call(core, 'settings.setPractice', { ...practice, therapistName: 'Dr. Jane Moreno' });
    await call(core, 'auditors.remove', { auditorId: sam.auditorId });
    const after = await call(core, 'audit.names');
    expect(after.therapist).toBe('Dr. Jane Moreno');
    expect(after.auditors.map((a) => a.name).sort()).toEqual(['Lee Third', 'Sam Reviewer']);
  });
});
