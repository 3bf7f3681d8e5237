// Main's handle on the thread that makes one export's pages (the `export` job of
// audit-index-worker.ts): asks for the next page and waits for it without blocking, one answer per
// question, in order. Ending it ends the thread and its copy of the key.
import { Worker } from 'node:worker_threads';
import { VaultError, type ErrorCode } from '../../../shared/errors';
import type { ExportPage } from './audit-exports';
import type { ExportJob, ExportMessage } from './audit-index-worker';

interface Waiting {
  resolve: (page: ExportPage) => void;
  reject: (reason: unknown) => void;
}

export class ExportWorker {
  private readonly worker: Worker;
  private readonly waiting: Waiting[] = [];
  private failure: unknown = null;

  constructor(script: string | URL, job: Omit<ExportJob, 'kind'>) {
    this.worker = new Worker(script, { workerData: { kind: 'export', ...job } });
    this.worker.on('message', (message: ExportMessage) => {
      const waiter = this.waiting.shift();
      if (message.kind === 'page') waiter?.resolve(message.page);
      else this.fail(new VaultError(message.code as ErrorCode, message.message), waiter);
    });
    this.worker.on('error', (error) => this.fail(error, this.waiting.shift()));
    this.worker.on('exit', () => this.fail(new VaultError('VAULT_LOCKED'), this.waiting.shift()));
  }

  next(): Promise<ExportPage> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<ExportPage>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage({ kind: 'next' });
    });
  }

  end(): void {
    this.fail(new VaultError('VAULT_LOCKED'), undefined);
    void this.worker.terminate();
  }

  private fail(reason: unknown, first: Waiting | undefined): void {
    this.failure ??= reason;
    first?.reject(this.failure);
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
  }
}
