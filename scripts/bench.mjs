// `npm run bench [-- --quick] [-- --only id1,id2] [-- --json FILE]`
// Bundles tests/bench/main.ts with esbuild into node_modules/.cache/bench/ (so the external
// packages resolve from this project's node_modules), runs it in plain Node and passes the
// arguments through. The bundle is deleted afterwards.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// better-sqlite3 may have been rebuilt for Electron by `npm start`: make it load in Node.
const native = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/ensure-native.mjs')], {
  stdio: 'inherit',
});
if (native.status !== 0) process.exit(native.status ?? 1);

const outDir = path.join(projectRoot, 'node_modules', '.cache', 'bench');
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, `bench-${process.pid}.mjs`);

try {
  await build({
    entryPoints: [path.join(projectRoot, 'tests/bench/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
    external: [
      'better-sqlite3',
      'libsodium-wrappers-sumo',
      // The core's keychain store loads a native binding; the bench never uses it.
      '@napi-rs/keyring',
      ...builtinModules,
      ...builtinModules.map((name) => `node:${name}`),
    ],
  });
  const run = spawnSync(
    process.execPath,
    ['--enable-source-maps', outfile, ...process.argv.slice(2)],
    { cwd: projectRoot, stdio: 'inherit' },
  );
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(outfile, { force: true });
}
