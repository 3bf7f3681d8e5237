// Shared steps for the consent and clients end-to-end tests: a vault made through the core, the
// wizard walked through the UI, and a recording made through the capture channels.
import type { Locator, Page } from 'playwright-core';
import type { Channel, ClientDetail, ClientSummary, Reply } from '../../shared/api';
import type { CallArgs, ConsentDraft } from '../unit/helpers/practice-helpers';
import { formAlert, SLOW_WAIT_MS, until, visible, fromHomeToClients } from './helpers';
import type { TestHost } from './host';

export const therapistName = 'Dr. Jane Example';

/** Asks the host's core as the contract describes the channel; throws when main refuses. */
export async function call<C extends Channel>(
  host: TestHost,
  channel: C,
  ...[request, caller]: CallArgs<C>
): Promise<Reply<C>> {
  const result = await host.core.dispatch(channel, request ?? {}, caller);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as Reply<C>;
}

export async function refusal(host: TestHost, channel: string, payload: unknown = {}) {
  const result = await host.core.dispatch(channel, payload);
  if (result.ok) throw new Error(`${channel} was allowed`);
  return result.error;
}

/** A vault made through the core, the page's clock set to the core's, and the Clients tab open. */
export async function openVault(host: TestHost): Promise<void> {
  await call(host, 'vault.create', {
    practiceName: 'Riverside Counselling',
    therapistName,
    passphrase: 'copper heron tidal lantern 47',
  });
  // Countdowns are drawn from the page's clock; the core's clock is the test's.
  await host.page.clock.setFixedTime(host.clock.now());
  await host.page.reload();
  await fromHomeToClients(host.page, SLOW_WAIT_MS);
  await visible(host.page.getByRole('heading', { name: 'Clients', exact: true }), SLOW_WAIT_MS);
}

/** What the capture window does: take the command, send one chunk a second, finish. */
export async function recordSeconds(host: TestHost, clientId: string, seconds: number) {
  const { recordingId } = await call(host, 'recording.start', {
    clientId,
    reconfirmedAloud: true,
  });
  await call(host, 'capture.next', {}, 'capture');
  await call(
    host,
    'capture.started',
    { recordingId, mimeType: 'audio/webm;codecs=opus' },
    'capture',
  );
  for (let seq = 0; seq < seconds; seq += 1) {
    host.clock.advance(1000);
    const data = new Uint8Array(800).fill(seq + 1);
    await call(host, 'capture.chunk', { recordingId, seq, durationMs: 1000, data }, 'capture');
  }
  const stopping = call(host, 'recording.stop', { recordingId });
  await call(host, 'capture.next', {}, 'capture');
  await call(host, 'capture.finished', { recordingId }, 'capture');
  await stopping;
  return recordingId;
}

export function detailOf(host: TestHost, clientId: string): Promise<ClientDetail> {
  return call(host, 'clients.detail', { clientId });
}

export async function clientNamed(host: TestHost, name: string): Promise<ClientSummary> {
  const { clients } = await call(host, 'clients.list');
  const client = clients.find((c) => c.displayName === name);
  if (!client) throw new Error(`no client named ${name}`);
  return client;
}

/** A complete draft signed through the contract, for tests that need a consent but not the wizard. */
export async function signThroughCore(
  host: TestHost,
  client: ClientSummary,
  overrides: Partial<ConsentDraft> = {},
) {
  const { policyHash } = await call(host, 'policy.get');
  const signedAt = host.clock.now();
  const terms: ConsentDraft = {
    participants: client.participants,
    purpose: { kind: 'personal-review', limitsText: 'For listening again on this laptop.' },
    reasonsForRecording: { chosen: ['review'], otherText: '' },
    whoMayPlay: { client: true, therapist: true, namedOthers: [] },
    onThisDeviceOnly: true,
    retentionDays: 30,
    termination: { action: 'destroy-now' },
    revocation: { destroys: 'all-recordings', revocableBy: { client: true, therapist: true } },
    acknowledgements: { noSharing: true, risksUnderstood: true, careNotConditional: true },
    alternativesOffered: { writtenTakeaways: true, closingVoiceNote: false },
    partOfClinicalRecord: false,
    policyVersionHash: policyHash,
    signatures: [
      ...client.participants.map((p): ConsentDraft['signatures'][number] => ({
        signerId: p.participantId,
        role: 'participant',
        typedName: p.displayName,
        signedAt,
        drawnSignature: { kind: 'svg-path', d: 'M10 60 L120 40 L220 70' },
      })),
      {
        signerId: 'therapist',
        role: 'therapist',
        typedName: therapistName,
        signedAt,
        drawnSignature: { kind: 'svg-path', d: 'M10 50 L200 60' },
      },
    ],
    ...overrides,
  };
  return call(host, 'consent.sign', {
    clientId: client.clientId,
    terms,
    reviewCredential: '482915',
  });
}

/** Draws a short wavy line in a signature pad, as a hand would. */
export async function drawSignature(page: Page, pad: Locator): Promise<void> {
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('the signature pad is not on screen');
  const y = box.y + box.height * 0.6;
  await page.mouse.move(box.x + 30, y);
  await page.mouse.down();
  for (let step = 1; step <= 12; step += 1) {
    await page.mouse.move(box.x + 30 + step * 22, y - Math.sin(step) * 18);
  }
  await page.mouse.up();
}

export async function next(page: Page, expectedStep: number): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await visible(page.getByText(`Step ${expectedStep} of 9`, { exact: true }));
}

/** Next is refused with this sentence, and the wizard stays on the same step. */
export async function refusedWith(page: Page, sentence: string, step: number): Promise<void> {
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await until(`the sentence "${sentence}"`, async () =>
    ((await formAlert(page).last().textContent()) ?? '').includes(sentence),
  );
  await visible(page.getByText(`Step ${step} of 9`, { exact: true }));
}

/** Signs one block: typed name, then a drawing or the "cannot draw" box. */
export async function signAs(
  page: Page,
  who: string,
  typedName: string,
  how: 'draw' | 'typed-only',
): Promise<void> {
  await page.getByLabel(`Full name of ${who}, typed`).fill(typedName);
  if (how === 'draw') {
    await drawSignature(
      page,
      page.getByRole('img', { name: `Signature drawing area for ${who}, empty` }),
    );
  } else {
    const group = page.getByRole('group', {
      name: who === 'the therapist' ? 'The therapist' : who,
    });
    await group.getByLabel('I cannot draw; my typed name is my signature').check();
  }
  await page.getByRole('button', { name: `Sign as ${who}` }).click();
  await visible(page.getByText(`Signed by ${typedName},`));
}
