// The access log in real Chromium against the real core: the therapist adds an auditor and
// reveals client names (logged), the auditor signs in from the lock screen, filters and pages the
// log, exports CSV, FHIR AuditEvents and a signed bundle through the UI (main writes the files; the page downloads
// nothing), and the offline verifier accepts the bundle (same fingerprint as the screen showed) and
// names the entry in a tampered copy. Everything else
// is refused to the auditor, whatever the page sends.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaultApi } from '../../shared/api';
import { errorSentences } from '../../shared/errors';
import { uiText } from '../../shared/ui-text';
import { fhirProblems, loadFhirR4 } from '../unit/helpers/fhir-validation';
import { formAlert, SLOW_WAIT_MS, until, visible, fromHomeToClients } from './helpers';
import { exportFolder, repoRoot, startTestHost, type TestHost } from './host';
import { snap } from './screens';

const therapistPassphrase = 'copper heron tidal lantern 47';
const auditorName = 'Pat Auditor';
const auditorPassphrase = 'granite meadow lighthouse violet 31';
const cli = join(repoRoot, 'bin/session-vault-audit.mjs');
/** More than one export page (up to 2,000 entries), so the progress bar has somewhere to be. */
const seededRenames = 5_400;

let host: TestHost;
let page: Page;
let clientId = '';

type Dispatched = { ok: true; value: unknown } | { ok: false; error: { code: string } };
async function dispatch<T>(channel: string, request: object): Promise<T> {
  const result = (await host.core.dispatch(channel, request)) as Dispatched;
  if (!result.ok) throw new Error(`${channel} refused: ${result.error.code}`);
  return result.value as T;
}

const rows = () => page.locator('.log-screen tbody tr');
const summary = () => page.getByTestId('log-summary');
const filter = (label: string) => page.getByRole('search').getByLabel(label, { exact: true });

function verify(file: string): { status: number | null; stdout: string } {
  const run = spawnSync(process.execPath, [cli, 'verify', file], { encoding: 'utf8' });
  return { status: run.status, stdout: `${run.stdout}${run.stderr}` };
}

/** Every row's text in one column (1-based), for the page shown. */
async function column(n: number): Promise<string[]> {
  return page.locator(`.log-screen tbody tr td:nth-child(${n})`).allInnerTexts();
}

/** Counts the page's own downloads from now on: an export must never be one. */
function watchDownloads(): { count: () => number; stop: () => void } {
  let seen = 0;
  const onDownload = () => (seen += 1);
  page.on('download', onDownload);
  return { count: () => seen, stop: () => void page.off('download', onDownload) };
}

async function settled(): Promise<void> {
  await until('the log page to settle', async () => {
    return (await summary().getAttribute('aria-busy')) === 'false';
  });
}

// Thousands of entries are written, checked, filtered and exported: more than the default minute
// per test on a loaded machine.
describe('access log and auditors in Chromium', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    if (!existsSync(join(repoRoot, 'out/cli/session-vault-audit.mjs'))) {
      const built = spawnSync(process.execPath, [join(repoRoot, 'scripts/build-cli.mjs')], {
        stdio: 'inherit',
      });
      if (built.status !== 0) throw new Error('could not build the audit CLI');
    }
    mkdirSync(exportFolder, { recursive: true });
    host = await startTestHost();
    page = host.page;
    await dispatch('vault.create', {
      practiceName: 'Riverside Counselling',
      therapistName: 'Dr. Jane Example',
      passphrase: therapistPassphrase,
    });
    await page.reload();
    await fromHomeToClients(page, SLOW_WAIT_MS);
    await visible(page.getByRole('heading', { name: 'Clients' }), SLOW_WAIT_MS);
  });

  afterAll(async () => {
    await host?.close();
  });

  it('adds an auditor from the Auditors tab, with the strength meter and a repeat', async () => {
    await page.getByRole('button', { name: 'Auditors', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Auditors', level: 1 }));
    await visible(page.getByText('No auditors yet.'));
    const add = page.getByRole('button', { name: 'Add auditor' });
    await page.getByLabel('Sign-in name').fill(auditorName);
    await page.getByLabel('Auditor’s passphrase', { exact: true }).fill('short');
    expect(await add.isDisabled()).toBe(true);
    await page.getByLabel('Auditor’s passphrase', { exact: true }).fill(auditorPassphrase);
    await page.getByLabel('Repeat auditor’s passphrase').fill(`${auditorPassphrase}x`);
    expect(await add.isDisabled()).toBe(true);
    await page.getByLabel('Repeat auditor’s passphrase').fill(auditorPassphrase);
    expect(await page.getByRole('meter').getAttribute('aria-valuetext')).toMatch(/Good|Strong/);
    await add.click();
    await visible(page.locator('.saved-note', { hasText: `${auditorName} can now sign in` }));
    await visible(
      page.getByRole('button', {
        name: new RegExp(`^Remove Auditor ${auditorName} \\([0-9a-f]{6}…\\)$`),
      }),
    );
    expect(await page.locator('.auditors-table tbody tr').count()).toBe(1);
    // The name is not kept in the clear: it comes from the list sealed to the audit key, as the
    // access log shows it, beside the pseudonymous id.
    expect(await page.locator('.auditors-table').innerText()).toContain(auditorName);
    await snap(page, 'auditors-tab');
  });

  it('reveals the client names behind the ids, and logs it before answering', async () => {
    const robin = await dispatch<{ clientId: string }>('clients.add', {
      displayName: 'Robin Example',
      otherParticipants: [],
    });
    clientId = robin.clientId;
    await dispatch('clients.add', { displayName: 'Sam Sample', otherParticipants: [] });
    // Refused without consent: a refused entry about this client.
    const refused = await host.core.dispatch('recording.start', {
      clientId,
      reconfirmedAloud: true,
    });
    expect(refused.ok).toBe(false);
    // A channel name that a spreadsheet would run as a formula: logged as the refused subject.
    await host.core.dispatch('=HYPERLINK("http://x"),1', {});
    for (let i = 0; i < seededRenames; i += 1) {
      await dispatch('clients.rename', { clientId, displayName: 'Robin Example' });
    }

    await page.getByRole('button', { name: 'Reveal client names' }).click();
    const reveal = page.getByTestId('reveal');
    await visible(reveal);
    const notice = await reveal.getByRole('status').innerText();
    expect(notice).toMatch(/written to the access log \(entry [\d,]+\)/);
    const loggedAs = Number(/entry ([\d,]+)/.exec(notice)![1]!.replaceAll(',', ''));
    const table = await reveal.locator('tbody tr').allInnerTexts();
    expect(table).toHaveLength(2);
    expect(table.join('\n')).toContain(clientId);
    expect(table.join('\n')).toContain('Robin Example');
    const logged = await dispatch<{ entries: { seq: number; action: string }[] }>('audit.query', {
      action: 'audit.revealClients',
      limit: 5,
    });
    expect(logged.entries.map((entry) => entry.seq)).toEqual([loggedAs]);
    await snap(page, 'auditors-reveal');
  });

  it('signs in as the auditor from the lock screen; wrong name or passphrase read the same', async () => {
    await page.getByRole('button', { name: 'Lock', exact: true }).click();
    await visible(page.getByRole('heading', { name: uiText.lockedTitle }));
    await page.getByRole('button', { name: 'Sign in as an auditor' }).click();
    await visible(page.getByRole('heading', { name: 'Sign in as an auditor' }));
    await snap(page, 'auditor-sign-in');
    // The wait after the third wrong try (1 s here) is counted down by the page's clock: hold
    // it at the core's, so a slow machine cannot use the wait up before it is looked at.
    await page.clock.setFixedTime(host.clock.now());

    const signIn = page.getByRole('button', { name: 'Sign in to the access log' });
    const attempts = [
      ['Someone Else', auditorPassphrase],
      [auditorName, 'not the passphrase at all'],
      [auditorName, 'still not the passphrase'],
    ] as const;
    const sentences: string[] = [];
    for (const [name, passphrase] of attempts) {
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
      await signIn.click();
      await until('the refusal', async () => (await formAlert(page).innerText()) !== '');
      sentences.push(await formAlert(page).innerText());
      await until(
        'the field to clear',
        async () => (await page.getByLabel('Passphrase', { exact: true }).inputValue()) === '',
      );
    }
    expect(new Set(sentences)).toEqual(new Set([errorSentences.WRONG_CREDENTIAL]));
    // The third wrong try starts the growing delay (1 s here), shown as a countdown.
    expect(await signIn.isDisabled()).toBe(true);
    expect(await page.getByTestId('auditor-countdown').innerText()).toMatch(/^Too many tries\./);

    host.clock.advance(5_000);
    await page.clock.setFixedTime(host.clock.now());
    await until('the button to wake up', () => signIn.isEnabled());
    await page.getByLabel('Name', { exact: true }).fill(auditorName);
    await page.getByLabel('Passphrase', { exact: true }).fill(auditorPassphrase);
    await signIn.click();
    await visible(
      page.getByRole('heading', { name: 'Access log — signed in as auditor' }),
      SLOW_WAIT_MS,
    );
  });

  it('shows the log to the auditor: intact, with the fingerprint, paged 100 at a time', async () => {
    // Checking every entry and checkpoint of a log this long takes seconds under load.
    await visible(page.locator('.verdict-ok'), SLOW_WAIT_MS);
    expect(await page.locator('.verdict').innerText()).toMatch(
      /The access log is intact: [\d,]+ entries and \d+ signed checkpoints checked\.$/,
    );
    expect(await page.getByTestId('verify-fingerprint').innerText()).toMatch(
      /^[0-9a-f]{4}( [0-9a-f]{4}){7}$/,
    );
    await settled();
    expect(await rows().count()).toBe(100);
    expect(await summary().innerText()).toMatch(/^Entries 1–100 of [\d,]+, newest first\.$/);
    // Newest first: the auditor's own sign-in leads.
    expect((await column(3))[0]).toBe('Auditor sign-in');
    // The laptop's time with its zone (the host's is Europe/Berlin), never UTC.
    expect((await column(1))[0]).toMatch(
      /^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d (CET|CEST)$/,
    );
    // The auditor and the therapist by name (from the list sealed to the audit key), with the
    // auditor's id beside it.
    await until('the names in the log', async () =>
      /^Auditor Pat Auditor \([0-9a-f]{6}…\)$/.test((await column(2))[0] ?? ''),
    );
    expect(await column(2)).toContain('Therapist Dr. Jane Example');
    // No client's name on this screen: clients are ids.
    const text = await page.locator('.log-screen').innerText();
    expect(text).not.toContain('Robin Example');
    expect(text).toMatch(new RegExp(`client ${clientId.slice(0, 6)}…`));
    // The export says it does not follow the filters; the header row stays on top as it scrolls.
    expect(await page.getByTestId('export-scope').innerText()).toContain('the whole log');
    expect(
      await page
        .locator('.log-screen .log-table thead th')
        .first()
        .evaluate(
          (th) =>
            (
              globalThis as unknown as {
                getComputedStyle: (element: unknown) => { position: string };
              }
            ).getComputedStyle(th).position,
        ),
    ).toBe('sticky');
    await snap(page, 'auditor-log');

    const newest = await column(1);
    expect(await page.getByRole('button', { name: 'Older →' }).count()).toBe(2);
    await page.getByRole('button', { name: 'Older →' }).first().click();
    await until('the next page', async () =>
      /^Entries 101–200 of/.test(await summary().innerText()),
    );
    expect(await column(1)).not.toEqual(newest);
    await page.getByRole('button', { name: '← Newer' }).last().click();
    await until('the first page again', async () =>
      /^Entries 1–100 of/.test(await summary().innerText()),
    );
  });

  it('filters by action, outcome, subject and day', async () => {
    await filter('Action').selectOption({ label: 'Added a client' });
    await until('the action filter', async () => (await column(3)).length === 2);
    expect(new Set(await column(3))).toEqual(new Set(['Added a client']));
    expect(await summary().innerText()).toMatch(/^Entries 1–2 of 2 matching/);

    await filter('Action').selectOption({ label: 'Any action' });
    await filter('Outcome').selectOption({ label: 'Refused' });
    await settled();
    await until('only refused rows', async () => {
      const outcomes = await column(5);
      return outcomes.length > 0 && outcomes.every((outcome) => outcome === 'Refused');
    });
    const refusedActions = await column(3);
    expect(refusedActions).toEqual(
      expect.arrayContaining(['Auditor sign-in', 'Started recording', 'Refused a request']),
    );
    // The formula-like subject is shown as plain text, never run.
    await visible(page.getByText('=HYPERLINK("http://x"),1'));
    await filter('Action').selectOption({ label: 'Auditor sign-in' });
    await until('three refused sign-ins', async () => (await column(3)).length === 3);
    expect(new Set(await column(6))).toEqual(new Set(['Wrong name or passphrase']));
    await snap(page, 'auditor-log-filtered');

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await settled();
    // Choosing a subject in the table shows only the entries about it.
    await page
      .getByRole('button', { name: `client ${clientId.slice(0, 6)}… (show only entries about it)` })
      .first()
      .click();
    await until(
      'the subject filter',
      async () => (await filter('Subject id').inputValue()) === clientId,
    );
    await until('entries about that client', async () =>
      /of [\d,]+ matching/.test(await summary().innerText()),
    );
    const subjects = await page
      .locator('.log-screen tbody tr td:nth-child(4) button')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('title')));
    expect(subjects.length).toBeGreaterThan(2);
    expect(new Set(subjects)).toEqual(new Set([clientId]));

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await filter('From').fill('2031-01-01');
    await until('nothing after that day', async () =>
      (await summary().innerText()).startsWith('No entries match'),
    );
    expect(await rows().count()).toBe(0);
    await filter('From').fill('2025-03-14');
    await filter('To').fill('2025-03-14');
    await until('the day the vault was made', async () =>
      /^Entries 1–100 of/.test(await summary().innerText()),
    );
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await settled();
  });

  it('refuses the auditor everything but the log, whatever the page sends', async () => {
    const answers = await page.evaluate(async () => {
      const vault = (globalThis as unknown as { vault: VaultApi }).vault;
      return Promise.all([
        vault.clients.list({}),
        vault.playback.open({ recordingId: '0'.repeat(32) }),
        vault.audit.revealClients({}),
        vault.auditors.list({}),
      ]);
    });
    for (const answer of answers) {
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error.code).toBe('NOT_ALLOWED');
    }
    await filter('Action').selectOption({ label: 'Refused a request' });
    await filter('Outcome').selectOption({ label: 'Refused' });
    await until(
      'the refusals in the log',
      async () =>
        (await column(6)).filter((reason) => reason === 'Not allowed for an auditor').length >= 4,
    );
    expect((await column(2)).slice(0, 4).every((who) => who.startsWith('Auditor '))).toBe(true);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await settled();
  });

  it('exports the signed bundle with progress; the verifier agrees and catches one changed byte', async () => {
    // Hold the second page back, so the progress can be seen part way.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The page's calls come through the byte door (dispatchWire), as in the app.
    const dispatchReal = host.core.dispatchWire;
    let pages = 0;
    host.core.dispatchWire = async (channel, payload, caller) => {
      if (channel === 'audit.exportNext' && (pages += 1) === 2) await held;
      return dispatchReal(channel, payload, caller);
    };
    try {
      const pageDownloads = watchDownloads();
      const filesBefore = host.exportedFiles.length;
      await page.getByRole('button', { name: 'Export signed bundle (JSON)' }).click();
      const progress = page.getByTestId('export-progress');
      // A page is up to 2,000 entries (fewer if main used up its time budget for one page).
      const firstPage = /^Exported ([\d,]+) of [\d,]+ entries$/;
      // "Exported 0 of …" shows from the start until the first page is in (made by the export's
      // own thread, which takes a moment to start).
      await until(
        'the first page',
        async () => {
          const text = await progress.innerText();
          return firstPage.test(text) && !text.startsWith('Exported 0 of');
        },
        SLOW_WAIT_MS,
      );
      const written = Number(firstPage.exec(await progress.innerText())![1]!.replaceAll(',', ''));
      expect(written).toBeGreaterThan(0);
      expect(written).toBeLessThanOrEqual(2000);
      expect(
        await page
          .locator('progress')
          .evaluate((bar) => (bar as unknown as { value: number }).value),
      ).toBe(written);
      expect(await page.getByRole('button', { name: 'Export CSV' }).isDisabled()).toBe(true);
      await snap(page, 'auditor-export-progress');
      release();

      // The whole export, with the held page and the photograph in between.
      await visible(page.getByTestId('export-done'), 120_000);
      // Main wrote the file it was told by its dialog; the page saved nothing.
      expect(host.exportedFiles).toHaveLength(filesBefore + 1);
      const file = host.exportedFiles.at(-1)!;
      expect(pageDownloads.count()).toBe(0);
      pageDownloads.stop();
      const fileName = basename(file);
      expect(fileName).toMatch(/^access-log-\d{4}-\d\d-\d\d-\d{4}\.json$/);
      expect(await page.getByTestId('export-done').innerText()).toContain(`Saved ${fileName}`);
      expect(await page.getByTestId('verify-command').innerText()).toBe(
        `npx session-vault-audit verify ${fileName}`,
      );
      const shown = await page.getByTestId('export-fingerprint').innerText();
      expect(await page.getByTestId('verify-fingerprint').innerText()).toBe(shown);
      await snap(page, 'auditor-export-done');

      const intact = verify(file);
      expect(intact.status, intact.stdout).toBe(0);
      expect(intact.stdout).toContain(`SIGNING KEY FINGERPRINT:  ${shown}`);
      expect(intact.stdout).toMatch(/^INTACT$/m);
      const bundle = JSON.parse(readFileSync(file, 'utf8')) as {
        exportedBy: string;
        entries: { seq: number; action: string }[];
      };
      expect(bundle.exportedBy).toMatch(/^auditor:/);
      // The export covers its own entry.
      expect(bundle.entries.at(-1)?.action).toBe('audit.export');

      const bytes = readFileSync(file);
      const at = bytes.indexOf('{"v":1,"seq":5,"at":');
      expect(at).toBeGreaterThan(0);
      const digit = at + '{"v":1,"seq":5,"at":'.length + 3;
      const tampered = Buffer.from(bytes);
      tampered[digit] = tampered[digit] === 0x37 ? 0x38 : 0x37;
      const tamperedFile = join(exportFolder, `tampered-${fileName}`);
      writeFileSync(tamperedFile, tampered);
      const caught = verify(tamperedFile);
      expect(caught.status, caught.stdout).toBe(1);
      expect(caught.stdout).toContain('NOT INTACT: Entry 5 does not match its recorded hash');
    } finally {
      host.core.dispatchWire = dispatchReal;
      release();
    }
  });

  it('exports CSV with a header, CRLF rows and escaped cells', async () => {
    const pageDownloads = watchDownloads();
    const filesBefore = host.exportedFiles.length;
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await visible(page.getByText('A CSV file is for reading in a spreadsheet.'), 120_000);
    expect(host.exportedFiles).toHaveLength(filesBefore + 1);
    const file = host.exportedFiles.at(-1)!;
    expect(basename(file)).toMatch(/^access-log-\d{4}-\d\d-\d\d-\d{4}\.csv$/);
    expect(pageDownloads.count()).toBe(0);
    pageDownloads.stop();
    const csv = readFileSync(file, 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('seq,time,actor_role,actor_id,action,subject,outcome,reason');
    expect(lines.at(-1)).toBe('');
    expect(lines.length).toBeGreaterThan(seededRenames);
    // Formula start neutralised with a quote, then quoted because of the comma and quotes.
    expect(csv).toContain(`,request.refused,"'=HYPERLINK(""http://x""),1",refused,`);
    expect(lines[1]).toMatch(/^1,2025-03-14T\d\d:\d\d:\d\d\.\d{3}Z,\w+,[^,]*,vault\.create,/);
  });

  it('exports FHIR AuditEvents: one valid R4 resource per line, clients as ids only', async () => {
    await loadFhirR4();
    const filesBefore = host.exportedFiles.length;
    await page.getByRole('button', { name: 'Export for a FHIR server (NDJSON)' }).click();
    await visible(page.getByText('One FHIR AuditEvent per line'), 120_000);
    expect(host.exportedFiles).toHaveLength(filesBefore + 1);
    const file = host.exportedFiles.at(-1)!;
    const fileName = basename(file);
    expect(fileName).toMatch(/^access-log-\d{4}-\d\d-\d\d-\d{4}\.fhir\.ndjson$/);
    expect(await page.getByTestId('export-done').innerText()).toContain(`Saved ${fileName}`);
    await snap(page, 'auditor-export-fhir-done');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('Robin');
    expect(text).not.toContain('Sam Sample');
    expect(text).toContain(clientId);
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(seededRenames);
    for (const line of lines) {
      const event = JSON.parse(line) as Record<string, unknown>;
      expect(event.resourceType).toBe('AuditEvent');
      expect(fhirProblems(event)).toEqual([]);
    }
  });
});
