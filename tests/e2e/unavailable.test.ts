// When the vault file cannot be opened, the page says so calmly, with what to do; and a page
// from any other origin is refused at the host's door, as electron/ipc.ts refuses other senders.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorSentences } from '../../shared/errors';
import { visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import { snap } from './screens';

const notAVault = 'These are session notes in a plain file, not a vault.\n'.repeat(200);

let host: TestHost;
let page: Page;
let dataDir: string;

describe('a vault that cannot be opened', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'session-vault-e2e-bad-'));
    writeFileSync(join(dataDir, 'vault.sqlite'), notAVault);
    host = await startTestHost({ dataDir });
    page = host.page;
  });

  afterAll(async () => {
    await host?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('explains the problem and changes nothing', async () => {
    await visible(page.getByRole('heading', { name: 'The vault cannot be opened' }));
    await visible(page.getByText(errorSentences.NOT_A_VAULT));
    await visible(page.getByRole('button', { name: 'Try again' }));
    await snap(page, 'unavailable');
    expect(readFileSync(join(dataDir, 'vault.sqlite'), 'utf8')).toBe(notAVault);
  });

  it('refuses a page from another origin before the core sees it', async () => {
    // The open page may still have calls on their way; once its document is gone (the navigation
    // has committed), every call it made has reached the host, so the count below is final.
    await page.goto('about:blank');
    const before = host.calls.length;
    const foreign = host.origin.replace('127.0.0.1', 'localhost');
    await page.goto(`${foreign}/index.html`);
    await visible(page.getByText(errorSentences.FORBIDDEN_SENDER));
    expect(host.calls.length).toBe(before);
  });
});
