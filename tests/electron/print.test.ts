// The recovery sheet's print path in Electron, where window.print() opens the OS dialog (which a
// test cannot press): the button must call it, and what it prints (Chromium's print pipeline,
// reached here through printToPDF) must hold the key and the footer, without the buttons.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeElectron, freshUserData, launch, passphrase } from './launch';

describeElectron('printing the recovery sheet in Electron', () => {
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

  it('the button calls window.print, and the printed sheet holds the key and the footer', async () => {
    await page.getByLabel('Practice name').fill('Riverside Counselling');
    await page.getByLabel('Your name').fill('Dana Reyes');
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByLabel('Repeat passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Create vault' }).click();
    const key = page.getByTestId('recovery-key');
    await key.waitFor({ timeout: 60_000 });
    const recoveryKey = (await key.innerText()).replace(/\s+/g, ' ').trim();

    // Replaced in the page only: the real one would open the OS dialog and wait for a person.
    await page.evaluate(() => {
      const page = globalThis as unknown as { print(): void; printCalls?: number };
      page.printCalls = 0;
      page.print = () => void (page.printCalls = (page.printCalls ?? 0) + 1);
    });
    await page.getByRole('button', { name: 'Print this sheet' }).click();
    expect(
      await page.evaluate(() => (globalThis as unknown as { printCalls: number }).printCalls),
    ).toBe(1);

    const pdf = await application.evaluate(async ({ BrowserWindow }) => {
      const [window] = BrowserWindow.getAllWindows();
      const data = await window!.webContents.printToPDF({ printBackground: false });
      return data.toString('base64');
    });
    expect(pdf.length).toBeGreaterThan(1000);
    const folder = await mkdtemp(path.join(tmpdir(), 'vault-print-'));
    const file = path.join(folder, 'sheet.pdf');
    await writeFile(file, Buffer.from(pdf, 'base64'));
    const text = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    await rm(folder, { recursive: true, force: true });
    if (process.platform !== 'linux' && text.error) return; // poppler is installed on Linux CI only
    const printed = text.stdout.replace(/\s+/g, ' ');
    expect(printed).toContain(recoveryKey);
    expect(printed).toMatch(/Printed from Session Vault on/);
    expect(printed).not.toContain('Print this sheet');
  });
});
