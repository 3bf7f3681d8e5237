// The log screen's index, read in a worker thread: opening a million sealed entries takes seconds,
// and main must not stand still for any of it (a recording's chunks pass through main). The worker
// opens its own read-only connection, is given the audit box key for this one job, reads the log
// newest first below `beforeSeq`, and posts the entries in batches; main puts them in its index
// (audit-queries.ts). The key and the epoch keys it opened are wiped when the job ends.
import { parentPort, workerData } from 'node:worker_threads';
import { VaultError } from '../../../shared/errors';
import { AuditLog } from './audit-log';
import type { AuditEntry, AuditSecrets } from './audit-format';
import { boxPublicKeyOf, initCrypto, wipe } from '../platform/crypto';
import { openVaultDbReadOnly } from '../platform/db';

export interface IndexJob {
  path: string;
  vaultId: Uint8Array;
  boxSecretKey: Uint8Array;
  /** Entries below this seq, newest first. */
  beforeSeq: number;
  batch: number;
}

export type IndexMessage =
  | { kind: 'entries'; entries: AuditEntry[] }
  | { kind: 'done' }
  | { kind: 'failed'; code: string; message: string };

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

if (parentPort) {
  const port = parentPort;
  run(workerData as IndexJob, (message) => port.postMessage(message)).catch((error: unknown) => {
    const code = error instanceof VaultError ? error.code : 'VAULT_DAMAGED';
    port.postMessage({
      kind: 'failed',
      code,
      message: error instanceof Error ? error.message : String(error),
    } satisfies IndexMessage);
  });
}
