// review.*: the therapist hands the laptop to a client, who signs in with their PIN and hears
// only what their consent allows.
import { z } from 'zod';
import { clientIdRequest, empty, opaqueId, requestSize } from './common';
import { clientDetailSchema } from './clients';
import { recordingSummarySchema } from './recording';
import { sessionInfoSchema } from './vault';

export const reviewContract = {
  'review.start': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ clientId: opaqueId, maxMinutes: z.number().int().min(5).max(240) }),
    reply: empty,
  },
  /** The client's PIN, on the lock screen the therapist handed over. */
  'review.unlock': {
    callers: ['locked'],
    size: requestSize.small,
    request: z.strictObject({ pin: z.string().min(1).max(256) }),
    reply: sessionInfoSchema,
  },
  'review.acknowledge': {
    callers: ['client'],
    size: requestSize.small,
    request: empty,
    reply: sessionInfoSchema,
  },
  'review.library': {
    callers: ['client'],
    size: requestSize.small,
    request: empty,
    reply: z.strictObject({
      displayName: z.string(),
      consentSummary: z.string().nullable(),
      /** What revoking destroys under the signed terms, so the confirm can say it (null: none). */
      revocationDestroys: z.enum(['all-recordings', 'future-only']).nullable(),
      /** When consent was revoked (by the client or the therapist); null while it stands. */
      revokedAt: z.number().nullable(),
      recordings: z.array(recordingSummarySchema),
      takeaways: clientDetailSchema.shape.takeaways,
    }),
  },
  'review.revoke': {
    callers: ['client'],
    size: requestSize.small,
    request: empty,
    reply: z.strictObject({ destroyed: z.number().int() }),
  },
  'review.end': { callers: ['client'], size: requestSize.small, request: empty, reply: empty },
  'review.reset': {
    callers: ['therapist'],
    size: requestSize.small,
    request: clientIdRequest,
    reply: empty,
  },
} as const;
