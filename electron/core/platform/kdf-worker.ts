// Argon2id in a worker thread (kdf.ts), for the life of the core. Each job is a secret and the
// parameters; the thread posts the KEK (its buffer moved, not copied) and wipes its own copy of
// the secret. It stays: Argon2id's first run in a fresh thread first touches the 128 MiB it takes
// (DEFAULT_KDF), 1.2–1.4 s where a thread that has run it once takes 0.56 s, as main did.
import { parentPort } from 'node:worker_threads';
import { deriveKek, initCrypto, wipe, type KdfParams } from './crypto';

export interface KdfJob {
  id: number;
  secret: Uint8Array;
  params: KdfParams;
}

export type KdfMessage =
  { id: number; kind: 'kek'; kek: Uint8Array } | { id: number; kind: 'failed'; message: string };

const ready = initCrypto();

parentPort!.on('message', (job: KdfJob) => {
  void ready
    .then(() => {
      const kek = deriveKek(job.secret, job.params);
      parentPort!.postMessage({ id: job.id, kind: 'kek', kek } satisfies KdfMessage, [
        kek.buffer as ArrayBuffer,
      ]);
    })
    .catch((error: unknown) => {
      parentPort!.postMessage({
        id: job.id,
        kind: 'failed',
        message: error instanceof Error ? error.message : String(error),
      } satisfies KdfMessage);
    })
    .finally(() => wipe(job.secret));
});
