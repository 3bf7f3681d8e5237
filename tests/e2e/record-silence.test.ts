// A muted or unplugged microphone: the fake microphone hears digital silence. After 10 seconds
// without sound (main's clock) the Record screen warns, pausing hides the warning, and what was
// recorded is still saved when the therapist stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingSummary } from '../../shared/api';
import { uiText } from '../../shared/ui-text';
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
import { ensureSilenceWav } from './speech';

let host: TestHost;
let call: Dispatch;
let clientId = '';

const status = () => recorderStatus(call);

describe('a silent microphone during a recording', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost({ capturePage: true, microphoneWav: ensureSilenceWav() });
    call = callerFor(host.core.dispatch);
    clientId = (await createVaultWithClient(call, host.clock.now())).clientId;
    await host.page.reload();
  });

  afterAll(async () => {
    await host?.close();
  });

  it('warns after 10 silent seconds, not while paused, and keeps what was recorded', async () => {
    const page = host.page;
    await openRecordScreen(page, 'Alex Example');
    await page.getByLabel('I reconfirmed consent aloud at the start of this session').check();
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await visible(page.getByText('Recording', { exact: true }), SLOW_WAIT_MS);
    await until('two chunks', async () => ((await status())?.chunks ?? 0) >= 2, SLOW_WAIT_MS);
    // Silence is measured by the capture window and judged by main: nothing to warn about yet.
    expect((await status())!.level).toBeLessThan(0.01);
    expect(await page.getByText(uiText.silence).count()).toBe(0);

    // Main's clock moves a second with each second of audio, as it would in the app.
    let seen = (await status())!.chunks;
    await until(
      'ten silent seconds by main’s clock',
      async () => {
        const now = (await status())!;
        host.clock.advance((now.chunks - seen) * 1000);
        seen = now.chunks;
        return now.silentForMs >= 10_000;
      },
      SLOW_WAIT_MS,
    );
    await visible(page.getByText(uiText.silence));
    await snap(page, 'record-silent');

    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    await visible(page.getByTestId('record-state').getByText('Paused', { exact: true }));
    await until('the warning to go while paused', async () =>
      page
        .getByText(uiText.silence)
        .count()
        .then((n) => n === 0),
    );
    // Resuming starts the count again: no warning until another 10 silent seconds.
    await page.getByRole('button', { name: 'Resume', exact: true }).click();
    await visible(page.getByTestId('record-state').getByText('Recording', { exact: true }));
    expect((await status())!.silentForMs).toBeLessThan(10_000);
    expect(await page.getByText(uiText.silence).count()).toBe(0);

    await page.getByRole('button', { name: 'Stop and save' }).click();
    await visible(page.getByRole('heading', { name: /^Saved: / }), SLOW_WAIT_MS);
    await until('the capture page to close', async () => host.capturePages.size === 0);
    const detail = (await call('clients.detail', { clientId })) as {
      recordings: RecordingSummary[];
    };
    expect(detail.recordings.at(-1)!.state).toBe('finalised');
  });
});
