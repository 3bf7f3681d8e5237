// The closing voice note, end to end: a consent for voice notes only refuses a full recording in
// words; the client speaks (the speech file is the microphone) under a large countdown, main stops
// the note at 120 s of recorded time by its own count, it plays back as it went in (envelope
// correlation), and revoking the consent destroys it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSummary, RecordingSummary } from '../../shared/api';
import { consentDraft, type ConsentDraft } from '../unit/helpers/practice-helpers';
import {
  bestLoopOffset,
  envelope,
  installOutputTap,
  readWav,
  startTap,
  stopTap,
  WINDOW_MS,
} from './audio';
import { SLOW_WAIT_MS, until, visible } from './helpers';
import { startTestHost, type TestHost } from './host';
import { callerFor, PASSPHRASE, recorderStatus, type Dispatch } from './record-helpers';
import { snap } from './screens';
import { ensureSpeechWav } from './speech';

let host: TestHost;
let page: Page;
let call: Dispatch;
let clientId = '';
let noteId = '';
const speech = readWav(ensureSpeechWav());
const speechEnvelope = envelope(speech.samples, speech.rate);
const perSecond = 1000 / WINDOW_MS;

const voiceNotesOnly = {
  recordingKinds: {
    sessions: false,
    voiceNotes: {
      whoMayPlay: { client: true, therapist: true },
      retentionDays: 14,
      termination: { action: 'destroy-now' },
      revocationDestroys: 'all-recordings',
    },
  },
} satisfies Partial<ConsentDraft>;

function playerIs(condition: string): () => Promise<boolean> {
  return () =>
    page.evaluate(
      `(() => { const a = document.querySelector('[data-testid="player-audio"]'); return ${condition}; })()`,
    ) as Promise<boolean>;
}

async function detail(): Promise<{ recordings: RecordingSummary[] }> {
  return (await call('clients.detail', { clientId })) as { recordings: RecordingSummary[] };
}

describe('a closing voice note', { timeout: 420_000 }, () => {
  beforeAll(async () => {
    host = await startTestHost({ capturePage: true });
    page = host.page;
    call = callerFor(host.core.dispatch);
    await call('vault.create', {
      practiceName: 'Riverside Counselling',
      therapistName: 'Dr. Jane Example',
      passphrase: PASSPHRASE,
    });
    const client = (await call('clients.add', {
      displayName: 'Alex Example',
      otherParticipants: [],
    })) as ClientSummary;
    clientId = client.clientId;
    const policy = (await call('policy.get')) as { policyHash: string };
    await call('consent.sign', {
      clientId,
      terms: consentDraft(client, policy.policyHash, host.clock.now(), voiceNotesOnly),
      reviewCredential: '482915',
    });
    await page.reload();
  });

  afterAll(async () => {
    await host?.close();
  });

  it('a consent for voice notes only refuses a full recording, with the reason in words', async () => {
    await visible(page.getByRole('button', { name: 'Clients', exact: true }), SLOW_WAIT_MS);
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    await page
      .getByRole('button', { name: /Alex Example/ })
      .first()
      .click();
    const session = page.getByRole('button', { name: 'Record a session' });
    await visible(session);
    expect(await session.isDisabled()).toBe(true);
    await visible(page.getByText(/agreed to closing voice notes only/));
    await snap(page, 'voice-note-client-page');
    await expect(call('recording.start', { clientId, reconfirmedAloud: true })).rejects.toThrow(
      /NOT_ALLOWED: .*closing voice notes only, not to recording whole sessions/,
    );
  });

  it('records under a countdown and main stops it at 2 minutes of recorded time', async () => {
    await page.getByRole('button', { name: 'Record a closing voice note' }).click();
    await visible(page.getByRole('heading', { name: /A closing voice note/ }));
    await snap(page, 'voice-note-before');
    await page.getByLabel('We agreed aloud to record a closing voice note now').check();
    await page.getByRole('button', { name: 'Start the voice note' }).click();
    const countdown = page.getByTestId('voice-note-countdown');
    await visible(countdown, SLOW_WAIT_MS);
    await until(
      'a few seconds recorded',
      async () => ((await recorderStatus(call))?.elapsedMs ?? 0) >= 5000,
      SLOW_WAIT_MS,
    );
    await until('the countdown to move below 2:00', async () => {
      const text = (await countdown.textContent()) ?? '';
      return /^1:[0-5]\d$/.test(text.trim());
    });
    await snap(page, 'voice-note-during');
    // Nobody presses Stop: main ends it at the limit.
    await visible(
      page.getByRole('heading', { name: /Voice note saved/ }),
      120_000 + 2 * SLOW_WAIT_MS,
    );
    await snap(page, 'voice-note-saved');
    await until('the capture page to close', async () => host.capturePages.size === 0);
    const note = (await detail()).recordings.find((r) => r.kind === 'voice-note')!;
    noteId = note.recordingId;
    expect(note.state).toBe('finalised');
    // Main stops once its count reaches 120 s: the last chunk may carry it at most one chunk past.
    expect(note.durationMs).toBeGreaterThanOrEqual(120_000);
    expect(note.durationMs).toBeLessThan(120_000 + 5000);
    expect(note.destroyAfter).toBe(note.startedAt + 14 * 86_400_000);
    // The log's index is built beside main (a worker): ask again until it is complete.
    let log: { indexing: { done: number; total: number } | null } | null = null;
    await until('the log index to be complete', async () => {
      log = (await call('audit.query', { subject: noteId, limit: 50 })) as typeof log;
      return !log?.indexing || log.indexing.done >= log.indexing.total;
    });
    expect(JSON.stringify(log)).toContain('two-minute limit');
  });

  it('plays back what was said (envelope correlation)', async () => {
    await page.getByRole('button', { name: 'Play it back' }).click();
    await visible(page.getByTestId('player-consent'), SLOW_WAIT_MS);
    await installOutputTap(page);
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await until('playback to start', playerIs('!a.paused && a.readyState >= 3'), SLOW_WAIT_MS);
    const tappedAtMs = await startTap(page);
    await until(
      '15 s of playback',
      playerIs(`a.currentTime * 1000 >= ${tappedAtMs + 15_000}`),
      15_000 + SLOW_WAIT_MS,
    );
    const out = await stopTap(page);
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    const trim = out.slice(perSecond, out.length - perSecond);
    const aligned = bestLoopOffset(trim, speechEnvelope);
    console.log(`voice note playback: r = ${aligned.r.toFixed(3)} (${trim.length} windows)`);
    expect(aligned.r).toBeGreaterThanOrEqual(0.9);
  });

  it('is listed apart, and revoking consent destroys it', async () => {
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    await page
      .getByRole('button', { name: /Alex Example/ })
      .first()
      .click();
    await visible(page.getByRole('heading', { name: 'Closing voice notes' }));
    await snap(page, 'voice-note-listed');
    await call('consent.revoke', { clientId });
    const note = (await detail()).recordings.find((r) => r.recordingId === noteId)!;
    expect(note.state).toBe('destroyed');
    await expect(call('playback.open', { recordingId: noteId })).rejects.toThrow(/NOT_ALLOWED/);
    await page.getByRole('button', { name: 'Clients', exact: true }).click();
    await page
      .getByRole('button', { name: /Alex Example/ })
      .first()
      .click();
    await visible(page.getByRole('heading', { name: 'Closing voice notes' }));
    await visible(page.getByText(/^Destroyed on/).first());
    await snap(page, 'voice-note-destroyed');
  });
});
