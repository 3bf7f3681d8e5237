// The consent a board would sign off, through the screens: the practice's details in Settings
// (each error beside its field), a couple walking the wizard with closing voice notes, the signed
// form printed to a tagged PDF and read back with poppler (pdftotext, pdfinfo, pdftoppm), and the
// sign step listing each recording whose destruction date new terms would move.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, formatDate } from '../../shared/format';
import { withDocumentInfo } from '../../electron/pdf-document-info';
import {
  call,
  clientNamed,
  detailOf,
  next,
  openVault,
  recordSeconds,
  refusedWith,
  signAs,
} from './consent-helpers';
import { visible, WAIT_MS } from './helpers';
import { startTestHost, type TestHost } from './host';
import { screenshotDir, snap } from './screens';

const practice = {
  name: 'Riverside Counselling',
  address: '12 Mill Lane, Hebden Bridge HX7 8AB',
  phone: '+44 1422 555 010',
  therapist: 'Dana Reyes',
  licenceKind: 'Registered Counsellor',
  licenceNumber: 'BACP 0042917',
  jurisdiction: 'United Kingdom',
};
const couple = { name: 'Alex Example', partner: 'Robin Example', pin: '482915' };

let host: TestHost;
let page: Page;
let clientId = '';

const heading = (name: string | RegExp) => page.getByRole('heading', { name, level: 1 });

async function openClient() {
  await page.getByRole('button', { name: 'Clients', exact: true }).click();
  await page.getByRole('button', { name: new RegExp(`^${couple.name}`) }).click();
  await visible(heading(couple.name));
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}`);
  return result.stdout;
}

describe('a consent form a board would sign off', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    page.setDefaultTimeout(WAIT_MS);
    await openVault(host);
  });

  afterAll(async () => {
    await host?.close();
  });

  it('Settings takes the practice’s address, phone and the licence, each error beside its field', async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const form = page.getByRole('form', { name: 'The practice and you' });
    await visible(form);
    await form.getByLabel('Practice phone').fill('call us');
    await form.getByLabel('Your name').fill('   ');
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(
      form.getByText('Write the phone number with digits, spaces, + ( ) - . or / only.'),
    );
    await visible(form.getByText('Write a name.'));
    expect(await form.getByLabel('Practice phone').getAttribute('aria-invalid')).toBe('true');
    // The keyboard lands on the first field to fix.
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-invalid")')).toBe(
      'true',
    );
    expect(await page.evaluate('document.activeElement?.id')).toBe(
      await form.getByLabel('Practice phone').getAttribute('id'),
    );
    await snap(page, 'settings-practice-errors');

    await form.getByLabel('Practice address').fill(practice.address);
    await form.getByLabel('Practice phone').fill(practice.phone);
    await form.getByLabel('Your name').fill(practice.therapist);
    await form.getByLabel('Licence type').fill(practice.licenceKind);
    await form.getByLabel('Licence number').fill(practice.licenceNumber);
    await form.getByLabel('State or country of the licence').fill(practice.jurisdiction);
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(form.getByText('Saved. New printouts of a consent show these details.'));
    await snap(page, 'settings-practice-saved');
    expect(await call(host, 'settings.practice')).toMatchObject({
      practiceName: practice.name,
      therapistName: practice.therapist,
      licence: { number: practice.licenceNumber },
    });
  });

  it('a couple walks the wizard with closing voice notes, and signs', async () => {
    await call(host, 'clients.add', {
      displayName: couple.name,
      otherParticipants: [couple.partner],
    });
    clientId = (await clientNamed(host, couple.name)).clientId;
    await openClient();
    await page.getByRole('button', { name: 'Walk through consent' }).click();
    await visible(page.getByText('Step 1 of 9', { exact: true }));
    await page.getByLabel('To listen again to what we talked about').check();
    await page.getByLabel('To share with family').check();
    await next(page, 2);
    await next(page, 3);
    await next(page, 4);
    await page.getByLabel('We understand that recordings stay on this laptop only.').check();
    await page.getByLabel('We agree not to share or copy the recordings.').check();
    await next(page, 5);
    await page.getByLabel('Keep each recording for this many days').fill('30');
    await next(page, 6);
    await page
      .getByLabel('Only stop new recordings; keep the ones made until their end date')
      .check();
    // A couple: one person's revocation destroys every shared recording, said on this step.
    await visible(page.getByText(/when any one of you revokes/));
    await next(page, 7);
    await page.getByLabel('The risks were explained, and we understand them.').check();
    await page.getByLabel('We understand that care does not depend on agreeing to record.').check();
    await page.getByLabel(/^Closing voice notes: up to 2 minutes/).check();
    await page.getByLabel('The therapist may listen to a voice note').check();
    await page.getByLabel('Keep each voice note for this many days').fill('14');
    await page.getByLabel('Keep them a little longer for the client, then destroy them').check();
    await page.getByLabel('Days to keep voice notes after therapy ends').fill('10');
    await page.getByLabel('The client has a guardian, who signs for them').check();
    await page.getByLabel('How they are related to the client').fill('legal guardian');
    await snap(page, 'wizard-voice-note-fields');
    // The guardian's name is missing: the step says so and stays.
    await refusedWith(page, 'Write a name.', 7);
    await page.getByLabel('The client signs for themselves').check();
    await next(page, 8);
    await page.getByLabel('Choose a PIN of 6 or more digits').fill(couple.pin);
    await page.getByLabel('Type the PIN again').fill(couple.pin);
    await next(page, 9);
    await signAs(page, couple.name, couple.name, 'draw');
    await signAs(page, couple.partner, couple.partner, 'typed-only');
    await signAs(page, 'the therapist', practice.therapist, 'draw');
    await page.getByRole('button', { name: 'Sign consent' }).click();
    await visible(heading('Consent signed'));

    const detail = await detailOf(host, clientId);
    expect(detail.terms).toMatchObject({
      retentionDays: 30,
      revocation: { destroys: 'future-only' },
      participantRevocation: 'destroys-shared-recordings',
      representative: null,
      recordingKinds: {
        sessions: true,
        voiceNotes: {
          whoMayPlay: { client: true, therapist: true },
          retentionDays: 14,
          termination: { action: 'keep-for-review', days: 10 },
        },
      },
    });
  });

  it('prints to a tagged PDF with an outline, its header, sections and page lines', async () => {
    const detail = await detailOf(host, clientId);
    const consentId = detail.terms!.consentId;
    expect(await page.title()).toBe(`Consent — ${couple.name} — version 1`);
    expect(await page.locator('meta[name="author"]').getAttribute('content')).toBe(practice.name);

    const folder = join(screenshotDir, 'consent-pdf');
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'consent.pdf');
    const printed = await page.pdf({ format: 'A4', tagged: true, outline: true });
    // As the app's consent.savePdf does after printToPDF: the practice as the file's author.
    writeFileSync(
      file,
      withDocumentInfo(new Uint8Array(printed), {
        title: `Consent — ${couple.name} — version 1`,
        author: practice.name,
      }),
    );

    const text = run('pdftotext', [file, '-']).replace(/\s+/g, ' ');
    for (const expected of [
      practice.name,
      practice.address,
      practice.phone,
      practice.therapist,
      practice.licenceKind,
      `no. ${practice.licenceNumber}`,
      practice.jurisdiction,
      couple.name,
      couple.partner,
      'Page 1 of',
      `${couple.name} · consent ${consentId}`,
      'If this laptop is lost or stolen',
      'this practice answers by letting you listen',
      'If your therapist leaves or the practice closes',
      'Your clinical record, and a copy of it',
      'must keep what they hear private',
      'Who signs',
      'when any one of you revokes',
      'encrypted',
      'Version 1,',
    ])
      expect(text).toContain(expected);
    // The signing time, with its zone (the host runs in Europe/Berlin).
    expect(text).toMatch(/Signed \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d (CET|CEST)/);
    expect(text).not.toContain('UTC');
    // The talk-through reason is not offered as a purpose above "not for sharing".
    expect(text).not.toContain('To share with family');
    expect(text).toContain('We also talked about wanting family to hear a session');
    const pages = Number(/Page 1 of (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(text).toContain(`Page ${pages} of ${pages}`);

    const info = run('pdfinfo', [file]);
    expect(info).toMatch(/Tagged:\s+yes/);
    expect(info).toMatch(new RegExp(`^Title:\\s+Consent — ${couple.name} — version 1$`, 'm'));
    expect(info).toMatch(new RegExp(`^Author:\\s+${practice.name}$`, 'm'));
    expect(info).toMatch(new RegExp(`^Pages:\\s+${pages}$`, 'm'));
    expect(info).not.toMatch(/Suspects:\s+yes/);

    run('pdftoppm', ['-png', '-r', '60', file, join(folder, 'consent-page')]);
    expect(readdirSync(folder).filter((name) => name.endsWith('.png'))).toHaveLength(pages);
  });

  it('new terms that move a destruction date list each recording with both dates', async () => {
    await page.getByRole('button', { name: 'Back to client' }).click();
    await visible(heading(couple.name));
    const recordedAt = host.clock.now();
    await recordSeconds(host, clientId, 3);
    await openClient();
    await page.getByRole('button', { name: 'Change the terms' }).click();
    await visible(page.getByText('Step 1 of 9', { exact: true }));
    await next(page, 2);
    await next(page, 3);
    await next(page, 4);
    await page.getByLabel('We understand that recordings stay on this laptop only.').check();
    await page.getByLabel('We agree not to share or copy the recordings.').check();
    await next(page, 5);
    await page.getByLabel('Keep each recording for this many days').fill('60');
    await next(page, 6);
    await next(page, 7);
    await page.getByLabel('The risks were explained, and we understand them.').check();
    await page.getByLabel('We understand that care does not depend on agreeing to record.').check();
    await next(page, 8);
    await next(page, 9);
    const moved = page.getByTestId('moved-dates');
    await visible(moved);
    const said = (await moved.innerText()).replace(/\s+/g, ' ');
    expect(said).toContain('One recording gets a new date.');
    expect(said).toContain(
      `destroyed on ${formatDate(addDays(recordedAt, 30))} now, on ${formatDate(addDays(recordedAt, 60))} under the new terms`,
    );
    await snap(page, 'wizard-moved-dates');
  });
});
