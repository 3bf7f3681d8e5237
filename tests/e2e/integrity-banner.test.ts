// A tamper alarm on screen, in Chromium against the real core: one client's key row is changed in
// the vault file behind the app's back. The therapist's client list still shows everyone else and
// a banner names the damaged client; the access-log screen shows the same banner.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openVault } from './consent-helpers';
import { visible, WAIT_MS } from './helpers';
import { startTestHost, type TestHost } from './host';
import { snap } from './screens';

let host: TestHost;
let page: Page;

describe('a tamper alarm, in Chromium', () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    page.setDefaultTimeout(WAIT_MS);
    await openVault(host);
  });

  afterAll(async () => {
    await host?.close();
  });

  it('names the damaged client above the list, and the others stay listed', async () => {
    await call(host, 'clients.add', {
      displayName: 'Jordan Lee',
      otherParticipants: [],
    });
    const damaged = await call(host, 'clients.add', {
      displayName: 'Riley Park',
      otherParticipants: [],
    });
    // A second connection on the running vault's file, as a co-worker with the folder would.
    const db = new Database(join(host.dataDir, 'vault.sqlite'));
    try {
      const keyId = `ck/${damaged.clientId}/mk`;
      const row = db.prepare('SELECT ciphertext FROM wrapped_keys WHERE key_id = ?').get(keyId) as {
        ciphertext: Buffer;
      };
      row.ciphertext[2] = row.ciphertext[2]! ^ 0x10;
      db.prepare('UPDATE wrapped_keys SET ciphertext = ? WHERE key_id = ?').run(
        row.ciphertext,
        keyId,
      );
    } finally {
      db.close();
    }

    await page.getByRole('button', { name: 'Access log', exact: true }).click();
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    const banner = page.locator('.integrity-banner');
    await visible(banner);
    const text = await banner.innerText();
    expect(text).toContain('changed outside Session Vault');
    expect(text).toContain(`Client ${damaged.clientId}`);
    await visible(page.locator('.client-row').filter({ hasText: 'Jordan Lee' }));
    expect(await page.locator('.client-row').filter({ hasText: 'Riley Park' }).count()).toBe(0);
    await snap(page, 'integrity-banner-clients');

    await page.getByRole('button', { name: 'Access log', exact: true }).click();
    await visible(page.locator('.integrity-banner'));
    await snap(page, 'integrity-banner-access-log');
  });
});
