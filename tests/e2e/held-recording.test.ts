// A held recording on screen, in Chromium against the real core: its start time is moved in the
// vault file behind the app's back. The client's detail shows it held, with the check that failed,
// and it cannot be played; the banner names it; the clients list and Home mark it held.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openVault, recordSeconds, signThroughCore } from './consent-helpers';
import { visible, WAIT_MS } from './helpers';
import { startTestHost, type TestHost } from './host';
import { snap } from './screens';

let host: TestHost;
let page: Page;

describe('a held recording, in Chromium', () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    page.setDefaultTimeout(WAIT_MS);
    await openVault(host);
  });

  afterAll(async () => {
    await host?.close();
  });

  it('is shown held, with its check, and cannot be played', async () => {
    const client = await call(host, 'clients.add', {
      displayName: 'Sam Rivera',
      otherParticipants: [],
    });
    await signThroughCore(host, client);
    const recordingId = await recordSeconds(host, client.clientId, 3);
    // A second connection on the running vault's file, as a co-worker with the folder would.
    const db = new Database(join(host.dataDir, 'vault.sqlite'));
    try {
      db.prepare('UPDATE recordings SET started_at = started_at + ? WHERE recording_id = ?').run(
        5 * 24 * 60 * 60 * 1000,
        recordingId,
      );
    } finally {
      db.close();
    }

    // Away and back, so the screen reads the clients added through the core.
    await page.getByRole('button', { name: 'Access log', exact: true }).click();
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    // The clients list counts it held, in the client page's words.
    const listed = page.getByTestId('client-held');
    await visible(listed);
    expect(await listed.innerText()).toContain(
      'Held. Recording record changed outside Session Vault',
    );
    await page.getByRole('button', { name: /^Sam Rivera/ }).click();
    const held = page.getByTestId('recording-held');
    await visible(held);
    expect(await held.innerText()).toContain('changed outside Session Vault');
    expect(await held.innerText()).toContain('start time');
    await expect
      .poll(async () => (await page.locator('.recording .why').innerText()).trim())
      .toContain('Cannot be played.');
    await snap(page, 'held-recording-client-detail');

    // Home names it under "Needs attention" and in its row, never with the edited date.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Home' })
      .click();
    const attention = page.locator('.attention-held');
    await visible(attention);
    expect(await attention.innerText()).toContain(
      'Held. Recording record changed outside Session Vault: its start time differs from its signed record.',
    );
    const row = page.getByTestId('library-held');
    await visible(row);
    // Its signed start time, today, not the date five days on written over it.
    await visible(page.locator('.today-list li', { hasText: 'Sam Rivera' }));
    expect(await row.innerText()).toContain('Held. Recording record changed outside Session Vault');
    await snap(page, 'held-recording-home');
  });
});
