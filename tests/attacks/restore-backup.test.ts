// Attack: restore a `session-vault backup` made before a revocation. Before issue 11 the recording
// played again and the "vault damaged" sentence even sent people to their backup.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backup } from '../../cli/backup';
import { VAULT_FILE_NAME } from '../../electron/core/platform/db';
import { errorSentences, integrityNoticeSentences } from '../../shared/errors';
import { call } from '../unit/helpers/practice-helpers';
import {
  expectDestroyedAgain,
  practicesForEachTest,
  restoreVaultFolder,
  status,
} from './attack-helpers';

const practices = practicesForEachTest();

describe('restore a backup made before a revocation', () => {
  it('is named a rollback, logged, and the recording is destroyed again before anything plays', async () => {
    const practice = await practices.start();
    const { clientId } = practice;
    const backupDir = practices.removeAfter(mkdtempSync(join(tmpdir(), 'sv-attack-backup-')));
    // Taken while the app runs, as the CLI allows.
    const made = await backup(practice.dataDir, join(backupDir, 'before.sqlite'));
    expect(made.ok).toBe(true);

    await call(practice.core, 'consent.revoke', { clientId });
    await practice.quit();

    const restored = mkdtempSync(join(tmpdir(), 'sv-attack-restored-'));
    copyFileSync(join(backupDir, 'before.sqlite'), join(restored, VAULT_FILE_NAME));
    restoreVaultFolder(restored, practice.dataDir);
    rmSync(restored, { recursive: true, force: true });

    const core = await practice.start();
    const seen = await status(core);
    expect(seen.state).toBe('locked');
    expect(seen.integrity).toMatchObject({
      kind: 'rollback',
      message: integrityNoticeSentences.rollback,
    });

    const log = await expectDestroyedAgain(core, practice);
    expect(log.map((e) => e.action)).toContain('vault.rollback');
  });

  it('the damaged-vault sentence warns that a backup is an older copy', () => {
    expect(errorSentences.VAULT_DAMAGED).toMatch(/older copy/);
    expect(errorSentences.VAULT_DAMAGED).not.toMatch(/^.*Restore it from a backup\.$/);
  });
});
