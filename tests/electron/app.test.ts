// The real app in real Electron: start, create a vault, lock and unlock; what main refuses
// (a foreign window's IPC, navigation, window.open); the export save dialog; suspend and screen
// lock; a second instance; the review kiosk. Run with `npm run test:electron`.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClientSummary } from '../../shared/api';
import { consentDraft } from '../unit/helpers/practice-helpers';
import {
  createVault,
  describeElectron,
  electron,
  freshUserData,
  launch,
  passphrase,
  projectRoot,
  until,
  vaultCall,
} from './launch';

describeElectron('Session Vault in Electron', () => {
  let userData: string;
  let application: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    userData = await freshUserData();
    ({ application, page } = await launch(userData));
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
    await createVault(page);
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await page.getByRole('button', { name: 'Unlock' }).waitFor();

    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('Signed in as Dana Reyes').waitFor({ timeout: 60_000 });
  });

  it('refuses navigation away from app:// and every window.open', async () => {
    const opened = await page.evaluate(
      () =>
        (globalThis as unknown as { open(url: string): unknown }).open('https://example.com/') ===
        null,
    );
    expect(opened).toBe(true);
    await page.evaluate(() => {
      (globalThis as unknown as { location: { href: string } }).location.href =
        'https://example.com/';
    });
    // The page must still answer as the app: a navigation that went through would have replaced it.
    await until('the refused navigation to settle', async () =>
      page.evaluate(() => typeof (globalThis as unknown as { vault?: unknown }).vault === 'object'),
    );
    expect(page.url()).toBe('app://session-vault/index.html');
    const windows = await application.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((window) => window.webContents.getURL()),
    );
    expect(windows).toEqual(['app://session-vault/index.html']);
  });

  it('refuses IPC from a window main did not make, even with the app’s preload', async () => {
    const preload = path.join(projectRoot, 'out/preload/preload.cjs');
    const reply = await application.evaluate(async ({ BrowserWindow }, preloadPath) => {
      const foreign = new BrowserWindow({
        show: false,
        webPreferences: { preload: preloadPath, sandbox: true, contextIsolation: true },
      });
      await foreign.loadURL('data:text/html,<p>not the app</p>');
      const answer: unknown = await foreign.webContents.executeJavaScript(
        'window.vault.vault.status({})',
      );
      foreign.destroy();
      return answer;
    }, preload);
    expect(reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('writes an access-log export where the save dialog says (the dialog stubbed in main)', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'vault-export-'));
    const file = path.join(folder, 'access-log.csv');
    await application.evaluate(({ dialog }, chosen) => {
      dialog.showSaveDialog = (async () => ({ canceled: false, filePath: chosen })) as never;
    }, file);
    const started = await vaultCall<{ started: boolean; exportId?: string }>(
      page,
      'audit.exportStart',
      { format: 'csv' },
    );
    expect(started.started).toBe(true);
    let done = false;
    while (!done)
      ({ done } = await vaultCall<{ done: boolean }>(page, 'audit.exportNext', {
        exportId: started.exportId,
      }));
    expect(await readFile(file, 'utf8')).toMatch(/vault\.create|session\.unlock/);
    await rm(folder, { recursive: true, force: true });
  });

  it('locks on system suspend and on screen lock', async () => {
    for (const event of ['suspend', 'lock-screen'] as const) {
      await application.evaluate(({ powerMonitor }, name) => {
        powerMonitor.emit(name);
      }, event);
      await page.getByRole('button', { name: 'Unlock' }).waitFor();
      await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await page.getByText('Signed in as Dana Reyes').waitFor({ timeout: 60_000 });
    }
  });

  it('a second launch exits at once and brings the first window forward', async () => {
    if (!electron.found) return;
    await application.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.minimize());
    const second = spawn(electron.path, [projectRoot, `--user-data-dir=${userData}`], {
      cwd: projectRoot,
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(0);
    await until('the first window to be restored', () =>
      application.evaluate(({ BrowserWindow }) => {
        const [window] = BrowserWindow.getAllWindows();
        return Boolean(window && !window.isMinimized() && window.isVisible());
      }),
    );
  });

  it('the review kiosk: full screen, refuses close, and lets go when the review ends', async () => {
    const client = await vaultCall<ClientSummary>(page, 'clients.add', {
      displayName: 'Alex Example',
      otherParticipants: [],
    });
    const { policyHash } = await vaultCall<{ policyHash: string }>(page, 'policy.get');
    await vaultCall(page, 'consent.sign', {
      clientId: client.clientId,
      terms: consentDraft(client, policyHash, Date.now()),
      reviewCredential: '482915',
    });
    await vaultCall(page, 'review.start', { clientId: client.clientId, maxMinutes: 30 });
    const kiosk = () =>
      application.evaluate(({ BrowserWindow }) => {
        const [window] = BrowserWindow.getAllWindows();
        return { kiosk: window?.isKiosk(), alive: Boolean(window && !window.isDestroyed()) };
      });
    await until('the kiosk', async () => (await kiosk()).kiosk === true);
    await application.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    expect(await kiosk()).toEqual({ kiosk: true, alive: true });

    await vaultCall(page, 'review.end');
    await until('the window to be ordinary again', async () => (await kiosk()).kiosk === false);
  });
});
