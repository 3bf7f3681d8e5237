// Launches the built app in real Electron for tests/electron, the way `npm run test:electron`
// prepares it (app built, better-sqlite3 built for Electron, a keychain in the session). Anywhere
// else the suite says in one line that it skipped and why.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';
import type { Result } from '../../shared/api';
import { ensureSpeechWav } from '../e2e/speech';

export const projectRoot = path.resolve(import.meta.dirname, '../..');
export const electron = findElectronBinary(projectRoot);
const built = existsSync(path.join(projectRoot, 'out/main/main.js'));
const asked = process.env.SESSION_VAULT_ELECTRON_TESTS === '1';

function skipReason(): string | null {
  if (!electron.found)
    return `no Electron binary on this machine (${electron.reason}); the main process is tested against the mocked electron module in tests/unit/electron-*.test.ts`;
  if (!asked)
    return 'run it with `npm run test:electron`, which builds better-sqlite3 for Electron first (`npm test` leaves it built for Node)';
  if (!built) return 'the app is not built (out/main/main.js is missing)';
  return null;
}

const reason = skipReason();
if (reason) console.log(`tests/electron SKIPPED: ${reason}.`);
export const describeElectron: typeof describe = describe.skipIf(
  reason !== null,
) as typeof describe;

export const passphrase = 'orchard lantern quietly river 42';

export async function freshUserData(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'vault-electron-'));
}

/**
 * The app with its own user-data folder, and the speech file as the microphone through the real
 * permission handler (no --use-fake-ui-for-media-stream: the app's handler decides).
 */
export async function launch(
  userData: string,
): Promise<{ application: ElectronApplication; page: Page }> {
  if (!electron.found) throw new Error('no Electron binary');
  const application = await _electron.launch({
    executablePath: electron.path,
    args: [
      projectRoot,
      `--user-data-dir=${userData}`,
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${ensureSpeechWav()}`,
    ],
    cwd: projectRoot,
    // SESSION_VAULT_PASSWORD_STORE (set by test:electron) wins over the --password-store=basic
    // that Playwright's Electron loader appends (playwright-core server/electron/loader.js).
    env: { ...process.env } as Record<string, string>,
  });
  const page = await application.firstWindow();
  return { application, page };
}

/** Calls window.vault as the page does, and throws with the code when refused. */
export async function vaultCall<T = unknown>(
  page: Page,
  channel: string,
  request: unknown = {},
): Promise<T> {
  const result = await page.evaluate(
    async ([name, payload]) => {
      const [domain, method] = (name as string).split('.') as [string, string];
      const api = (
        globalThis as unknown as {
          vault: Record<string, Record<string, (r: unknown) => Promise<unknown>>>;
        }
      ).vault;
      return api[domain]![method]!(payload);
    },
    [channel, request] as const,
  );
  const reply = result as Result<T>;
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.code}`);
  return reply.value;
}

export async function createVault(page: Page): Promise<void> {
  await page.getByLabel('Practice name').fill('Riverside Counselling');
  await page.getByLabel('Your name').fill('Dana Reyes');
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Create vault' }).click();
  // Argon2id at full cost: creating the vault takes a few seconds.
  await page
    .getByLabel('I have printed or written down this recovery key')
    .check({ timeout: 60_000 });
  const group = await page.locator('.recovery-key-group').nth(1).innerText();
  await page.getByLabel('Type group 2 of the key, from your copy').fill(group);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByText('Signed in as Dana Reyes').waitFor();
}

/** Waits for a condition the app reaches by itself, polling; never a fixed sleep. */
export async function until(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
