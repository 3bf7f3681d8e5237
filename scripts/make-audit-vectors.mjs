// Writes tests/vectors/audit-bundle/ once, from a real vault built with the real core: bundles
// tests/vectors/audit-bundle/generate.ts (TypeScript) to a temporary file and runs it. The
// vectors are committed; run this again only when the format or its rules change.
import { mkdtempSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const folder = path.join(projectRoot, 'tests/vectors/audit-bundle');
const temp = mkdtempSync(path.join(projectRoot, 'node_modules/.sv-vectors-'));
try {
  const outfile = path.join(temp, 'generate.mjs');
  await build({
    entryPoints: [path.join(folder, 'generate.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external: [
      'better-sqlite3',
      'libsodium-wrappers-sumo',
      ...builtinModules,
      ...builtinModules.map((name) => `node:${name}`),
    ],
  });
  process.argv[2] = folder;
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
