// Recording in real Electron through the real permission handler, with the speech file as the
// microphone: 20 s recorded and played back; a reload of the main window during a recording; the
// main window closed during a recording (kept, finalised, locked, and the app gone).
import { rm } from 'node:fs/promises';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClientDetail, ClientSummary, RecorderStatus } from '../../shared/api';
import { openRecordScreen } from '../e2e/record-helpers';
import { consentDraft } from '../unit/helpers/practice-helpers';
import {
  createVault,
  describeElectron,
  freshUserData,
  launch,
  passphrase,
  until,
  vaultCall,
} from './launch';

const clientName = 'Alex Example';

async function signedClient(page: Page): Promise<ClientSummary> {
  const client = await vaultCall<ClientSummary>(page, 'clients.add', {
    displayName: clientName,
    otherParticipants: [],
  });
  const { policyHash } = await vaultCall<{ policyHash: string }>(page, 'policy.get');
  await vaultCall(page, 'consent.sign', {
    clientId: client.clientId,
    terms: consentDraft(client, policyHash, Date.now()),
    reviewCredential: '482915',
  });
  return client;
}

const status = (page: Page) => vaultCall<RecorderStatus | null>(page, 'recording.status');

async function startRecording(page: Page): Promise<void> {
  await openRecordScreen(page, clientName);
  await page.getByLabel('I reconfirmed consent aloud at the start of this session').check();
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await until('the first chunks', async () => ((await status(page))?.chunks ?? 0) >= 3);
}

describeElectron('Recording in Electron', () => {
  let userData: string;
  let application: ElectronApplication;
  let page: Page;
  let client: ClientSummary;

  beforeAll(async () => {
    userData = await freshUserData();
    ({ application, page } = await launch(userData));
    await createVault(page);
    client = await signedClient(page);
  });

  afterAll(async () => {
    await application?.close().catch(() => undefined);
    if (userData) await rm(userData, { recursive: true, force: true });
  });

  it('records 20 s of speech through the permission handler and plays it back', async () => {
    await startRecording(page);
    await until(
      '20 s recorded',
      async () => ((await status(page))?.elapsedMs ?? 0) >= 20_000,
      60_000,
    );
    await page.getByRole('button', { name: 'Stop and save' }).click();
    await page.getByRole('heading', { name: /^Saved: / }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Play it back' }).click();
    await page.getByRole('heading', { name: 'Listen to a session' }).waitFor();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await until(
      'the position to move',
      async () => Number(await page.getByRole('slider', { name: 'Position' }).inputValue()) > 1000,
    );
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
  });

  it('keeps recording while the main window reloads', async () => {
    await page.getByRole('button', { name: /Back to the client/ }).click();
    await startRecording(page);
    const before = (await status(page))?.chunks ?? 0;
    await page.reload();
    await until('more chunks after the reload', async () => {
      const now = await status(page).catch(() => null);
      return now?.state === 'recording' && now.chunks > before + 2;
    });
    const { recordingId } = (await status(page))!;
    await vaultCall(page, 'recording.stop', { recordingId });
  });

  it('closing the main window during a recording keeps and finalises it, locks, and quits', async () => {
    await page.reload();
    await startRecording(page);
    const exited = new Promise<void>((resolve) =>
      application.process().on('exit', () => resolve()),
    );
    await application.evaluate(({ BrowserWindow }) => {
      const main = BrowserWindow.getAllWindows().find((window) => window.isVisible());
      main?.close();
    });
    await exited;

    ({ application, page } = await launch(userData));
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('Signed in as Dana Reyes').waitFor({ timeout: 60_000 });
    const detail = await vaultCall<ClientDetail>(page, 'clients.detail', {
      clientId: client.clientId,
    });
    expect(detail.recordings.map((recording) => recording.state)).toEqual([
      'finalised',
      'finalised',
      'finalised',
    ]);
  });
});
