// Seeds what the consent wizard would (a client and signed consent) through the core, and opens
// the Record screen the way a therapist does: Clients, the client, "Record a session".
import type { Page } from 'playwright-core';
import type { Channel, ClientSummary, RecorderStatus, Reply } from '../../shared/api';
import { consentDraft, type CallArgs } from '../unit/helpers/practice-helpers';
import { SLOW_WAIT_MS, visible } from './helpers';

export const PASSPHRASE = 'copper heron tidal lantern 47';
/** A call to the core typed by the contract, as practice-helpers' `call`, for a core in any process. */
export type Dispatch = <C extends Channel>(
  channel: C,
  ...[request]: CallArgs<C>
) => Promise<Reply<C>>;

/** Calls the core as the UI would, and throws with the code when refused. */
export function callerFor(
  dispatch: (channel: unknown, request: unknown, caller?: 'ui' | 'capture') => Promise<unknown>,
): Dispatch {
  return async <C extends Channel>(channel: C, ...[request]: CallArgs<C>) => {
    const result = (await dispatch(channel, request ?? {}, 'ui')) as
      { ok: true; value: Reply<C> } | { ok: false; error: { code: string; message: string } };
    if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
    return result.value;
  };
}

export async function createVaultWithClient(
  call: Dispatch,
  now: number,
  displayName = 'Alex Example',
): Promise<ClientSummary> {
  await call('vault.create', {
    practiceName: 'Riverside Counselling',
    therapistName: 'Dr. Jane Example',
    passphrase: PASSPHRASE,
  });
  return addSignedClient(call, now, displayName);
}

export async function addSignedClient(
  call: Dispatch,
  now: number,
  displayName: string,
): Promise<ClientSummary> {
  const client = (await call('clients.add', {
    displayName,
    otherParticipants: [],
  })) as ClientSummary;
  const policy = (await call('policy.get')) as { policyHash: string };
  await call('consent.sign', {
    clientId: client.clientId,
    terms: consentDraft(client, policy.policyHash, now),
    reviewCredential: '482915',
  });
  return client;
}

export async function openRecordScreen(page: Page, clientName: string): Promise<void> {
  await visible(page.getByRole('button', { name: 'Clients', exact: true }), SLOW_WAIT_MS);
  await page.getByRole('button', { name: 'Clients', exact: true }).click();
  await page
    .getByRole('button', { name: new RegExp(clientName) })
    .first()
    .click();
  await page.getByRole('button', { name: 'Record a session' }).click();
  await visible(page.getByRole('heading', { name: /Record a session/ }));
}

/** What the Record screen polls: the recording in progress, or null. */
export async function recorderStatus(call: Dispatch): Promise<RecorderStatus | null> {
  return (await call('recording.status')) as RecorderStatus | null;
}
