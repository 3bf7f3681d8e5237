// The log screen's filters over a million entries: every entry is opened once per session into a
// compact index (typed arrays of codes, strings kept once in small dictionaries), extended as the
// log grows, and wiped at every lock. A filtered page is then a scan of a few arrays. This is the
// index; audit-queries.ts builds it in slices and answers the screen from it.
import type { AuditEntryView } from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import type { AuditEntry } from './audit-format';

/** Free slots above the head when an index starts, for entries appended during the session. */
const TOP_ROOM = 1024;
const ROLES: AuditEntryView['actorRole'][] = [
  'therapist',
  'client',
  'auditor',
  'system',
  'unknown',
];
export const OUTCOMES: AuditEntryView['outcome'][] = ['ok', 'refused', 'failed'];

/** Strings kept once; code 0 is null, code i + 1 is list[i]. */
class Dictionary {
  private readonly codes = new Map<string, number>();
  readonly list: string[] = [];

  code(value: string | null): number {
    if (value === null) return 0;
    let code = this.codes.get(value);
    if (code === undefined) {
      this.list.push(value);
      code = this.list.length;
      this.codes.set(value, code);
    }
    return code;
  }

  /** -1 when the value never occurs (so nothing matches). */
  find(value: string): number {
    return this.codes.get(value) ?? -1;
  }

  value(code: number): string | null {
    return code === 0 ? null : this.list[code - 1]!;
  }

  clear(): void {
    this.codes.clear();
    this.list.length = 0;
  }
}

/** What the screen shows of an entry, coded as the index codes it (so both paths agree). */
export function viewOf(entry: AuditEntry): AuditEntryView {
  return {
    seq: entry.seq,
    at: entry.at,
    actorRole: ROLES[Math.max(0, ROLES.indexOf(entry.actorRole))]!,
    actorId: entry.actorId,
    action: entry.action,
    subject: entry.subject,
    outcome: OUTCOMES[Math.max(0, OUTCOMES.indexOf(entry.outcome))]!,
    reason: entry.reason,
  };
}

/**
 * Slots [start, end) hold the entries read, oldest first: the build fills downwards from the head
 * the session started with, entries appended since go on at the top. Every entry with a seq from
 * `nextBelow` to `lastSeq` is in; `bottomDone` once nothing is left below `nextBelow`.
 */
export class AuditIndex {
  start: number;
  end: number;
  lastSeq: number;
  nextBelow: number;
  bottomDone: boolean;
  private capacity: number;
  seq: Float64Array;
  at: Float64Array;
  role: Uint8Array;
  actor: Uint32Array;
  outcome: Uint8Array;
  action: Uint32Array;
  subject: Uint32Array;
  reason: Uint32Array;
  readonly actions = new Dictionary();
  readonly actors = new Dictionary();
  readonly subjects = new Dictionary();
  readonly reasons = new Dictionary();

  /** Seqs are distinct positive integers, so at most `headSeq` entries lie at or below the head. */
  constructor(
    readonly owner: object,
    headSeq: number,
  ) {
    this.capacity = headSeq + TOP_ROOM;
    this.seq = new Float64Array(this.capacity);
    this.at = new Float64Array(this.capacity);
    this.role = new Uint8Array(this.capacity);
    this.actor = new Uint32Array(this.capacity);
    this.outcome = new Uint8Array(this.capacity);
    this.action = new Uint32Array(this.capacity);
    this.subject = new Uint32Array(this.capacity);
    this.reason = new Uint32Array(this.capacity);
    this.start = headSeq;
    this.end = headSeq;
    this.lastSeq = headSeq;
    this.nextBelow = headSeq + 1;
    this.bottomDone = headSeq === 0;
  }

  get count(): number {
    return this.end - this.start;
  }

  private grow(): void {
    this.capacity *= 2;
    const grown = <T extends Float64Array | Uint8Array | Uint32Array>(
      old: T,
      make: (n: number) => T,
    ) => {
      const next = make(this.capacity);
      next.set(old);
      old.fill(0);
      return next;
    };
    this.seq = grown(this.seq, (n) => new Float64Array(n));
    this.at = grown(this.at, (n) => new Float64Array(n));
    this.role = grown(this.role, (n) => new Uint8Array(n));
    this.actor = grown(this.actor, (n) => new Uint32Array(n));
    this.outcome = grown(this.outcome, (n) => new Uint8Array(n));
    this.action = grown(this.action, (n) => new Uint32Array(n));
    this.subject = grown(this.subject, (n) => new Uint32Array(n));
    this.reason = grown(this.reason, (n) => new Uint32Array(n));
  }

  private put(i: number, entry: AuditEntry): void {
    this.seq[i] = entry.seq;
    this.at[i] = entry.at;
    this.role[i] = Math.max(0, ROLES.indexOf(entry.actorRole));
    this.actor[i] = this.actors.code(entry.actorId);
    this.outcome[i] = Math.max(0, OUTCOMES.indexOf(entry.outcome));
    this.action[i] = this.actions.code(entry.action);
    this.subject[i] = this.subjects.code(entry.subject);
    this.reason[i] = this.reasons.code(entry.reason);
  }

  /** A newer entry, at the top. */
  append(entry: AuditEntry): void {
    if (this.end === this.capacity) this.grow();
    this.put(this.end, entry);
    this.end += 1;
    this.lastSeq = entry.seq;
  }

  /** An older entry, at the bottom. */
  prepend(entry: AuditEntry): void {
    // Only a seq below 1 (written by hand into the file) could run out of room here.
    if (this.start === 0 || entry.seq >= this.nextBelow)
      throw new VaultError('VAULT_DAMAGED', `Access log entry ${entry.seq} is out of place.`);
    this.start -= 1;
    this.put(this.start, entry);
    this.nextBelow = entry.seq;
  }

  view(i: number): AuditEntryView {
    return {
      seq: this.seq[i]!,
      at: this.at[i]!,
      actorRole: ROLES[this.role[i]!]!,
      actorId: this.actors.value(this.actor[i]!),
      action: this.actions.value(this.action[i]!) ?? '',
      subject: this.subjects.value(this.subject[i]!),
      outcome: OUTCOMES[this.outcome[i]!]!,
      reason: this.reasons.value(this.reason[i]!),
    };
  }

  /** Everything up to the log's head is in. */
  complete(headSeq: number): boolean {
    return this.bottomDone && this.lastSeq >= headSeq;
  }

  /** Entries in the log, from the seqs: exact once complete, and for any log without gaps. */
  estimatedTotal(headSeq: number): number {
    return (
      this.count + (this.bottomDone ? 0 : this.nextBelow - 1) + Math.max(0, headSeq - this.lastSeq)
    );
  }

  wipe(): void {
    for (const array of [
      this.seq,
      this.at,
      this.role,
      this.actor,
      this.outcome,
      this.action,
      this.subject,
      this.reason,
    ])
      array.fill(0);
    this.actions.clear();
    this.actors.clear();
    this.subjects.clear();
    this.reasons.clear();
    this.start = 0;
    this.end = 0;
  }
}
