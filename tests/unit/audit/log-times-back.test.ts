// A log whose entry times go backwards (written before issue 11 by a laptop whose clock was set
// back) is reported, in the app and by the CLI verifier, as a notice beside an intact chain.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AuditLog } from '../../../electron/core/audit/audit-log';
import { VAULT_FILE_NAME, openVaultDb } from '../../../electron/core/platform/db';
import { VaultMetaStore } from '../../../electron/core/vault/vault-meta-store';
import { run } from '../../../cli/run';
import { verifyBundle } from '../../../cli/verify';
import { exportText, newCoreVault, type TestVault } from '../helpers/audit-helpers';
import { call } from '../helpers/practice-helpers';

const DAY = 24 * 60 * 60_000;

let vault: TestVault;
beforeEach(async () => {
  vault = await newCoreVault();
});
afterEach(() => vault.cleanup());

/** Entries dated by a clock that someone set back a day, appended through a second handle. */
function appendWithClockSetBack(): void {
  const db = openVaultDb(join(vault.dataDir, VAULT_FILE_NAME), { create: false });
  try {
    let at = vault.clock.now();
    const log = new AuditLog(db, new VaultMetaStore(db).vaultId(), () => at);
    for (const time of [at + 1, at - DAY, at - DAY + 1]) {
      at = time;
      log.append({ actorRole: 'unknown', action: 'session.unlock', outcome: 'refused' });
    }
  } finally {
    db.close();
  }
}

it('the in-app verification and the CLI verifier name the step back, and the chain stays intact', async () => {
  appendWithClockSetBack();
  await call(vault.core, 'session.lock');
  await call(vault.core, 'session.unlock', { passphrase: 'maple harbour quietly ninety lanterns' });

  const verdict = await call(vault.core, 'audit.verify');
  expect(verdict.intact).toBe(true);
  expect(verdict.timeWentBack).toMatchObject({ count: 1 });
  expect(verdict.timeWentBack!.largestMs).toBeGreaterThanOrEqual(DAY);
  const firstSeq = verdict.timeWentBack!.firstSeq;

  const { text, path } = await exportText(vault, 'json');
  const report = await verifyBundle(JSON.parse(text));
  expect(report).toMatchObject({ ok: true, exitCode: 0, timeWentBack: { count: 1, firstSeq } });

  const lines: string[] = [];
  expect(await run(['verify', path], (line) => lines.push(line))).toBe(0);
  expect(lines.join('\n')).toContain(
    `NOTICE         1 entry is dated earlier than the entry before (first: entry ${firstSeq}`,
  );
  expect(lines.at(-1)).toBe('INTACT');
});

it('a log written with one clock has no notice', async () => {
  await call(vault.core, 'session.lock');
  await call(vault.core, 'session.unlock', { passphrase: 'maple harbour quietly ninety lanterns' });
  const verdict = await call(vault.core, 'audit.verify');
  expect(verdict).toMatchObject({ intact: true, timeWentBack: null });
  const { text } = await exportText(vault, 'json');
  expect((await verifyBundle(JSON.parse(text))).timeWentBack).toBeNull();
});
