// Home, the therapist's first screen, in Chromium against the real core: the empty first day says
// what to do first; a working day shows today's recordings, every recording kept with its
// countdown, the consents that need a conversation, and a tamper alarm; all from the one-call
// library, the client list and the policy, never one call per client.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSummary } from '../../shared/api';
import { call, recordSeconds, signThroughCore } from './consent-helpers';
import { SLOW_WAIT_MS, visible, WAIT_MS } from './helpers';
import { startTestHost, type TestHost } from './host';
import { snap } from './screens';

let host: TestHost;
let page: Page;

const heading = (name: string) => page.getByRole('heading', { name, exact: true });
const attention = () => page.locator('.attention-list > li');
const attentionOf = (name: string) => attention().filter({ hasText: name });

async function addClient(name: string): Promise<ClientSummary> {
  return call(host, 'clients.add', { displayName: name, otherParticipants: [] });
}

/** Goes to another tab and back, so Home reads main again. */
async function reopenHome(): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Settings' }).click();
  await visible(heading('Settings'));
  await nav.getByRole('button', { name: 'Home' }).click();
  await visible(heading('Home'));
}

describe('Home, in Chromium', () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    page.setDefaultTimeout(WAIT_MS);
    await call(host, 'vault.create', {
      practiceName: 'Riverside Counselling',
      therapistName: 'Dr. Jane Example',
      passphrase: 'copper heron tidal lantern 47',
    });
    await page.clock.setFixedTime(host.clock.now());
    await page.reload();
  });

  afterAll(async () => {
    await host?.close();
  });

  it('is the first screen and first tab, and the empty first day says what to do first', async () => {
    await visible(heading('Home'), SLOW_WAIT_MS);
    expect(await page.title()).toBe('Home · Session Vault');
    const tabs = page.getByRole('navigation', { name: 'Main' }).getByRole('button');
    expect(await tabs.first().innerText()).toBe('Home');
    expect(await tabs.first().getAttribute('aria-current')).toBe('page');
    expect(await page.evaluate('document.activeElement?.id')).toBe('home-title');
    await visible(heading('Your first day: three steps'));
    await visible(page.getByText('Add your first client.'));
    await snap(page, 'home-first-day');

    await page.getByRole('button', { name: 'Open Settings' }).click();
    await visible(heading('Settings'));
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'Home' })
      .click();
    await page.getByRole('button', { name: 'Go to Clients' }).click();
    await visible(heading('Clients'));
  });

  it('shows today, every kept recording with its countdown, and what needs attention', async () => {
    const jordan = await addClient('Jordan Lee');
    await signThroughCore(host, jordan);
    await recordSeconds(host, jordan.clientId, 3);
    const riley = await addClient('Riley Park');
    await signThroughCore(host, riley);
    await call(host, 'consent.revoke', { clientId: riley.clientId });
    await addClient('Noor Haddad');
    const ada = await addClient('Ada Moss');
    await signThroughCore(host, ada, { termination: { action: 'keep-for-review', days: 14 } });
    await recordSeconds(host, ada.clientId, 2);
    await call(host, 'consent.endTherapy', { clientId: ada.clientId });
    const sam = await addClient('Sam Quill');
    await signThroughCore(host, sam, { retentionDays: 5 });
    await recordSeconds(host, sam.clientId, 2);
    // A new policy version: Jordan's and Sam's consents were signed under the earlier one.
    await call(host, 'policy.set', {
      text: 'We record only to help you listen again. Recordings stay on this laptop and are destroyed on the agreed date.',
    });

    // Countdowns are drawn from the page's clock; the core's moved on while recording.
    await page.clock.setFixedTime(host.clock.now());
    await reopenHome();
    await visible(attentionOf('Noor Haddad'));
    expect(await attentionOf('Noor Haddad').innerText()).toContain('No consent yet');
    expect(await attentionOf('Riley Park').innerText()).toContain('Consent revoked on');
    expect(await attentionOf('Ada Moss').innerText()).toMatch(
      /Therapy ended\. The client may listen until \d+ \w+ \d{4}/,
    );
    expect(await attentionOf('Jordan Lee').innerText()).toContain(
      'earlier version of the practice policy',
    );
    const samLines = await attentionOf('Sam Quill').allInnerTexts();
    expect(samLines.join('\n')).toContain('1 recording is destroyed within a week');

    const today = page.locator('.today-list > li');
    expect(await today.count()).toBe(3);
    // Local time with its zone: the test host runs in Europe/Berlin.
    expect(await today.first().innerText()).toMatch(/\d\d:\d\d CES?T/);

    const rows = page.locator('.home-table tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.filter({ hasText: 'Sam Quill' }).innerText()).toContain(
      'Destroyed in 5 days',
    );
    expect(await rows.filter({ hasText: 'Jordan Lee' }).innerText()).toContain(
      'Destroyed in 30 days',
    );
    expect(await heading('Recordings kept (3)').count()).toBe(1);
    await snap(page, 'home-day');

    await attentionOf('Noor Haddad').getByRole('button', { name: 'Noor Haddad' }).click();
    await visible(heading('Noor Haddad'));
    await page.getByRole('button', { name: 'Back to Home' }).click();
    await visible(heading('Home'));
  });

  it('names a recording by the title the therapist gave it, in today and in the table', async () => {
    const { recordings } = await call(host, 'recordings.library');
    const jordans = recordings.find((r) => r.clientDisplayName === 'Jordan Lee')!;
    await call(host, 'recording.annotate', {
      recordingId: jordans.recordingId,
      title: 'Anxiety plan',
    });
    await reopenHome();
    const todayRow = page.locator('.today-list > li').filter({ hasText: 'Jordan Lee' });
    await visible(todayRow.getByText('Anxiety plan'));
    expect(await todayRow.innerText()).toMatch(/^\d\d:\d\d CES?T Jordan Lee · Anxiety plan · /);
    const tableRow = page.locator('.home-table tbody tr').filter({ hasText: 'Jordan Lee' });
    expect(await tableRow.locator('td').first().innerText()).toMatch(
      /^Anxiety plan\n\d{1,2} \w{3} \d{4}, \d\d:\d\d CES?T$/,
    );
    // The others have no title: the time says which they are.
    const samRow = page.locator('.home-table tbody tr').filter({ hasText: 'Sam Quill' });
    expect(await samRow.locator('td').first().innerText()).toMatch(
      /^\d{1,2} \w{3} \d{4}, \d\d:\d\d CES?T$/,
    );
    await snap(page, 'home-titles');
  });

  it('says a tamper alarm at the top of Home', async () => {
    const jordan = (await call(host, 'clients.list')).clients.find(
      (c) => c.displayName === 'Jordan Lee',
    )!;
    const db = new Database(join(host.dataDir, 'vault.sqlite'));
    try {
      const keyId = `ck/${jordan.clientId}/mk`;
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
    await reopenHome();
    const banner = page.locator('.home .integrity-banner');
    await visible(banner);
    expect(await banner.innerText()).toContain('changed outside Session Vault');
    await snap(page, 'home-alarm');
  });
});
