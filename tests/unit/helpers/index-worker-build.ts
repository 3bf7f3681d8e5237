// The audit index worker, built for plain Node as electron-vite builds it for the app: a worker
// thread runs JavaScript, and tests (and the e2e host) run the TypeScript sources.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const repoRoot = resolve(import.meta.dirname, '../../..');
let built: string | null = null;

/** The path of the bundled worker script (built once per process). */
export function builtIndexWorker(): string {
  if (built) return built;
  // Under node_modules, so the packages left outside the bundle resolve as in the app.
  const folder = join(repoRoot, 'node_modules', '.cache', 'audit-index-worker');
  mkdirSync(folder, { recursive: true });
  const outfile = join(folder, `audit-index-worker-${process.pid}-${Date.now()}.mjs`);
  buildSync({
    entryPoints: [join(repoRoot, 'electron/core/audit/audit-index-worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['better-sqlite3', 'libsodium-wrappers-sumo'],
    logLevel: 'error',
  });
  process.once('exit', () => rmSync(outfile, { force: true }));
  built = outfile;
  return outfile;
}
