// The log screen's filters over a million entries: every entry is opened once per session into a
// compact index (typed arrays of codes, strings kept once in small dictionaries), extended as the
// log grows, and wiped at every lock. A filtered page is then a scan of a few arrays.
import type { AuditEntryView } from '../../shared/api';
import type { AuditEntry, AuditLog, AuditSecrets } from './audit';
import type { AuditorDesk } from './auditor-desk';
import type { VaultLifecycle } from './vault';

export interface AuditQuery {
  /** Inclusive, milliseconds since the epoch. */
  fromAt?: number;
  /** Inclusive. */
  toAt?: number;
  action?: string;
  outcome?: AuditEntryView['outcome'];
  subject?: string;
  /** Paging, newest first: only entries older than this seq are returned (not counted). */
  beforeSeq?: number;
  limit: number;
}

export interface AuditQueryResult {
  entries: AuditEntryView[];
  /** Entries in the log. */
  total: number;
  /** Entries that match the filters (whatever beforeSeq and limit are). */
  matched: number;
  /** Every action in the log, sorted, for the filter's choices. */
  actions: string[];
}

const BUILD_PAGE = 5000;
const ROLES: AuditEntryView['actorRole'][] = [
  'therapist',
  'client',
  'auditor',
  'system',
  'unknown',
];
const OUTCOMES: AuditEntryView['outcome'][] = ['ok', 'refused', 'failed'];

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

class AuditIndex {
  count = 0;
  lastSeq = 0;
  private capacity = 0;
  seq = new Float64Array(0);
  at = new Float64Array(0);
  role = new Uint8Array(0);
  actor = new Uint32Array(0);
  outcome = new Uint8Array(0);
  action = new Uint32Array(0);
  subject = new Uint32Array(0);
  reason = new Uint32Array(0);
  readonly actions = new Dictionary();
  readonly actors = new Dictionary();
  readonly subjects = new Dictionary();
  readonly reasons = new Dictionary();

  constructor(readonly owner: object) {}

  private grow(): void {
    this.capacity = Math.max(1024, this.capacity * 2);
    const grown = <T extends Float64Array | Uint8Array | Uint32Array>(
      old: T,
      make: (n: number) => T,
    ) => {
      const next = make(this.capacity);
      next.set(old);
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

  add(entry: AuditEntry): void {
    if (this.count === this.capacity) this.grow();
    const i = this.count;
    this.seq[i] = entry.seq;
    this.at[i] = entry.at;
    this.role[i] = Math.max(0, ROLES.indexOf(entry.actorRole));
    this.actor[i] = this.actors.code(entry.actorId);
    this.outcome[i] = Math.max(0, OUTCOMES.indexOf(entry.outcome));
    this.action[i] = this.actions.code(entry.action);
    this.subject[i] = this.subjects.code(entry.subject);
    this.reason[i] = this.reasons.code(entry.reason);
    this.count += 1;
    this.lastSeq = entry.seq;
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
    this.count = 0;
  }
}

export class AuditQueries {
  private index: AuditIndex | null = null;
  private readonly watched = new WeakSet<object>();

  constructor(
    private readonly lifecycle: VaultLifecycle,
    private readonly desk: AuditorDesk,
  ) {}

  private forget(): void {
    this.index?.wipe();
    this.index = null;
  }

  /** The index for whoever reads now, opened once and brought up to the log's head. */
  private current(audit: AuditLog, secrets: AuditSecrets): AuditIndex {
    if (!this.watched.has(audit)) {
      audit.onLock(() => this.forget());
      this.watched.add(audit);
    }
    const owner = this.lifecycle.current!;
    const head = audit.head();
    // Another session, or a log that shrank (only tampering does that): start again.
    if (this.index && (this.index.owner !== owner || (head?.seq ?? 0) < this.index.lastSeq))
      this.forget();
    const index = (this.index ??= new AuditIndex(owner));
    if (!head) return index;
    for (;;) {
      const rows = audit.readAscending(secrets, index.lastSeq + 1, head.seq, BUILD_PAGE);
      for (const row of rows) index.add(row.entry);
      if (rows.length < BUILD_PAGE) return index;
    }
  }

  /** Which of these ids the log mentions: as who acted, what it was about, or in a reason. */
  mentioned(ids: readonly string[]): string[] {
    const { secrets } = this.desk.readerSecrets();
    const index = this.current(this.lifecycle.opened().audit, secrets);
    return ids.filter(
      (id) =>
        index.actors.find(id) > 0 ||
        index.subjects.find(id) > 0 ||
        index.reasons.list.some((reason) => reason.includes(id)),
    );
  }

  query(request: AuditQuery): AuditQueryResult {
    const { secrets } = this.desk.readerSecrets();
    const { audit } = this.lifecycle.opened();
    const index = this.current(audit, secrets);
    const action = request.action === undefined ? null : index.actions.find(request.action);
    const subject = request.subject === undefined ? null : index.subjects.find(request.subject);
    const outcome = request.outcome === undefined ? null : OUTCOMES.indexOf(request.outcome);
    const fromAt = request.fromAt ?? -Infinity;
    const toAt = request.toAt ?? Infinity;
    const beforeSeq = request.beforeSeq ?? Infinity;
    const page: number[] = [];
    let matched = 0;
    for (let i = index.count - 1; i >= 0; i -= 1) {
      const at = index.at[i]!;
      if (at < fromAt || at > toAt) continue;
      if (action !== null && index.action[i] !== action) continue;
      if (subject !== null && index.subject[i] !== subject) continue;
      if (outcome !== null && index.outcome[i] !== outcome) continue;
      matched += 1;
      if (page.length < request.limit && index.seq[i]! < beforeSeq) page.push(i);
    }
    return {
      entries: page.map((i) => index.view(i)),
      total: index.count,
      matched,
      actions: [...index.actions.list].sort(),
    };
  }
}
