// The access log's long reads, in a worker thread: opening a million sealed entries takes seconds,
// and main must not stand still for any of it (a recording's chunks pass through main). The worker
// opens its own read-only connection and is given the audit box key for this one job. Two jobs:
// - index: reads the log newest first below `beforeSeq` and posts the entries in batches; main
//   puts them in the log screen's index (audit-queries.ts);
// - verify: walks the whole chain, every checkpoint and every sealed entry, and posts the verdict
//   (audit-verifier.ts);
// - export: makes one export's pages, one each time main asks (export-worker.ts); main writes them.
// The key and the epoch keys it opened are wiped when the job ends.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { VaultError } from '../../../shared/errors';
import { AuditLog } from './audit-log';
import { nextPage, type ExportPage, type PageCursor } from './audit-exports';
import type { AuditVerdict } from '../../../shared/api';
import type { AuditEntry, AuditSecrets } from './audit-format';
import { boxPublicKeyOf, initCrypto, wipe } from '../platform/crypto';
import { openVaultDbReadOnly } from '../platform/db';

export interface IndexJob {
  kind: 'index';
  path: string;
  vaultId: Uint8Array;
  boxSecretKey: Uint8Array;
  /** Entries below this seq, newest first. */
  beforeSeq: number;
  batch: number;
}

export interface VerifyJob {
  kind: 'verify';
  path: string;
  vaultId: Uint8Array;
  boxSecretKey: Uint8Array;
  /** The signing key main holds: the walk checks the log's own against it, as on main. */
  signingPublicKey: Uint8Array;
}

export interface ExportJob {
  kind: 'export';
  path: string;
  vaultId: Uint8Array;
  boxSecretKey: Uint8Array;
  /** Where the export starts: its header, head and filter, as main logged and signed them. */
  cursor: PageCursor;
}

export type WorkerJob = IndexJob | VerifyJob | ExportJob;

export type IndexMessage =
  | { kind: 'entries'; entries: AuditEntry[] }
  | { kind: 'done' }
  | { kind: 'failed'; code: string; message: string };

export type ExportMessage =
  { kind: 'page'; page: ExportPage } | { kind: 'failed'; code: string; message: string };

export type VerifyMessage =
  { kind: 'verdict'; verdict: AuditVerdict } | { kind: 'failed'; code: string; message: string };

async function verify(job: VerifyJob, post: (message: VerifyMessage) => void): Promise<void> {
  await initCrypto();
  const db = openVaultDbReadOnly(job.path);
  const audit = new AuditLog(db, job.vaultId, () => 0);
  // The walk opens entries and checks signatures; it never signs.
  const secrets: AuditSecrets = {
    box: { secretKey: job.boxSecretKey, publicKey: boxPublicKeyOf(job.boxSecretKey) },
    signing: { secretKey: new Uint8Array(0), publicKey: job.signingPublicKey },
  };
  try {
    post({ kind: 'verdict', verdict: audit.verify(secrets) });
  } finally {
    audit.rotateEpoch();
    wipe(job.boxSecretKey);
    db.close();
  }
}

async function run(job: IndexJob, post: (message: IndexMessage) => void): Promise<void> {
  await initCrypto();
  const db = openVaultDbReadOnly(job.path);
  const audit = new AuditLog(db, job.vaultId, () => 0);
  // The worker reads and never signs: it is given the box key alone.
  const secrets: AuditSecrets = {
    box: { secretKey: job.boxSecretKey, publicKey: boxPublicKeyOf(job.boxSecretKey) },
    signing: { secretKey: new Uint8Array(0), publicKey: new Uint8Array(0) },
  };
  try {
    let beforeSeq = job.beforeSeq;
    for (;;) {
      const entries = audit.read(secrets, { beforeSeq, limit: job.batch });
      if (entries.length > 0) post({ kind: 'entries', entries });
      if (entries.length < job.batch) break;
      beforeSeq = entries.at(-1)!.seq;
    }
    post({ kind: 'done' });
  } finally {
    audit.rotateEpoch();
    wipe(job.boxSecretKey);
    db.close();
  }
}

/** Makes a page each time main asks; ends with the last page, or when main ends the thread. */
async function exportPages(job: ExportJob, port: MessagePort): Promise<void> {
  await initCrypto();
  const db = openVaultDbReadOnly(job.path);
  const audit = new AuditLog(db, job.vaultId, () => 0);
  // Opens entries and never signs: the export's signature was made by main at its start.
  const secrets: AuditSecrets = {
    box: { secretKey: job.boxSecretKey, publicKey: boxPublicKeyOf(job.boxSecretKey) },
    signing: { secretKey: new Uint8Array(0), publicKey: new Uint8Array(0) },
  };
  const finish = () => {
    audit.rotateEpoch();
    wipe(job.boxSecretKey);
    db.close();
    port.close();
  };
  port.on('message', () => {
    try {
      const page = nextPage(job.cursor, audit, secrets);
      port.postMessage({ kind: 'page', page } satisfies ExportMessage);
      if (page.done) finish();
    } catch (error) {
      port.postMessage({
        kind: 'failed',
        code: error instanceof VaultError ? error.code : 'VAULT_DAMAGED',
        message: error instanceof Error ? error.message : String(error),
      } satisfies ExportMessage);
      finish();
    }
  });
}

if (parentPort) {
  const port = parentPort;
  const job = workerData as WorkerJob;
  const done =
    job.kind === 'verify'
      ? verify(job, (message) => port.postMessage(message))
      : job.kind === 'export'
        ? exportPages(job, port)
        : run(job, (message) => port.postMessage(message));
  done.catch((error: unknown) => {
    const code = error instanceof VaultError ? error.code : 'VAULT_DAMAGED';
    port.postMessage({
      kind: 'failed',
      code,
      message: error instanceof Error ? error.message : String(error),
    } satisfies IndexMessage & { kind: 'failed' });
  });
}
