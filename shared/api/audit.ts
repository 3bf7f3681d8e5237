// audit.* and auditors.*: reading, filtering, verifying and exporting the access log, and the
// auditors who may read it. Also what an entry may say: its actions and refusal reasons are codes.
import { z } from 'zod';
import { empty, epochMs, opaqueId, passphrase, personName, requestSize, rowNumber } from './common';

/** Every action main writes to the log. The renderer has a label for each (audit-words.ts). */
export const auditActionSchema = z.enum([
  'vault.create',
  'session.unlock',
  'session.recover',
  'session.lock',
  'settings.change',
  'passphrase.change',
  'policy.change',
  'audit.export',
  'audit.revealClients',
  'request.refused',
  'auditor.add',
  'auditor.remove',
  'auditor.unlock',
  'client.add',
  'client.rename',
  'client.archive',
  'client.unarchive',
  'consent.sign',
  'consent.revoke',
  'consent.decision',
  'therapy.end',
  'takeaway.add',
  'recording.start',
  'recording.pause',
  'recording.resume',
  'recording.stop',
  'recording.interrupted',
  'recording.mark',
  'recording.removeRange',
  'recording.rename',
  'recording.note',
  'recording.destroy',
  'recording.destroy.complete',
  'capture.started',
  'capture.chunk',
  'capture.finished',
  'playback.start',
  'playback.stop',
  'review.start',
  'review.unlock',
  'review.acknowledge',
  'review.end',
  'review.reset',
  'clock.back',
  'clock.forward',
  'clock.confirm',
  'vault.rollback',
  'integrity.alarm',
  'anchor.write',
  'anchor.confirm',
]);
export type AuditAction = z.infer<typeof auditActionSchema>;

/**
 * Why main refused a request, as the log stores it: a fixed code, turned into words for people in
 * one place (the renderer's audit-words.ts). The stored values stay what older entries already
 * hold. Other reasons in the log are particulars (a lock's cause, a consent decision, how many
 * minutes), written as they are.
 */
export const refusalReason = {
  /** Too many wrong passphrases or PINs: main asks the person to wait. */
  unlockDelayed: 'too many tries: delayed',
  /** A client in review asked for a channel outside review. */
  outsideReview: 'not allowed in client review',
  /** An auditor asked for a channel outside the log. */
  outsideAuditor: 'not allowed for an auditor',
} as const;
export type RefusalReason = (typeof refusalReason)[keyof typeof refusalReason];

export const auditOutcomeSchema = z.enum(['ok', 'refused', 'failed']);
export const auditEntryViewSchema = z.strictObject({
  seq: z.number().int(),
  at: z.number().int(),
  actorRole: z.enum(['therapist', 'client', 'auditor', 'system', 'unknown']),
  /** Pseudonymous: a client id, `auditor:<id>`, or null for the therapist and the system. */
  actorId: z.string().nullable(),
  /** A string, not the action enum: a log written by an older version may hold others. */
  action: z.string(),
  subject: z.string().nullable(),
  outcome: auditOutcomeSchema,
  reason: z.string().nullable(),
  /**
   * When the subject is a recording: what main keeps of it in the clear (never a name), so the
   * log can say "recording of 14 Mar 2025, 10:30 CET" instead of an id. Kept after destruction.
   */
  recording: z
    .strictObject({
      startedAt: z.number().int(),
      clientId: z.string(),
      kind: z.enum(['session', 'voice-note']),
    })
    .optional(),
});
export type AuditEntryView = z.infer<typeof auditEntryViewSchema>;

export const auditVerdictSchema = z.strictObject({
  intact: z.boolean(),
  entries: z.number().int(),
  checkpoints: z.number().int(),
  firstBadSeq: z.number().int().nullable(),
  problem: z.string().nullable(),
  /**
   * A notice, not a break: entry times that go backwards (a clock set back while entries were
   * written, before issue 11 made entry times never go back). Null when none do, or when the
   * entries could not be read (no audit key).
   */
  timeWentBack: z
    .strictObject({
      /** How many entries are earlier than the one before them. */
      count: z.number().int().positive(),
      /** The first such entry. */
      firstSeq: z.number().int().positive(),
      /** The largest step back, in ms. */
      largestMs: z.number().positive(),
    })
    .nullable(),
});
export type AuditVerdict = z.infer<typeof auditVerdictSchema>;

/** The log screen's filters; every bound optional and inclusive. */
export const auditFilterSchema = z.strictObject({
  /** Milliseconds since the epoch. */
  fromAt: epochMs.optional(),
  toAt: epochMs.optional(),
  action: z.string().max(100).optional(),
  outcome: auditOutcomeSchema.optional(),
  subject: z.string().max(200).optional(),
});
export type AuditFilter = z.infer<typeof auditFilterSchema>;

export const auditContract = {
  'audit.recent': {
    callers: ['therapist', 'auditor'],
    size: requestSize.small,
    request: z.strictObject({
      limit: z.number().int().min(1).max(500),
      beforeSeq: rowNumber.min(1).optional(),
    }),
    reply: z.strictObject({ entries: z.array(auditEntryViewSchema), total: z.number().int() }),
  },
  'audit.verify': {
    callers: ['therapist', 'auditor'],
    size: requestSize.small,
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
    callers: ['therapist', 'auditor'],
    size: requestSize.small,
    request: auditFilterSchema.extend({
      beforeSeq: rowNumber.min(1).optional(),
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
    callers: ['therapist', 'auditor'],
    size: requestSize.small,
    request: z.strictObject({
      /** `fhir`: one FHIR R4 AuditEvent per line (NDJSON), docs/fhir-export.md. */
      format: z.enum(['csv', 'json', 'fhir']),
      /**
       * Only the entries matching these filters (CSV and FHIR only: the signed bundle is always
       * the whole log, or it could not be verified). Main filters; the export's entry says how.
       */
      filter: auditFilterSchema.optional(),
    }),
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
        /** Whether only the filtered entries go out. */
        filtered: z.boolean(),
      }),
    ]),
  },
  /**
   * Main writes the next page (up to 2,000 entries, fewer when main took its time budget for one
   * page) to the export's file; the page learns only how far it got. Also once locked: main
   * answers that the export has ended.
   */
  'audit.exportNext': {
    callers: ['therapist', 'auditor', 'locked'],
    size: requestSize.small,
    request: z.strictObject({ exportId: opaqueId }),
    reply: z.strictObject({
      done: z.boolean(),
      /** Entries gone through so far, of `total` (the progress). */
      written: z.number().int(),
      total: z.number().int(),
      /** Entries in the file so far: fewer than `written` when filtered. */
      rows: z.number().int(),
    }),
  },
  /**
   * Opens the folder of an export this session finished, with the file selected. The page names
   * only the export; the path is the one main wrote, never one the page gives.
   */
  'audit.showExport': {
    callers: ['therapist', 'auditor'],
    size: requestSize.small,
    request: z.strictObject({ exportId: opaqueId }),
    reply: empty,
  },
  /**
   * The therapist's and the auditors' names, for the log screen's "Who" (asked once when it opens).
   * Main opens them from a list sealed to the audit key (never a client's name: clients stay ids).
   * `therapist` is null, and an auditor is missing, until the list names them.
   */
  'audit.names': {
    callers: ['therapist', 'auditor'],
    size: requestSize.small,
    request: empty,
    reply: z.strictObject({
      therapist: z.string().max(200).nullable(),
      auditors: z
        .array(z.strictObject({ auditorId: z.string(), name: z.string().max(200) }))
        .max(10_000),
    }),
  },
  /**
   * The names behind the client ids that appear in the log, for an auditor who needs them for one
   * export. Logged before the answer is given.
   */
  'audit.revealClients': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: z.strictObject({
      clients: z.array(z.strictObject({ clientId: z.string(), displayName: z.string() })),
      /** The seq of the entry that logged this reveal. */
      loggedAs: z.number().int(),
    }),
  },

  'auditors.add': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ signInName: personName, passphrase }),
    reply: z.strictObject({ auditorId: z.string() }),
  },
  'auditors.list': {
    callers: ['therapist'],
    size: requestSize.small,
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
  'auditors.remove': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ auditorId: opaqueId }),
    reply: empty,
  },
} as const;
