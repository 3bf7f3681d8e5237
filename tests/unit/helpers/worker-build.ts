// The app's worker threads, built for plain Node as electron-vite builds them for the app: a
// worker thread runs JavaScript, and tests (and the e2e host) run the TypeScript sources.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const repoRoot = resolve(import.meta.dirname, '../../..');
const built = new Map<string, string>();

/** The path of `entry` bundled (built once per process, deleted at its exit). */
function builtWorker(name: string, entry: string): string {
  const known = built.get(name);
  if (known) return known;
  // Under node_modules, so the packages left outside the bundle resolve as in the app.
  const folder = join(repoRoot, 'node_modules', '.cache', name);
  mkdirSync(folder, { recursive: true });
  const outfile = join(folder, `${name}-${process.pid}-${Date.now()}.mjs`);
  buildSync({
    entryPoints: [join(repoRoot, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['better-sqlite3', 'libsodium-wrappers-sumo'],
    logLevel: 'error',
  });
  process.once('exit', () => rmSync(outfile, { force: true }));
  built.set(name, outfile);
  return outfile;
}

/** The audit index worker (the log's index, verification and export pages). */
export function builtIndexWorker(): string {
  return builtWorker('audit-index-worker', 'electron/core/audit/audit-index-worker.ts');
}

/** The KDF worker (the therapist unlock's Argon2id). */
export function builtKdfWorker(): string {
  return builtWorker('kdf-worker', 'electron/core/platform/kdf-worker.ts');
}
