// The IPC contract: every request and reply, declared once. Main's handler table satisfies it,
// the preload builds window.vault from it, and every payload is parsed with it at the door.
import { z } from 'zod';
import type { VaultErrorInfo } from './errors';
import { consentTermsSchema } from './consent-terms';
import {
  MAX_CHUNK_BYTES,
  bytesSchema,
  captureCommandSchema,
  clientDetailSchema,
  clientIdRequest,
  clientSummarySchema,
  consentDraftSchema,
  defaultTermsSchema,
  opaqueId,
  personName as clientName,
  playbackSchema,
  policySchema,
  recordingSummarySchema,
  recorderStatusSchema,
  recordingIdRequest,
  reviewCredentialSchema,
} from './api-practice';

const personName = z
  .string()
  .trim()
  .min(1, 'Write a name.')
  .max(120, 'Use at most 120 characters.');
/** Long enough for a passphrase of words; short enough that a flood of bytes is refused at the door. */
const passphrase = z.string().min(1).max(1024);
const empty = z.strictObject({});

export const roleSchema = z.enum(['therapist', 'client', 'auditor']);
export type Role = z.infer<typeof roleSchema>;

export const sessionInfoSchema = z.strictObject({
  role: roleSchema,
  /** Empty for a client in review and for an auditor: sealed with the therapist's key. */
  practiceName: z.string(),
  therapistName: z.string(),
  idleLockMinutes: z.number().int(),
  /** Set in client review mode. */
  review: z
    .strictObject({
      clientId: z.string(),
      displayName: z.string(),
      endsAt: z.number(),
      acknowledged: z.boolean(),
      /** The people the consent names who may listen beside the client ("Sam (partner)"). */
      listenWith: z.array(z.string()),
    })
    .nullable(),
  /** Set for an auditor. */
  auditorId: z.string().nullable(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const vaultStatusSchema = z.strictObject({
  /** absent: no vault yet; unavailable: the file cannot be opened (see `problem`). */
  state: z.enum(['absent', 'locked', 'unlocked', 'unavailable']),
  problem: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  session: sessionInfoSchema.nullable(),
  /** How long until main accepts the next unlock try (0: now). */
  unlockRetryAfterMs: z.number().int().nonnegative(),
  /** The therapist handed the laptop to this client: the lock screen asks for their PIN. */
  pendingReview: z
    .strictObject({
      clientId: z.string(),
      displayName: z.string(),
      retryAfterMs: z.number().int().nonnegative(),
      failures: z.number().int(),
      locked: z.boolean(),
    })
    .nullable(),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

export const auditOutcomeSchema = z.enum(['ok', 'refused', 'failed']);
export const auditEntryViewSchema = z.strictObject({
  seq: z.number().int(),
  at: z.number().int(),
  actorRole: z.enum(['therapist', 'client', 'auditor', 'system', 'unknown']),
  /** Pseudonymous: a client id, `auditor:<id>`, or null for the therapist and the system. */
  actorId: z.string().nullable(),
  action: z.string(),
  subject: z.string().nullable(),
  outcome: auditOutcomeSchema,
  reason: z.string().nullable(),
});
export type AuditEntryView = z.infer<typeof auditEntryViewSchema>;

export const auditVerdictSchema = z.strictObject({
  intact: z.boolean(),
  entries: z.number().int(),
  checkpoints: z.number().int(),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
});
export type AuditVerdict = z.infer<typeof auditVerdictSchema>;

export const contract = {
  'vault.status': { request: empty, reply: vaultStatusSchema },
  'vault.create': {
    request: z.strictObject({ practiceName: personName, therapistName: personName, passphrase }),
    reply: z.strictObject({ recoveryKey: z.string(), session: sessionInfoSchema }),
  },
  'session.unlock': {
    request: z.strictObject({ passphrase }),
    reply: sessionInfoSchema,
  },
  'session.recover': {
    request: z.strictObject({ recoveryKey: z.string().min(1).max(200), newPassphrase: passphrase }),
    reply: sessionInfoSchema,
  },
  'session.lock': { request: empty, reply: empty },
  /** The person is still here: pushes the idle lock back. */
  'session.touch': { request: empty, reply: empty },
  'settings.setIdleLock': {
    request: z.strictObject({ minutes: z.number().int().min(1).max(60) }),
    reply: sessionInfoSchema,
  },
  'audit.recent': {
    request: z.strictObject({
      limit: z.number().int().min(1).max(500),
      beforeSeq: z.number().int().positive().optional(),
    }),
    reply: z.strictObject({ entries: z.array(auditEntryViewSchema), total: z.number().int() }),
  },
  'audit.verify': {
    request: empty,
    reply: auditVerdictSchema.extend({
      /** Shown beside the verdict, so it can be compared out of band without an export. */
      signingKeyFingerprint: z.string(),
    }),
  },
  /**
   * The log screen's filters; newest first. `matched` counts every match, whatever the page. Answers
   * at once, also while the index is still being read (see `indexing`).
   */
  'audit.query': {
    request: z.strictObject({
      /** Inclusive bounds, milliseconds since the epoch. */
      fromAt: z.number().int().optional(),
      toAt: z.number().int().optional(),
      action: z.string().max(100).optional(),
      outcome: auditOutcomeSchema.optional(),
      subject: z.string().max(200).optional(),
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500),
    }),
    reply: z.strictObject({
      entries: z.array(auditEntryViewSchema),
      total: z.number().int(),
      matched: z.number().int(),
      /** Every action in the log, for the filter's choices. */
      actions: z.array(z.string()),
      /**
       * Present while main is still reading the log into its index (in slices, newest first):
       * `done` of `total` entries so far; `matched` and `actions` cover only those. An unfiltered
       * page is complete anyway; a filtered page is right once it is full. Ask again until absent.
       */
      indexing: z
        .strictObject({ done: z.number().int().nonnegative(), total: z.number().int() })
        .optional(),
    }),
  },
  /**
   * Asks main's save dialog where the export goes, then starts it (logged first). Main writes the
   * file itself, page by page from audit.exportNext; `started: false` when the person cancelled
   * (nothing exported, nothing logged).
   */
  'audit.exportStart': {
    request: z.strictObject({ format: z.enum(['csv', 'json']) }),
    reply: z.discriminatedUnion('started', [
      z.strictObject({ started: z.literal(false) }),
      z.strictObject({
        started: z.literal(true),
        exportId: opaqueId,
        total: z.number().int(),
        /** Shown beside the export: compared out of band with what the verifier prints. */
        signingKeyFingerprint: z.string(),
        /** The chosen file's name (not its folder), for the verify command shown. */
        fileName: z.string(),
      }),
    ]),
  },
  /**
   * Main writes the next page (up to 2,000 entries, fewer when main took its time budget for one
   * page) to the export's file; the page learns only how far it got.
   */
  'audit.exportNext': {
    request: z.strictObject({ exportId: opaqueId }),
    reply: z.strictObject({
      done: z.boolean(),
      written: z.number().int(),
      total: z.number().int(),
    }),
  },
  /**
   * Therapist only: the names behind the client ids that appear in the log, for an auditor who
   * needs them for one export. Logged before the answer is given.
   */
  'audit.revealClients': {
    request: empty,
    reply: z.strictObject({
      clients: z.array(z.strictObject({ clientId: z.string(), displayName: z.string() })),
      /** The seq of the entry that logged this reveal. */
      loggedAs: z.number().int(),
    }),
  },

  'clients.list': {
    request: empty,
    reply: z.strictObject({ clients: z.array(clientSummarySchema) }),
  },
  'clients.add': {
    request: z.strictObject({
      displayName: clientName,
      /** Others in the room for couples and family sessions. */
      otherParticipants: z.array(clientName).max(7, 'A session can have at most 8 participants.'),
    }),
    reply: clientSummarySchema,
  },
  'clients.rename': {
    request: z.strictObject({ clientId: opaqueId, displayName: clientName }),
    reply: clientSummarySchema,
  },
  'clients.archive': {
    request: z.strictObject({ clientId: opaqueId, archived: z.boolean() }),
    reply: clientSummarySchema,
  },
  'clients.detail': { request: clientIdRequest, reply: clientDetailSchema },

  'policy.get': { request: empty, reply: policySchema },
  'policy.set': {
    request: z.strictObject({
      text: z.string().trim().min(20, 'Write the policy in a few sentences.').max(20_000),
    }),
    reply: policySchema,
  },

  'policy.setDefaults': {
    request: z.strictObject({ defaults: defaultTermsSchema }),
    reply: policySchema,
  },
  'consent.sign': {
    request: z.strictObject({
      clientId: opaqueId,
      terms: consentDraftSchema,
      /** Required the first time: the client's PIN or passphrase for review on this laptop. */
      reviewCredential: reviewCredentialSchema.optional(),
    }),
    reply: clientDetailSchema,
  },
  /** An earlier signed version, to read or print again (signed versions never change). */
  'consent.version': {
    request: z.strictObject({ clientId: opaqueId, version: z.number().int().min(1) }),
    reply: z.strictObject({ terms: consentTermsSchema, signedPolicyText: z.string().nullable() }),
  },
  'consent.revoke': {
    request: clientIdRequest,
    reply: z.strictObject({ destroyed: z.number().int() }),
  },
  'consent.endTherapy': {
    request: clientIdRequest,
    reply: z.strictObject({ destroyed: z.number().int() }),
  },
  'takeaways.add': {
    request: z.strictObject({
      clientId: opaqueId,
      recordingId: opaqueId.nullable(),
      text: z.string().trim().min(1, 'Write the takeaway first.').max(10_000),
    }),
    reply: clientDetailSchema,
  },

  'recording.start': {
    request: z.strictObject({
      clientId: opaqueId,
      /** The therapist confirms that consent was reconfirmed aloud at the start of this session. */
      reconfirmedAloud: z.literal(true, {
        error: 'Confirm that consent was reconfirmed aloud first.',
      }),
      roomAudioProcessing: z.boolean().optional(),
    }),
    reply: z.strictObject({ recordingId: opaqueId }),
  },
  'recording.pause': { request: recordingIdRequest, reply: empty },
  'recording.resume': { request: recordingIdRequest, reply: empty },
  'recording.stop': { request: recordingIdRequest, reply: recorderStatusSchema.nullable() },
  'recording.mark': {
    request: z.strictObject({ recordingId: opaqueId, label: z.string().trim().max(80) }),
    reply: z.strictObject({ markerId: z.string(), atMs: z.number().int() }),
  },
  'recording.status': { request: empty, reply: recorderStatusSchema.nullable() },
  'recording.removeRange': {
    request: z.strictObject({
      recordingId: opaqueId,
      fromMs: z.number().int().min(0),
      toMs: z.number().int().min(1),
    }),
    reply: z.strictObject({
      removedChunks: z.number().int(),
      fromMs: z.number().int(),
      toMs: z.number().int(),
    }),
  },
  'recording.destroy': { request: recordingIdRequest, reply: empty },

  'playback.open': { request: recordingIdRequest, reply: playbackSchema },
  'playback.chunk': {
    request: z.strictObject({ playbackId: opaqueId, seq: z.number().int().min(0) }),
    reply: z.strictObject({ seq: z.number().int(), data: bytesSchema }),
  },
  'playback.close': {
    request: z.strictObject({
      playbackId: opaqueId,
      heardMs: z
        .number()
        .int()
        .min(0)
        .max(24 * 3600 * 1000),
    }),
    reply: empty,
  },

  'review.start': {
    request: z.strictObject({ clientId: opaqueId, maxMinutes: z.number().int().min(5).max(240) }),
    reply: empty,
  },
  'review.unlock': {
    request: z.strictObject({ pin: z.string().min(1).max(256) }),
    reply: sessionInfoSchema,
  },
  'review.acknowledge': { request: empty, reply: sessionInfoSchema },
  'review.library': {
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
  'review.revoke': { request: empty, reply: z.strictObject({ destroyed: z.number().int() }) },
  'review.end': { request: empty, reply: empty },
  'review.reset': { request: clientIdRequest, reply: empty },

  'auditors.add': {
    request: z.strictObject({ signInName: clientName, passphrase }),
    reply: z.strictObject({ auditorId: z.string() }),
  },
  'auditors.list': {
    request: empty,
    reply: z.strictObject({
      auditors: z.array(
        z.strictObject({
          auditorId: z.string(),
          createdAt: z.number(),
          removedAt: z.number().nullable(),
        }),
      ),
    }),
  },
  'auditors.remove': { request: z.strictObject({ auditorId: opaqueId }), reply: empty },
  'session.unlockAuditor': {
    request: z.strictObject({ signInName: clientName, passphrase }),
    reply: sessionInfoSchema,
  },

  // Only the capture window may call these (main checks the sender).
  'capture.next': { request: empty, reply: captureCommandSchema },
  'capture.started': {
    request: z.strictObject({
      recordingId: opaqueId,
      mimeType: z.string().regex(/^audio\/(mp4|webm)(;codecs=opus)?$/),
    }),
    reply: empty,
  },
  'capture.chunk': {
    request: z.strictObject({
      recordingId: opaqueId,
      seq: z.number().int().min(0),
      durationMs: z.number().min(0).max(10_000),
      data: bytesSchema.refine(
        (bytes) => bytes.byteLength <= MAX_CHUNK_BYTES,
        'A piece of audio was larger than allowed.',
      ),
    }),
    reply: empty,
  },
  'capture.level': {
    request: z.strictObject({ recordingId: opaqueId, rms: z.number().min(0).max(1) }),
    reply: empty,
  },
  'capture.failed': {
    request: z.strictObject({
      recordingId: opaqueId,
      reason: z.enum(['permission-denied', 'no-microphone', 'device-lost', 'recorder-error']),
    }),
    reply: empty,
  },
  'capture.finished': { request: recordingIdRequest, reply: empty },
} as const;

/** What a client in review may ask for; main refuses every other channel while a review runs. */
export const reviewChannels: readonly Channel[] = [
  'vault.status',
  'session.lock',
  'session.touch',
  'review.acknowledge',
  'review.library',
  'review.revoke',
  'review.end',
  'playback.open',
  'playback.chunk',
  'playback.close',
];

/** What an auditor may ask for: the log, and nothing else. */
export const auditorChannels: readonly Channel[] = [
  'vault.status',
  'session.lock',
  'session.touch',
  'audit.recent',
  'audit.verify',
  'audit.query',
  'audit.exportStart',
  'audit.exportNext',
];

/** Which window may call a channel: the capture window only its own channels, the UI the rest. */
export type Caller = 'ui' | 'capture';
export function callerOf(channel: Channel): Caller {
  return channel.startsWith('capture.') ? 'capture' : 'ui';
}

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Request<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequest<C extends Channel> = z.output<Contract[C]['request']>;
export type Reply<C extends Channel> = z.output<Contract[C]['reply']>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: VaultErrorInfo };

export const channels = Object.keys(contract) as Channel[];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

type DomainOf<C extends string> = C extends `${infer D}.${string}` ? D : never;
type MethodOf<C extends string, D extends string> = C extends `${D}.${infer M}` ? M : never;

/** window.vault: one named method per channel, grouped by domain (vault.status, session.unlock...). */
export type VaultApi = {
  [D in DomainOf<Channel>]: {
    [M in MethodOf<Channel, D>]: `${D}.${M}` extends infer C extends Channel
      ? (request: Request<C>) => Promise<Result<Reply<C>>>
      : never;
  };
};
