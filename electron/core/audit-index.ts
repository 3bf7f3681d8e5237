// The log screen's filters over a million entries: every entry is opened once per session into a
// compact index (typed arrays of codes, strings kept once in small dictionaries), extended as the
// log grows, and wiped at every lock. A filtered page is then a scan of a few arrays.
//
// Opening a million entries takes seconds, and main must never stop answering for that long (a
// recording's chunks pass through it). So the index is built in slices of at most SLICE_BUDGET_MS
// or SLICE_MAX_ENTRIES, with setImmediate between them, started by the first query (or reveal) of
// a session. A query answers at once, with what is indexed so far and `indexing: { done, total }`;
// the screen asks again until that is gone. The build reads newest first, so a filtered page that
// fills up from the indexed part is already the right page (everything still unread is older);
// an unfiltered page needs no index and is read straight from the log. Entries appended meanwhile
// are read at the top, before the next answer.
import { performance } from 'node:perf_hooks';
import type { AuditEntryView } from '../../shared/api';
import { VaultError } from '../../shared/errors';
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
  /**
   * Present while the index is still being read: `done` of about `total` entries so far, newest
   * first. `matched` and `actions` then cover only those; `total` is the log's head.
   */
  indexing?: { done: number; total: number };
}

/** Entries opened per read from the log (a few milliseconds). */
const BUILD_BATCH = 250;
/** A slice of the build stops after this long (checked after every batch)... */
export const SLICE_BUDGET_MS = 30;
/** ...or after this many entries, whichever comes first. */
export const SLICE_MAX_ENTRIES = 20_000;
/** Free slots above the head when an index starts, for entries appended during the session. */
const TOP_ROOM = 1024;
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

/** What the screen shows of an entry, coded as the index codes it (so both paths agree). */
function viewOf(entry: AuditEntry): AuditEntryView {
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
class AuditIndex {
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

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
}

export class AuditQueries {
  private index: AuditIndex | null = null;
  /** The next slice of the build, while one is due. */
  private nextSlice: NodeJS.Immediate | null = null;
  /** Who waits for the whole index (the reveal); told when it is in, or when it is dropped. */
  private waiters: Waiter[] = [];
  /** What stopped a slice between queries (a damaged entry): the next query reports it. */
  private failure: unknown = null;
  private readonly watched = new WeakSet<object>();

  constructor(
    private readonly lifecycle: VaultLifecycle,
    private readonly desk: AuditorDesk,
  ) {}

  /** Drops the index (wiped) and the build; whoever waited for it is told `reason`. */
  private forget(reason: unknown = new VaultError('VAULT_LOCKED')): void {
    if (this.nextSlice) clearImmediate(this.nextSlice);
    this.nextSlice = null;
    this.index?.wipe();
    this.index = null;
    for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
  }

  /**
   * The index for whoever reads now, with what was appended since the last answer read in at the
   * top (for up to SLICE_BUDGET_MS; the slices read the rest). A new index gets its first slice.
   */
  private current(audit: AuditLog, secrets: AuditSecrets): AuditIndex {
    if (!this.watched.has(audit)) {
      audit.onLock(() => this.forget());
      this.watched.add(audit);
    }
    if (this.failure !== null) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
    const owner = this.lifecycle.current!;
    const headSeq = audit.head()?.seq ?? 0;
    // Another session, or a log that shrank (only tampering does that): start again.
    if (this.index && (this.index.owner !== owner || headSeq < this.index.lastSeq)) this.forget();
    let index = this.index;
    if (!index) {
      index = this.index = new AuditIndex(owner, headSeq);
      this.slice(index, audit, secrets);
    } else {
      const started = performance.now();
      while (
        performance.now() - started < SLICE_BUDGET_MS &&
        this.readTop(index, audit, secrets, headSeq) > 0
      );
    }
    this.settle(index, audit);
    return index;
  }

  /** Reads one batch of entries appended above the index; 0 when there are none. */
  private readTop(
    index: AuditIndex,
    audit: AuditLog,
    secrets: AuditSecrets,
    headSeq: number,
  ): number {
    if (headSeq <= index.lastSeq) return 0;
    const rows = audit.readAscending(secrets, index.lastSeq + 1, headSeq, BUILD_BATCH);
    for (const row of rows) index.append(row.entry);
    return rows.length;
  }

  /** One slice of the build: the top first, then downwards; at most SLICE_BUDGET_MS. */
  private slice(index: AuditIndex, audit: AuditLog, secrets: AuditSecrets): void {
    const started = performance.now();
    let read = 0;
    while (read < SLICE_MAX_ENTRIES && performance.now() - started < SLICE_BUDGET_MS) {
      let step = this.readTop(index, audit, secrets, audit.head()?.seq ?? 0);
      if (step === 0 && !index.bottomDone) {
        const limit = Math.min(BUILD_BATCH, SLICE_MAX_ENTRIES - read);
        const entries = audit.read(secrets, { beforeSeq: index.nextBelow, limit });
        for (const entry of entries) index.prepend(entry);
        if (entries.length < limit) index.bottomDone = true;
        step = entries.length;
      }
      if (step === 0) break;
      read += step;
    }
  }

  /** After a slice or a query: tells the waiters when the index is whole, else books a slice. */
  private settle(index: AuditIndex, audit: AuditLog): void {
    if (index.complete(audit.head()?.seq ?? 0)) {
      for (const waiter of this.waiters.splice(0)) waiter.resolve();
      return;
    }
    this.nextSlice ??= setImmediate(() => {
      this.nextSlice = null;
      if (this.index !== index) return;
      try {
        // Slices run for the session that started them only; a lock has dropped the index.
        if (this.lifecycle.current !== index.owner) throw new VaultError('VAULT_LOCKED');
        const { secrets } = this.desk.readerSecrets();
        const { audit: log } = this.lifecycle.opened();
        this.slice(index, log, secrets);
        this.settle(index, log);
      } catch (error) {
        this.forget(error);
        if (!(error instanceof VaultError && error.code === 'VAULT_LOCKED')) this.failure = error;
      }
    });
  }

  /** Resolves once the index holds the whole log (the build goes on between slices meanwhile). */
  async whenComplete(): Promise<void> {
    const { secrets } = this.desk.readerSecrets();
    const { audit } = this.lifecycle.opened();
    const index = this.current(audit, secrets);
    if (index.complete(audit.head()?.seq ?? 0)) return;
    await new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * Which of these ids the log mentions: as who acted, what it was about, or in a reason. Waits for
   * the whole index.
   */
  async mentioned(ids: readonly string[]): Promise<string[]> {
    await this.whenComplete();
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
    const headSeq = audit.head()?.seq ?? 0;
    const actions = [...index.actions.list].sort();
    const unfiltered =
      request.fromAt === undefined &&
      request.toAt === undefined &&
      request.action === undefined &&
      request.outcome === undefined &&
      request.subject === undefined;
    if (!index.complete(headSeq)) {
      const total = index.estimatedTotal(headSeq);
      const indexing = { done: index.count, total };
      // Newest first needs no index: read the page from the log.
      if (unfiltered) {
        const entries = audit.read(secrets, {
          limit: request.limit,
          ...(request.beforeSeq === undefined ? {} : { beforeSeq: request.beforeSeq }),
        });
        return { entries: entries.map(viewOf), total, matched: total, actions, indexing };
      }
      return { ...this.scan(index, request), total, actions, indexing };
    }
    return { ...this.scan(index, request), total: index.count, actions };
  }

  /** A filtered page and the count of matches, over what the index holds. */
  private scan(
    index: AuditIndex,
    request: AuditQuery,
  ): { entries: AuditEntryView[]; matched: number } {
    const action = request.action === undefined ? null : index.actions.find(request.action);
    const subject = request.subject === undefined ? null : index.subjects.find(request.subject);
    const outcome = request.outcome === undefined ? null : OUTCOMES.indexOf(request.outcome);
    const fromAt = request.fromAt ?? -Infinity;
    const toAt = request.toAt ?? Infinity;
    const beforeSeq = request.beforeSeq ?? Infinity;
    const page: number[] = [];
    let matched = 0;
    for (let i = index.end - 1; i >= index.start; i -= 1) {
      const at = index.at[i]!;
      if (at < fromAt || at > toAt) continue;
      if (action !== null && index.action[i] !== action) continue;
      if (subject !== null && index.subject[i] !== subject) continue;
      if (outcome !== null && index.outcome[i] !== outcome) continue;
      matched += 1;
      if (page.length < request.limit && index.seq[i]! < beforeSeq) page.push(i);
    }
    return { entries: page.map((i) => index.view(i)), matched };
  }
}
