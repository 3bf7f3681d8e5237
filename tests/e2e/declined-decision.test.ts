// The declined path: a therapist and client who decide not to record (or to use an alternative)
// note the decision on the client's page; it is kept in the client's file, logged, and printable.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientDetail, ClientSummary } from '../../shared/api';
import { SLOW_WAIT_MS, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import { callerFor, PASSPHRASE, type Dispatch } from './record-helpers';
import { snap } from './screens';

let host: TestHost;
let page: Page;
let call: Dispatch;
let clientId = '';

describe('a decision without recording', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    call = callerFor(host.core.dispatch);
    await call('vault.create', {
      practiceName: 'Riverside Counselling',
      therapistName: 'Dr. Jane Example',
      passphrase: PASSPHRASE,
    });
    const client = (await call('clients.add', {
      displayName: 'Sam Example',
      otherParticipants: [],
    })) as ClientSummary;
    clientId = client.clientId;
    await page.reload();
  });

  afterAll(async () => {
    await host?.close();
  });

  it('is noted with its reasons and what was agreed, kept in the file and the log', async () => {
    await visible(page.getByRole('button', { name: 'Clients', exact: true }), SLOW_WAIT_MS);
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    await page
      .getByRole('button', { name: /Sam Example/ })
      .first()
      .click();
    await visible(page.getByRole('heading', { name: 'Decisions without recording' }));

    // Nothing filled in: a sentence, and nothing stored.
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await visible(page.getByText('Write the reasons you talked through.'));
    let detail = (await call('clients.detail', { clientId })) as ClientDetail;
    expect(detail.decisions).toEqual([]);

    await page
      .getByLabel('The reasons we talked through')
      .fill('Sam worried a recording could be found at home. We talked about the risks.');
    await page
      .getByLabel('What we agreed')
      .fill('No recording. We write two takeaways together at the end of each session.');
    await page.getByLabel('An alternative was chosen instead of recording').check();
    await page.getByRole('button', { name: 'Save the decision' }).click();
    await visible(page.getByText('Tick the alternative that was chosen.'));
    await page.getByRole('checkbox', { name: 'Written takeaways' }).check();
    await page.getByRole('button', { name: 'Save the decision' }).click();
    const item = page.getByTestId('decision');
    await visible(item);
    expect(await item.innerText()).toContain(
      'Instead of recording sessions, we chose written takeaways.',
    );
    await snap(page, 'declined-decision');

    detail = (await call('clients.detail', { clientId })) as ClientDetail;
    expect(detail.decisions).toHaveLength(1);
    expect(detail.decisions[0]).toMatchObject({
      outcome: 'alternatives',
      alternatives: { writtenTakeaways: true, closingVoiceNotes: false },
      decidedAt: host.clock.now(),
    });
    type Page = {
      entries: { action: string; reason: string | null }[];
      indexing: { done: number; total: number } | null;
    };
    // The log's index is built beside main (a worker): ask again until it is complete.
    let log: Page = { entries: [], indexing: null };
    await until('the log index to be complete', async () => {
      log = (await call('audit.query', { subject: clientId, limit: 20 })) as Page;
      return !log.indexing || log.indexing.done >= log.indexing.total;
    });
    expect(log.entries.map((e) => e.action)).toContain('consent.decision');
    // The sealed text never reaches the log.
    expect(JSON.stringify(log)).not.toContain('found at home');

    // Printable: in print, the chosen decision is what shows.
    await page.evaluate(`window.print = () => {}`);
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(
      `document.querySelector('[data-testid="decision"]').classList.add('print-sheet')`,
    );
    expect(await item.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });
});
