// The Clients tab and the practice policy in real Chromium against the real core: find a client
// by name, see each consent state in words, hide archived clients behind a toggle, a revocation
// that crosses another one (refused with a sentence, nothing changed), ending therapy, handing
// the laptop over for client review, and a policy change that makes a new version.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortHash } from '../../shared/consent-text';
import {
  call,
  clientNamed,
  detailOf,
  openVault,
  recordSeconds,
  refusal,
  signThroughCore,
} from './consent-helpers';
import { formAlert, until, visible, WAIT_MS } from './helpers';
import { startTestHost, type TestHost } from './host';
import { snap } from './screens';

let host: TestHost;
let page: Page;

const rows = () => page.locator('.client-row');
const rowOf = (name: string) => rows().filter({ hasText: name });

async function addClient(name: string, others: string[] = []) {
  return call(host, 'clients.add', { displayName: name, otherParticipants: others });
}

describe('clients and the practice policy, in Chromium', () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    page.setDefaultTimeout(WAIT_MS);
    await openVault(host);
    const jordan = await addClient('Jordan Lee');
    await signThroughCore(host, jordan);
    const riley = await addClient('Riley Park', ['Casey Park', 'Morgan Park']);
    await signThroughCore(host, riley);
    await call(host, 'consent.revoke', { clientId: riley.clientId });
    const ada = await addClient('Ada Moss');
    await signThroughCore(host, ada);
    await call(host, 'consent.endTherapy', { clientId: ada.clientId });
    await addClient('Noor Haddad');
    const old = await addClient('Quinn Archer');
    await call(host, 'clients.archive', { clientId: old.clientId, archived: true });
    await page.getByRole('button', { name: 'Access log', exact: true }).click();
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    await visible(rowOf('Jordan Lee'));
  });

  afterAll(async () => {
    await host?.close();
  });

  it('shows each consent state in words, finds by name, and hides the archived', async () => {
    const states = {
      'Jordan Lee': 'Consent active',
      'Riley Park': 'Consent revoked',
      'Ada Moss': 'Therapy ended',
      'Noor Haddad': 'No consent yet',
    };
    for (const [name, words] of Object.entries(states)) {
      expect(await rowOf(name).locator('.pill').first().innerText()).toContain(words);
    }
    expect(await rowOf('Quinn Archer').count()).toBe(0);
    await snap(page, 'clients-list');

    await page.getByLabel('Find a client').fill('park');
    await until('only the Parks to show', async () => (await rows().count()) === 1);
    // Any person in the sessions is found, not only the client's own name.
    await page.getByLabel('Find a client').fill('morgan');
    await until('Riley Park found through Morgan', async () => (await rows().count()) === 1);
    await visible(rowOf('Riley Park'));
    await page.getByLabel('Find a client').fill('nobody here');
    await visible(page.getByText('No client matches “nobody here”.'));
    await page.getByLabel('Find a client').fill('');

    await page.getByLabel('Show archived clients (1)').check();
    await visible(rowOf('Quinn Archer').getByText('Archived'));
    await page.getByLabel('Show archived clients (1)').uncheck();
    await until('Quinn to hide again', async () => (await rowOf('Quinn Archer').count()) === 0);
  });

  it('shows each client’s last session, recordings kept and next destruction, and sorts by them', async () => {
    const blake = await addClient('Blake Stone');
    await signThroughCore(host, blake, { retentionDays: 10 });
    await recordSeconds(host, blake.clientId, 2);
    const jordan = await clientNamed(host, 'Jordan Lee');
    await recordSeconds(host, jordan.clientId, 3);
    await page.getByRole('button', { name: 'Access log', exact: true }).click();
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    await visible(rowOf('Blake Stone').locator('.client-facts'));
    const facts = async (name: string) => rowOf(name).locator('.client-facts').innerText();
    expect(await facts('Jordan Lee')).toMatch(
      /Last session:?\s*14 Mar 2025\s*Recordings kept:?\s*1\s*Next destruction:?\s*13 Apr 2025/,
    );
    expect(await facts('Blake Stone')).toMatch(/Next destruction:?\s*24 Mar 2025/);
    expect(await facts('Noor Haddad')).toMatch(
      /Last session:?\s*None yet\s*Recordings kept:?\s*0\s*Next destruction:?\s*None/,
    );

    const names = async () => (await rows().locator('.client-name').allInnerTexts()).join(', ');
    expect(await names()).toBe('Ada Moss, Blake Stone, Jordan Lee, Noor Haddad, Riley Park');
    await page.getByLabel('Sort by').selectOption('last-session');
    await until('newest session first', async () => (await names()).startsWith('Jordan Lee'));
    expect(await names()).toBe('Jordan Lee, Blake Stone, Ada Moss, Noor Haddad, Riley Park');
    await page.getByLabel('Sort by').selectOption('next-destruction');
    await until('soonest destruction first', async () => (await names()).startsWith('Blake'));
    expect(await names()).toBe('Blake Stone, Jordan Lee, Ada Moss, Noor Haddad, Riley Park');
    await snap(page, 'clients-list-sorted');
    await page.getByLabel('Sort by').selectOption('name');
  });

  it('refuses a name left empty when adding a client, with a sentence', async () => {
    await page.getByRole('button', { name: 'Add a client' }).click();
    await page.getByRole('button', { name: 'Add client', exact: true }).click();
    await visible(formAlert(page).getByText('Write the client’s name.'));
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('refuses a revocation that crossed another one, and changes nothing', async () => {
    const jordan = await clientNamed(host, 'Jordan Lee');
    await rowOf('Jordan Lee')
      .getByRole('button', { name: /^Jordan Lee/ })
      .click();
    await visible(page.getByRole('heading', { name: 'Jordan Lee', exact: true }));
    await page.getByRole('button', { name: 'Revoke consent' }).click();
    await visible(page.getByRole('heading', { name: 'Revoke consent?' }));
    // Meanwhile the client revoked in their own review: this screen is now out of date.
    await call(host, 'consent.revoke', { clientId: jordan.clientId });
    const before = await detailOf(host, jordan.clientId);
    await page.getByRole('button', { name: 'Yes, revoke consent' }).click();
    await visible(page.getByText('Consent was already revoked on 14 Mar 2025. Nothing changed.'));
    expect(await detailOf(host, jordan.clientId)).toEqual(before);
    await visible(page.locator('.consent-card .pill').getByText('Consent revoked'));
    const again = await refusal(host, 'consent.revoke', { clientId: jordan.clientId });
    expect(again.message).toBe('Consent was already revoked on 14 Mar 2025. Nothing changed.');
  });

  it('ends therapy after a confirm that says what the terms will do', async () => {
    await page.getByRole('button', { name: 'End therapy' }).click();
    await visible(page.getByText('No new recordings or consent can be made.', { exact: false }));
    await page.getByRole('button', { name: 'Yes, end therapy' }).click();
    await visible(page.locator('.consent-card .pill').getByText('Therapy ended'));
    const wizard = page.getByRole('button', { name: 'Change the terms' });
    expect(await wizard.isDisabled()).toBe(true);
    await visible(page.getByText('so no new consent can be signed.', { exact: false }));
  });

  it('changes the practice policy as a new version, shown with its fingerprint and date', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Practice recording policy' }));
    const first = await call(host, 'policy.get');
    await visible(page.getByText(shortHash(first.policyHash)).first());
    const field = page.getByLabel('Policy text');
    await field.fill('Too short.');
    await page.getByRole('button', { name: 'Make this the new version' }).click();
    await visible(page.getByText('Write the policy in a few sentences.', { exact: false }));
    await field.fill(
      'We record a session only when every person in the room has signed. Recordings stay on the practice laptop, locked, and are destroyed on the date the consent sets.',
    );
    await page.getByRole('button', { name: 'Make this the new version' }).click();
    const second = await until('a new policy version', async () => {
      const now = await call(host, 'policy.get');
      return now.policyHash !== first.policyHash;
    }).then(() => call(host, 'policy.get'));
    expect(second.versions).toHaveLength(2);
    await visible(page.locator('.policy-version').getByText(shortHash(second.policyHash)));
    await visible(page.getByText('(earlier)'));
    await visible(page.getByText('Each recording is destroyed 30 days after it is made.'));
    expect(await page.getByLabel('Lock after this many idle minutes').inputValue()).toBe('10');
    await snap(page, 'settings-policy');
  });

  it('opens an earlier policy version to read, and says a bad day count beside its field', async () => {
    const versions = page.locator('.policy-version-item');
    await until('two versions', async () => (await versions.count()) === 2);
    const earlier = versions.filter({ hasText: '(earlier)' });
    await earlier.locator('summary').click();
    await visible(earlier.locator('.policy-version-text'));
    expect(await earlier.locator('.policy-version-text').innerText()).toContain(
      'Recordings of sessions are for the client',
    );

    const form = page.getByRole('form', { name: 'Default terms' });
    const retention = form.getByLabel('Keep each recording for this many days');
    await retention.fill('0');
    expect(await retention.getAttribute('aria-invalid')).toBe('true');
    const hintId = ((await retention.getAttribute('aria-describedby')) ?? '').split(' ')[0];
    expect(await page.locator(`[id="${hintId}"]`).innerText()).toBe(
      'Keep recordings for between 1 day and 10 years.',
    );
    // Saving sends nothing while a field says what is wrong.
    await form.getByRole('button', { name: 'Save default terms' }).click();
    expect(host.calls).not.toContain('policy.setDefaults');
    await snap(page, 'settings-field-error-and-policy-version');
    await retention.fill('30');
    expect(await retention.getAttribute('aria-invalid')).toBe('false');
  });

  it('hands the laptop to a client for review after asking how long', async () => {
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    await rowOf('Riley Park')
      .getByRole('button', { name: /^Riley Park/ })
      .click();
    await page.getByRole('button', { name: 'Start client review' }).click();
    const minutes = page.getByLabel('Longest review, in minutes');
    expect(await minutes.inputValue()).toBe('30');
    await minutes.fill('3');
    await page.getByRole('button', { name: 'Lock and hand over' }).click();
    await visible(page.getByText('Choose a whole number of minutes from 5 to 240.'));
    await minutes.fill('20');
    await page.getByRole('button', { name: 'Lock and hand over' }).click();
    await until('the vault to wait for the client', async () => {
      const status = await call(host, 'vault.status');
      return status.pendingReview?.displayName === 'Riley Park';
    });
    expect(host.calls).toContain('review.start');
    await until(
      'the client review PIN screen',
      async () => (await page.getByRole('heading', { name: 'Clients', exact: true }).count()) === 0,
    );
  });
});
