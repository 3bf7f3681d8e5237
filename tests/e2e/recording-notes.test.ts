// Naming a recording and writing a private note on it, in Chromium against the real core: the
// form opens from the recording's row, saves through main, shows the name in place of the date and
// the note marked as private, and focus comes back to the button that opened it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSummary } from '../../shared/api';
import { call, openVault, recordSeconds, signThroughCore } from './consent-helpers';
import { visible, WAIT_MS } from './helpers';
import { startTestHost, type TestHost } from './host';
import { snap } from './screens';

let host: TestHost;
let page: Page;
let client: ClientSummary;
let recordingId: string;

describe('a recording’s name and private note, in Chromium', () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    page.setDefaultTimeout(WAIT_MS);
    await openVault(host);
    client = await call(host, 'clients.add', {
      displayName: 'Jordan Lee',
      otherParticipants: [],
    });
    await signThroughCore(host, client);
    recordingId = await recordSeconds(host, client.clientId, 2);
    await page.getByRole('button', { name: 'Access log', exact: true }).click();
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    await page.getByRole('button', { name: /^Jordan Lee/ }).click();
    await visible(page.getByRole('heading', { name: 'Jordan Lee', exact: true }));
  });

  afterAll(async () => {
    await host?.close();
  });

  it('names a recording and keeps a private note, sealed through main', async () => {
    const opener = page.getByRole('button', { name: 'Name and note…' });
    await opener.click();
    await visible(page.getByRole('heading', { name: 'Name and private note' }));
    expect(await page.evaluate('document.activeElement?.textContent')).toBe(
      'Name and private note',
    );
    await page.getByLabel('Name for this recording').fill('First session after the move');
    await page
      .getByLabel('Private note', { exact: true })
      .fill('Follow up on sleep and the new job.');
    await snap(page, 'recording-name-note-form');
    await page.getByRole('button', { name: 'Save', exact: true }).click();

    await visible(page.getByRole('heading', { name: 'First session after the move' }));
    await visible(page.getByText('Your private note (never shown to the client)'));
    await visible(page.getByText('Follow up on sleep and the new job.'));
    await visible(page.getByText(/^Session of 14 Mar 2025, 10:30 CET$/));
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Name and note…');
    const detail = await call(host, 'clients.detail', { clientId: client.clientId });
    expect(detail.recordings.find((r) => r.recordingId === recordingId)).toMatchObject({
      title: 'First session after the move',
      privateNote: 'Follow up on sleep and the new job.',
    });
    await snap(page, 'recording-name-note-saved');
  });
});
