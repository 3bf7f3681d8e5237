import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          main: resolve(import.meta.dirname, 'electron/main.ts'),
          // Started by main as a worker thread (audit-queries.ts): its own file, beside main.js.
          'audit-index-worker': resolve(
            import.meta.dirname,
            'electron/core/audit/audit-index-worker.ts',
          ),
          // Started by main as a worker thread for each unlock's Argon2id (platform/kdf.ts).
          'kdf-worker': resolve(import.meta.dirname, 'electron/core/platform/kdf-worker.ts'),
          // Started by main as a utility process (file-check-process.ts): the whole-file check.
          'file-check': resolve(import.meta.dirname, 'electron/file-check-child.ts'),
        },
        // Native and wasm-bearing modules stay as runtime requires.
        external: ['better-sqlite3', 'libsodium-wrappers-sumo', '@napi-rs/keyring'],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': bundle zod and the bridge into it.
      externalizeDeps: false,
      // Two preloads, each standalone: a shared chunk would be a require() the sandbox refuses.
      isolatedEntries: true,
      outDir: 'out/preload',
      rollupOptions: {
        // One preload per window: each exposes only the channels its window may call.
        input: {
          preload: resolve(import.meta.dirname, 'electron/preload.ts'),
          'capture-preload': resolve(import.meta.dirname, 'electron/capture-preload.ts'),
        },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'renderer/index.html'),
          capture: resolve(import.meta.dirname, 'renderer/capture.html'),
        },
      },
    },
  },
});
