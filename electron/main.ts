// Entry of the main bundle (out/main/main.js). Everything else is in start-app.ts, which tests
// import with a mocked 'electron'.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import { createCore } from './core/create-core';
import { utilityFileCheck } from './file-check-process';
import { startApp } from './start-app';

const bundleDir = path.dirname(fileURLToPath(import.meta.url));

startApp({
  // The log screen's index is read in a worker thread, bundled beside main (electron.vite.config.ts).
  createCore: (options) =>
    createCore({
      ...options,
      auditIndexWorker: path.join(bundleDir, 'audit-index-worker.js'),
      // The unlock's Argon2id, in a worker thread beside it.
      kdfWorker: path.join(bundleDir, 'kdf-worker.js'),
      fileCheckSpawner: utilityFileCheck(path.join(bundleDir, 'file-check.js')),
    }),
  rendererDir: path.join(bundleDir, '../renderer'),
  preloadPath: path.join(bundleDir, '../preload/preload.cjs'),
}).catch((error: unknown) => {
  console.error('Session Vault failed to start', error);
  app.exit(1);
});
