// The microphone is never on out of sight: while a recording runs, every screen's header says so
// ("● Recording 0:12 · Alex Example · Stop"), and Stop there ends and saves the recording.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingSummary } from '../../shared/api';
import { SLOW_WAIT_MS, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import {
  callerFor,
  createVaultWithClient,
  openRecordScreen,
  recorderStatus,
  type Dispatch,
} from './record-helpers';
import { snap } from './screens';

let host: TestHost;
let page: Page;
let call: Dispatch;
let clientId = '';

const indicator = () => page.locator('.shell-header .recording-indicator');

async function headerSaysRecording(): Promise<void> {
  await visible(indicator());
  const status = indicator().getByRole('status');
  expect((await status.textContent())?.trim()).toBe('Recording with Alex Example');
  expect(await indicator().locator('.recording-indicator-time').innerText()).toMatch(/^\d+:\d\d$/);
  expect(await indicator().locator('.recording-indicator-who').innerText()).toBe('· Alex Example');
  await visible(indicator().getByRole('button', { name: 'Stop recording with Alex Example' }));
}

describe('the recording indicator in the header', { timeout: 180_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost({ capturePage: true });
    page = host.page;
    call = callerFor(host.core.dispatch);
    clientId = (await createVaultWithClient(call, host.clock.now())).clientId;
    await page.reload();
  });

  afterAll(async () => {
    await host?.close();
  });

  it('shows on every screen during one recording, and Stop there saves it', async () => {
    await openRecordScreen(page, 'Alex Example');
    expect(await indicator().count()).toBe(0);
    await page.getByLabel('I reconfirmed consent aloud at the start of this session').check();
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await until(
      'two chunks',
      async () => ((await recorderStatus(call))?.chunks ?? 0) >= 2,
      SLOW_WAIT_MS,
    );
    await headerSaysRecording();
    await snap(page, 'header-recording-record');

    for (const [tab, title] of [
      ['Clients', 'Clients'],
      ['Access log', 'Access log'],
      ['Settings', 'Settings'],
    ] as const) {
      await page.getByRole('button', { name: tab, exact: true }).click();
      await visible(page.getByRole('heading', { name: title, level: 1 }));
      await headerSaysRecording();
      await snap(page, `header-recording-${tab.toLowerCase().replace(' ', '-')}`);
    }

    // Stop from the Settings screen: the recording ends and is saved, and the header clears.
    await indicator().getByRole('button', { name: 'Stop recording with Alex Example' }).click();
    await until('the indicator to go', async () => (await indicator().count()) === 0, SLOW_WAIT_MS);
    await until('the capture page to close', async () => host.capturePages.size === 0);
    const detail = (await call('clients.detail', { clientId })) as {
      recordings: RecordingSummary[];
    };
    expect(detail.recordings.at(-1)!.state).toBe('finalised');
    // The Stop button went with the recording: focus is on the screen's heading, not the body.
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Settings');
  });
});
