// The IPC contract: every request and reply, declared once. Main's handler table satisfies it,
// the preload builds window.vault from it, and every payload is parsed with it at the door.
import { z } from 'zod';
import type { VaultErrorInfo } from './errors';

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
  practiceName: z.string(),
  therapistName: z.string(),
  idleLockMinutes: z.number().int(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const vaultStatusSchema = z.strictObject({
  /** absent: no vault yet; unavailable: the file cannot be opened (see `problem`). */
  state: z.enum(['absent', 'locked', 'unlocked', 'unavailable']),
  problem: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  session: sessionInfoSchema.nullable(),
  /** How long until main accepts the next unlock try (0: now). */
  unlockRetryAfterMs: z.number().int().nonnegative(),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

export const auditOutcomeSchema = z.enum(['ok', 'refused', 'failed']);
export const auditEntryViewSchema = z.strictObject({
  seq: z.number().int(),
  at: z.number().int(),
  actorRole: z.enum(['therapist', 'client', 'auditor', 'system', 'unknown']),
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
  'audit.verify': { request: empty, reply: auditVerdictSchema },
} as const;

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
