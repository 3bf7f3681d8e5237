// The log screen's queries, answered from the compact index of the log (audit-index.ts).
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
import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/errors';
import type { AuditEntryView } from '../../../shared/api';
import { VaultError } from '../../../shared/errors';
import type { AuditSecrets } from './audit-format';
import type { AuditLog } from './audit-log';
import { AuditIndex, OUTCOMES, viewOf } from './audit-index';
import type { IndexMessage } from './audit-index-worker';
import type { AuditorService } from './auditor-service';
import type { VaultService } from '../vault/vault-service';

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
/** Entries per message from the index worker: a couple of milliseconds of main's time to take in. */
const WORKER_BATCH = 2000;
/** A slice of the build stops after this long (checked after every batch)... */
export const SLICE_BUDGET_MS = 30;
/** ...or after this many entries, whichever comes first. */
export const SLICE_MAX_ENTRIES = 20_000;
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
  /** The thread reading the log below the index, while one does (see audit-index-worker.ts). */
  private worker: Worker | null = null;

  /**
   * `indexWorker`: the built audit-index-worker script. With it, the log is read into the index
   * by a worker thread; without it, in slices on main.
   */
  constructor(
    private readonly lifecycle: VaultService,
    private readonly auditors: AuditorService,
    private readonly indexWorker?: string | URL,
  ) {}

  /** Whether a worker thread is reading the log for the index now. */
  get workerReading(): boolean {
    return this.worker !== null;
  }

  /** Drops the index (wiped) and the build; whoever waited for it is told `reason`. */
  private forget(reason: unknown = new VaultError('VAULT_LOCKED')): void {
    if (this.nextSlice) clearImmediate(this.nextSlice);
    this.nextSlice = null;
    // Ending the thread ends its copy of the key with it.
    void this.worker?.terminate();
    this.worker = null;
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
      if (this.indexWorker !== undefined && !index.bottomDone)
        this.startWorker(index, audit, secrets);
      else this.slice(index, audit, secrets);
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

  /** Reads everything below the index in a worker thread; its batches go in as they come. */
  private startWorker(index: AuditIndex, audit: AuditLog, secrets: AuditSecrets): void {
    const worker = new Worker(this.indexWorker!, {
      workerData: {
        kind: 'index',
        path: this.lifecycle.path,
        vaultId: new Uint8Array(audit.vaultIdBytes),
        // A copy for this job: the worker wipes it when done, and dies with it at a lock.
        boxSecretKey: new Uint8Array(secrets.box.secretKey),
        beforeSeq: index.nextBelow,
        batch: WORKER_BATCH,
      },
    });
    this.worker = worker;
    const failed = (error: unknown) => {
      if (this.worker !== worker) return;
      this.forget(error);
      this.failure = error;
    };
    worker.on('message', (message: IndexMessage) => {
      if (this.worker !== worker || this.index !== index) return;
      try {
        if (message.kind === 'entries') for (const entry of message.entries) index.prepend(entry);
        else if (message.kind === 'failed')
          throw new VaultError(message.code as ErrorCode, message.message);
        else {
          index.bottomDone = true;
          this.worker = null;
          void worker.terminate();
          this.settle(index, this.lifecycle.opened().audit);
        }
      } catch (error) {
        failed(error);
      }
    });
    worker.on('error', failed);
  }

  /** One slice of the build: the top first, then downwards; at most SLICE_BUDGET_MS. */
  private slice(index: AuditIndex, audit: AuditLog, secrets: AuditSecrets): void {
    const started = performance.now();
    let read = 0;
    while (read < SLICE_MAX_ENTRIES && performance.now() - started < SLICE_BUDGET_MS) {
      let step = this.readTop(index, audit, secrets, audit.head()?.seq ?? 0);
      if (step === 0 && !index.bottomDone && this.worker === null) {
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
    // The worker's batches drive the build; its end settles again.
    if (this.worker !== null) return;
    this.nextSlice ??= setImmediate(() => {
      this.nextSlice = null;
      if (this.index !== index) return;
      try {
        // Slices run for the session that started them only; a lock has dropped the index.
        if (this.lifecycle.current !== index.owner) throw new VaultError('VAULT_LOCKED');
        const { secrets } = this.auditors.readerSecrets();
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
    const { secrets } = this.auditors.readerSecrets();
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
    const { secrets } = this.auditors.readerSecrets();
    const index = this.current(this.lifecycle.opened().audit, secrets);
    return ids.filter(
      (id) =>
        index.actors.find(id) > 0 ||
        index.subjects.find(id) > 0 ||
        index.reasons.list.some((reason) => reason.includes(id)),
    );
  }

  query(request: AuditQuery): AuditQueryResult {
    const { secrets } = this.auditors.readerSecrets();
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
