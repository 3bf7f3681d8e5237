// vault.*, session.* and settings.*: the vault itself, who is signed in, and the idle lock.
import { z } from 'zod';
import { empty, passphrase, personName } from './common';

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
    request: empty,
    reply: vaultStatusSchema,
  },
  /** The background integrity check's answer, for the lock screen and the therapist's screens. */
  'vault.integrity': {
    callers: ['locked', 'therapist'],
    request: empty,
    reply: integrityStatusSchema,
  },
  'vault.create': {
    callers: ['locked'],
    request: z.strictObject({ practiceName: personName, therapistName: personName, passphrase }),
    reply: z.strictObject({ recoveryKey: z.string(), session: sessionInfoSchema }),
  },
  /** Also while signed in: whoever is signed in stays so until the passphrase proves right. */
  'session.unlock': {
    callers: ['locked', 'therapist'],
    request: z.strictObject({ passphrase }),
    reply: sessionInfoSchema,
  },
  'session.recover': {
    callers: ['locked', 'therapist'],
    request: z.strictObject({ recoveryKey: z.string().min(1).max(200), newPassphrase: passphrase }),
    reply: sessionInfoSchema,
  },
  'session.unlockAuditor': {
    callers: ['locked', 'therapist'],
    request: z.strictObject({ signInName: personName, passphrase }),
    reply: sessionInfoSchema,
  },
  'session.lock': {
    callers: ['locked', 'therapist', 'client', 'auditor'],
    request: empty,
    reply: empty,
  },
  /** The person is still here: pushes the idle lock back. */
  'session.touch': {
    callers: ['locked', 'therapist', 'client', 'auditor'],
    request: empty,
    reply: empty,
  },
  'settings.setIdleLock': {
    callers: ['therapist'],
    request: z.strictObject({ minutes: z.number().int().min(1).max(60) }),
    reply: sessionInfoSchema,
  },
} as const;
