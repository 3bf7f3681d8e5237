// The real app in real Electron: create a vault, lock, unlock. Runs wherever an Electron binary is
// installed; elsewhere it says plainly that it skipped and why.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const electron = findElectronBinary(projectRoot);
const built = existsSync(path.join(projectRoot, 'out/main/main.js'));

if (!electron.found) {
  console.log(
    `tests/electron SKIPPED: no Electron binary exists on this machine: ${electron.reason}. ` +
      "The 'electron' package's install script downloads it from the internet, and that was skipped " +
      '(ELECTRON_SKIP_BINARY_DOWNLOAD=1) or had no network. The main-process code is still tested ' +
      'against a mocked electron module in tests/unit/electron-*.test.ts.',
  );
} else if (!built) {
  console.log(
    'tests/electron SKIPPED: the app is not built (out/main/main.js is missing). Run `npm run build` first.',
  );
}

const describeApp = electron.found && built ? describe : describe.skip;

describeApp('Session Vault in Electron', () => {
  let userData: string;
  let application: ElectronApplication;
  let page: Page;
  const passphrase = 'orchard lantern quietly river 42';

  beforeAll(async () => {
    userData = await mkdtemp(path.join(tmpdir(), 'vault-electron-'));
    application = await _electron.launch({
      executablePath: electron.found ? electron.path : '',
      // --password-store: the app refuses Linux's plain-text keychain, so ask for the Secret Service
      // (run under a session with gnome-keyring, e.g. dbus-run-session).
      args: [
        projectRoot,
        `--user-data-dir=${userData}`,
        ...(process.platform === 'linux' ? ['--password-store=gnome-libsecret'] : []),
      ],
      cwd: projectRoot,
    });
    page = await application.firstWindow();
  });

  afterAll(async () => {
    await application?.close();
    if (userData) await rm(userData, { recursive: true, force: true });
  });

  it('loads from app://session-vault with window.vault and no Node', async () => {
    expect(page.url()).toBe('app://session-vault/index.html');
    const globals = await page.evaluate(() => {
      const page = globalThis as unknown as {
        vault?: unknown;
        require?: unknown;
        process?: unknown;
      };
      return {
        vault: typeof page.vault,
        require: typeof page.require,
        process: typeof page.process,
      };
    });
    expect(globals).toEqual({ vault: 'object', require: 'undefined', process: 'undefined' });
  });

  it('creates a vault, locks it and unlocks it', async () => {
    await page.getByLabel('Practice name').fill('Riverside Counselling');
    await page.getByLabel('Your name').fill('Dana Reyes');
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByLabel('Repeat passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Create vault' }).click();

    // Argon2id at full cost: creating the vault takes a few seconds.
    await page
      .getByLabel('I have printed or written down this recovery key')
      .check({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('Signed in as Dana Reyes').waitFor();

    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('button', { name: 'Unlock' }).waitFor();

    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('Signed in as Dana Reyes').waitFor({ timeout: 60_000 });
  });
});
