// The in-app check of the whole access log, off main: a million entries take seconds to walk, and
// main must keep answering (a recording's chunks pass through it). With the built worker script
// the walk runs in a worker thread on its own read-only connection (audit-index-worker.ts); without
// it (unit tests that run from source), in slices on main. A lock during the walk refuses it.
import { Worker } from 'node:worker_threads';
import type { AuditVerdict } from '../../../shared/api';
import { VaultError, type ErrorCode } from '../../../shared/errors';
import type { AuditSecrets } from './audit-format';
import type { VerifyJob, VerifyMessage } from './audit-index-worker';
import type { AuditLog } from './audit-log';

export function verifyLog(
  audit: AuditLog,
  path: string,
  secrets: AuditSecrets,
  workerScript: string | URL | undefined,
): Promise<AuditVerdict> {
  if (workerScript === undefined) return audit.verifyInSlices(secrets);
  return new Promise<AuditVerdict>((resolve, reject) => {
    const job: VerifyJob = {
      kind: 'verify',
      path,
      vaultId: new Uint8Array(audit.vaultIdBytes),
      // A copy for this job: the worker wipes it when done, and dies with it at a lock.
      boxSecretKey: new Uint8Array(secrets.box.secretKey),
      signingPublicKey: new Uint8Array(secrets.signing.publicKey),
    };
    const worker = new Worker(workerScript, { workerData: job });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      stopWatching();
      void worker.terminate();
      outcome();
    };
    const stopWatching = audit.onLock(() => finish(() => reject(new VaultError('VAULT_LOCKED'))));
    worker.on('message', (message: VerifyMessage) =>
      finish(() =>
        message.kind === 'verdict'
          ? resolve(message.verdict)
          : reject(new VaultError(message.code as ErrorCode, message.message)),
      ),
    );
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', () =>
      finish(() => reject(new VaultError('VAULT_DAMAGED', 'The log check stopped.'))),
    );
  });
}
