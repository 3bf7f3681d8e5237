// vault.*, session.* and settings.*: the vault itself, who is signed in, and the idle lock.
import { z } from 'zod';
import { empty, passphrase, personName, requestSize } from './common';

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

const detailText = (what: string, max: number) =>
  z.string().trim().max(max, `Use at most ${max} characters for the ${what}.`);

/**
 * The practice and the therapist, as the printed consent's header names them; set in Settings and
 * sealed with the master key (a licence and a name are personal). Empty text means not set yet.
 */
export const practiceDetailsSchema = z.strictObject({
  practiceName: personName,
  address: detailText('address', 300),
  phone: z
    .string()
    .trim()
    .max(40, 'Use at most 40 characters for the phone number.')
    .regex(/^[0-9+()./\s-]*$/, 'Write the phone number with digits, spaces, + ( ) - . or / only.'),
  therapistName: personName,
  licence: z.strictObject({
    kind: detailText('licence type', 120),
    number: detailText('licence number', 60),
    jurisdiction: detailText('state or country', 120),
  }),
});
export type PracticeDetails = z.infer<typeof practiceDetailsSchema>;

/** What the laptop's clock did, as main sees it (trusted-clock.ts). */
export const clockStatusSchema = z.strictObject({
  /** How far the system clock reads behind the vault's own time, or null when it does not. */
  behindByMs: z.number().nonnegative().nullable(),
  /** The clock leapt forward: nothing is destroyed by date until the therapist confirms it. */
  destructionHeld: z.boolean(),
  /** The date the clock leapt to, while destruction is held. */
  heldAt: z.number().nullable(),
});
export type ClockStatus = z.infer<typeof clockStatusSchema>;
/**
 * What the rollback check found at this open (docs/threat-model.md, "Mechanisms (b)"), for the
 * lock screen, the therapist's screens and the auditor's log screen. Null when all was well.
 */
export const integrityNoticeSchema = z.strictObject({
  kind: z.enum(['rollback', 'rewritten', 'anchor-missing', 'unavailable']),
  at: z.number(),
  /** Log entries the copy lacks compared with the anchor. */
  missingEntries: z.number().int().nonnegative(),
  /** Destructions, revocations and ends of therapy redone. */
  redone: z.number().int().nonnegative(),
  /** Closing events after the copy that the anchor could not name one by one. */
  unnamed: z.number().int().nonnegative(),
  /**
   * Nothing plays or records until the therapist confirms (vault.confirmAnchor): the anchor was
   * missing or forged, or a rollback undid more than the anchor names one by one.
   */
  held: z.boolean(),
  message: z.string(),
});
export type IntegrityNotice = z.infer<typeof integrityNoticeSchema>;
export type RollbackNotice = Omit<IntegrityNotice, 'message'>;

/** Why the vault last locked, for the lock screen; null after an unlock, a hand-over or a quit. */
export const lastLockSchema = z.strictObject({
  reason: z.enum(['button', 'idle', 'screen-lock', 'suspend']),
  at: z.number(),
  /** The idle minutes in force, when it locked for being idle. */
  idleMinutes: z.number().int().nullable(),
});
export type LastLock = z.infer<typeof lastLockSchema>;

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
  clock: clockStatusSchema,
  integrity: integrityNoticeSchema.nullable(),
  /**
   * In client review, how long until the review's time limit by main's monotonic clock (the page
   * counts down from it and takes it again at every poll); null outside a review.
   */
  reviewMsLeft: z.number().int().nonnegative().nullable().optional(),
  /**
   * How long until the idle lock (or a review's idle end) by main's monotonic clock, so the page
   * can warn a minute ahead (WCAG 2.2.1); null while nobody is signed in.
   */
  idleMsLeft: z.number().int().nonnegative().nullable().optional(),
  lastLock: lastLockSchema.nullable(),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

/** A tamper alarm: something that decides access or destruction did not verify (issue 11). */
export const integrityAlarmSchema = z.strictObject({
  /** What did not verify: a key id, `client/<id>`, `recording/<id>`. */
  subject: z.string(),
  clientId: z.string().nullable(),
  /** The client's name, for the therapist when their key still opens; never for an auditor. */
  clientName: z.string().nullable(),
  problem: z.string(),
  at: z.number().int(),
});
export type IntegrityAlarmView = z.infer<typeof integrityAlarmSchema>;

export const integrityStatusSchema = z.strictObject({
  /** The whole-file check that runs in the background after start (never before the first screen). */
  state: z.enum(['not-started', 'checking', 'ok', 'damaged', 'failed']),
  message: z.string(),
  /** When the last finished check answered (ok or damaged). */
  checkedAt: z.number().nullable(),
});
export type IntegrityStatus = z.infer<typeof integrityStatusSchema>;

export const vaultContract = {
  'vault.status': {
    callers: ['locked', 'therapist', 'client', 'auditor'],
    size: requestSize.small,
    request: empty,
    reply: vaultStatusSchema,
  },
  /** Tamper alarms since the vault was opened, for the therapist's and the auditor's screens. */
  'vault.integrity': {
    callers: ['therapist', 'auditor'],
    size: requestSize.small,
    request: empty,
    reply: z.strictObject({ alarms: z.array(integrityAlarmSchema) }),
  },
  /** The background integrity check's answer, for the lock screen and the therapist's screens. */
  'vault.fileCheck': {
    callers: ['locked', 'therapist'],
    size: requestSize.small,
    request: empty,
    reply: integrityStatusSchema,
  },
  'vault.create': {
    callers: ['locked'],
    size: requestSize.small,
    request: z.strictObject({ practiceName: personName, therapistName: personName, passphrase }),
    /** `deviceName`: this laptop's name, printed on the recovery sheet beside the key. */
    reply: z.strictObject({
      recoveryKey: z.string(),
      session: sessionInfoSchema,
      deviceName: z.string(),
    }),
  },
  /** Also while signed in: whoever is signed in stays so until the passphrase proves right. */
  'session.unlock': {
    callers: ['locked', 'therapist'],
    size: requestSize.small,
    request: z.strictObject({ passphrase }),
    reply: sessionInfoSchema,
  },
  'session.recover': {
    callers: ['locked', 'therapist'],
    size: requestSize.small,
    request: z.strictObject({ recoveryKey: z.string().min(1).max(200), newPassphrase: passphrase }),
    reply: sessionInfoSchema,
  },
  'session.unlockAuditor': {
    callers: ['locked', 'therapist'],
    size: requestSize.small,
    request: z.strictObject({ signInName: personName, passphrase }),
    reply: sessionInfoSchema,
  },
  /** The signed-in therapist replaces the passphrase: the old one first, then a strong new one. */
  'session.changePassphrase': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ oldPassphrase: passphrase, newPassphrase: passphrase }),
    reply: empty,
  },
  'session.lock': {
    callers: ['locked', 'therapist', 'client', 'auditor'],
    size: requestSize.small,
    request: empty,
    reply: empty,
  },
  /** The person is still here: pushes the idle lock back. */
  'session.touch': {
    callers: ['locked', 'therapist', 'client', 'auditor'],
    size: requestSize.small,
    request: empty,
    reply: empty,
  },
  /** The therapist says the date the laptop shows is right: held destruction catches up. */
  'vault.confirmDate': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: clockStatusSchema,
  },
  /** The practice and the therapist as the printed consent names them. */
  'settings.practice': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: practiceDetailsSchema,
  },
  'settings.setPractice': {
    callers: ['therapist'],
    size: requestSize.small,
    request: practiceDetailsSchema,
    reply: practiceDetailsSchema,
  },
  /**
   * The therapist has read the integrity notice that holds every recording (a missing or forged
   * anchor, or a rollback the anchor cannot name in full): logged, then the hold is lifted.
   */
  'vault.confirmAnchor': {
    callers: ['therapist'],
    size: requestSize.small,
    request: empty,
    reply: integrityNoticeSchema.nullable(),
  },
  'settings.setIdleLock': {
    callers: ['therapist'],
    size: requestSize.small,
    request: z.strictObject({ minutes: z.number().int().min(1).max(60) }),
    reply: sessionInfoSchema,
  },
} as const;
