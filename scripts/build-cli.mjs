// Bundles the offline audit tool (cli/main.ts) into out/cli/session-vault-audit.mjs, which
// bin/session-vault-audit.mjs loads. The native and wasm packages stay runtime imports.
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [path.join(projectRoot, 'cli/main.ts')],
  outfile: path.join(projectRoot, 'out/cli/session-vault-audit.mjs'),
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
