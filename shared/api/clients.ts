// clients.* and takeaways.*: the therapist's clients, each with their consent and recordings.
import { z } from 'zod';
import {
  consentTermsSchema,
  recordingDecisionObject,
  recordingDecisionSchema,
} from '../consent-terms';
import {
  clientIdRequest,
  decisionSchema,
  empty,
  opaqueId,
  personName,
  requestSize,
} from './common';
import { recordingSummarySchema } from './recording';

export const consentStatusSchema = z.strictObject({
  state: z.enum(['none', 'active', 'revoked', 'ended']),
  version: z.number().int().nullable(),
  /** The practice policy the terms in force were signed under, to notice newer unsigned terms. */
  policyVersionHash: z.string().nullable(),
  /** One line for the library: who may listen and for how long. */
  summary: z.string().nullable(),
  revokedAt: z.number().nullable(),
  therapyEndedAt: z.number().nullable(),
  record: decisionSchema,
  /** Whether a closing voice note may be recorded now, and why or why not. */
  recordVoiceNote: decisionSchema,
});

export const clientSummarySchema = z.strictObject({
  clientId: opaqueId,
  displayName: z.string(),
  participants: z.array(z.strictObject({ participantId: z.string(), displayName: z.string() })),
  archived: z.boolean(),
  hasReviewCredential: z.boolean(),
  consent: consentStatusSchema,
});
export type ClientSummary = z.infer<typeof clientSummarySchema>;

export const clientDetailSchema = z.strictObject({
  client: clientSummarySchema,
  terms: consentTermsSchema.nullable(),
  /** The practice policy text the terms in force were signed under (it may have changed since). */
  signedPolicyText: z.string().nullable(),
  versions: z.array(z.strictObject({ version: z.number().int(), signedAt: z.number() })),
  recordings: z.array(recordingSummarySchema),
  takeaways: z.array(
    z.strictObject({
      takeawayId: z.string(),
      writtenAt: z.number(),
      recordingId: z.string().nullable(),
      text: z.string(),
    }),
  ),
  /** Decisions made without a recording: declined, or an alternative chosen. */
  decisions: z.array(
    recordingDecisionObject.extend({ decisionId: z.string(), decidedAt: z.number() }),
  ),
});
export type ClientDetail = z.infer<typeof clientDetailSchema>;

export const clientContract = {
  'clients.list': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: z.strictObject({ clients: z.array(clientSummarySchema) }),
  },
  'clients.add': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({
      displayName: personName,
      /** Others in the room for couples and family sessions. */
      otherParticipants: z.array(personName).max(7, 'A session can have at most 8 participants.'),
    }),
    reply: clientSummarySchema,
  },
  'clients.rename': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ clientId: opaqueId, displayName: personName }),
    reply: clientSummarySchema,
  },
  'clients.archive': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ clientId: opaqueId, archived: z.boolean() }),
    reply: clientSummarySchema,
  },
  'clients.detail': {
    callers: ['therapist'],
    size: requestSize.small,
    request: clientIdRequest,
    reply: clientDetailSchema,
  },
  'consent.recordDecision': {
    callers: ['therapist'],
    size: requestSize.note,
    request: z.strictObject({ clientId: opaqueId, decision: recordingDecisionSchema }),
    reply: clientDetailSchema,
  },
  'takeaways.add': {
    callers: ['therapist'],
    size: requestSize.note,
    request: z.strictObject({
      clientId: opaqueId,
      recordingId: opaqueId.nullable(),
      text: z.string().trim().min(1, 'Write the takeaway first.').max(10_000),
    }),
    reply: clientDetailSchema,
  },
} as const;
