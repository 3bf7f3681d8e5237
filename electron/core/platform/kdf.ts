// Where a passphrase's Argon2id runs. At DEFAULT_KDF it takes about 0.56 s (docs/benchmarks.md
// `unlock_ms`): on main that is a turn in which nothing else runs, at every unlock. Given the
// worker's script (kdf-worker.ts, built beside main.js), KdfThread runs it in a thread kept for
// the core's life; without one (the unit tests' light KDF) it runs on main, as it always did.
import { Worker } from 'node:worker_threads';
import { deriveKek, type KdfParams } from './crypto';
import type { KdfJob, KdfMessage } from './kdf-worker';

/** Derives a KEK; the caller wipes it. */
export type DeriveKek = (secret: Uint8Array, params: KdfParams) => Promise<Uint8Array>;

export const deriveOnMain: DeriveKek = (secret, params) =>
  Promise.resolve().then(() => deriveKek(secret, params));

/** The derivation did not run (the thread failed): no try, and nothing to do with the secret. */
export class KdfError extends Error {
  constructor(detail: string) {
    super(`the key derivation failed: ${detail}`);
    this.name = 'KdfError';
  }
}

/**
 * One worker thread for the KDF, started at the first derivation and kept until `close` (a
 * fresh thread pays for first touching Argon2id's memory at every unlock: kdf-worker.ts). A
 * thread that fails fails its jobs and is replaced at the next. It never keeps the app running.
 */
export class KdfThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (kek: Uint8Array) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly script: string | URL) {}

  readonly derive: DeriveKek = (secret, params) =>
    new Promise<Uint8Array>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      // A copy for the thread, which wipes it; the caller keeps and wipes its own.
      const job: KdfJob = { id, secret: new Uint8Array(secret), params };
      this.thread().postMessage(job, [job.secret.buffer as ArrayBuffer]);
    });

  /** The core is closing: the thread ends, and a derivation still running is refused. */
  close(): void {
    const worker = this.worker;
    this.worker = null;
    if (worker) void worker.terminate();
    this.failAll('the app is closing');
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.unref();
    worker.on('message', (message: KdfMessage) => {
      const job = this.pending.get(message.id);
      if (!job) return;
      this.pending.delete(message.id);
      if (message.kind === 'kek') job.resolve(message.kek);
      else job.reject(new KdfError(message.message));
    });
    const lost = (detail: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      void worker.terminate();
      this.failAll(detail);
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', () => lost('the thread stopped'));
    this.worker = worker;
    return worker;
  }

  private failAll(detail: string): void {
    const jobs = [...this.pending.values()];
    this.pending.clear();
    for (const job of jobs) job.reject(new KdfError(detail));
  }
}
