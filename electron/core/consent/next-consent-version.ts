// A signed draft becomes the client's next consent version. Main assigns the consent id and the
// version, and checks the terms before anything is stored: valid, listeners that make sense,
// exactly the client's participants, signed by everyone, under the practice policy in force now.
import type { z } from 'zod';
import type { consentDraftSchema } from '../../../shared/api';
import {
  consentTermsSchema,
  isFullySigned,
  listenersProblem,
  missingSignatures,
  type ConsentTerms,
} from '../../../shared/consent';
import { VaultError } from '../../../shared/errors';
import { newOpaqueId } from '../platform/ids';
import type { ConsentStore } from './consent-store';

export type ConsentDraft = z.output<typeof consentDraftSchema>;

export function nextConsentVersion(
  store: ConsentStore,
  client: { clientId: string; clientKey: Uint8Array; participants: { participantId: string }[] },
  draft: ConsentDraft,
): ConsentTerms {
  const { clientId, clientKey } = client;
  const previous = store.latestTerms(clientId, clientKey);
  const candidate = {
    ...draft,
    consentId: previous?.consentId ?? newOpaqueId(),
    version: store.latestVersion(clientId) + 1,
    clientId,
  };
  const parsed = consentTermsSchema.safeParse(candidate);
  if (!parsed.success) throw new VaultError('INVALID_REQUEST', parsed.error.issues[0]?.message);
  const terms: ConsentTerms = parsed.data;
  const listeners = listenersProblem(terms.whoMayPlay);
  if (listeners) throw new VaultError('INVALID_REQUEST', listeners);
  const expected = client.participants
    .map((p) => p.participantId)
    .sort()
    .join(',');
  if (
    terms.participants
      .map((p) => p.participantId)
      .sort()
      .join(',') !== expected
  )
    throw new VaultError(
      'INVALID_REQUEST',
      'Every participant of this client must be on the consent, and no one else.',
    );
  if (!isFullySigned(terms))
    throw new VaultError(
      'NOT_ALLOWED',
      `Everyone must sign first. Still to sign: ${missingSignatures(terms).join(', ')}.`,
    );
  if (terms.policyVersionHash !== store.currentPolicyHash())
    throw new VaultError(
      'NOT_ALLOWED',
      'The practice policy changed while signing. Read the new policy and sign again.',
    );
  return terms;
}
