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

// The scale group's backups run the audit tool as a user does (bin/session-vault-audit.mjs loads
// out/cli/): built here from this checkout, so the figures are of the code beside them.
const cli = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/build-cli.mjs')], {
  stdio: 'inherit',
});
if (cli.status !== 0) process.exit(cli.status ?? 1);

const outDir = path.join(projectRoot, 'node_modules', '.cache', 'bench');
mkdirSync(outDir, { recursive: true });
const outfile = path.join(outDir, `bench-${process.pid}.mjs`);
// The unlock's KDF worker thread, built as the app builds it beside main.js (`unlock` group).
const kdfWorker = path.join(outDir, `kdf-worker-${process.pid}.mjs`);

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
      // A native binding (the OS keychain), loaded at run time as in the app's main bundle.
      '@napi-rs/keyring',
      ...builtinModules,
      ...builtinModules.map((name) => `node:${name}`),
    ],
  });
  await build({
    entryPoints: [path.join(projectRoot, 'electron/core/platform/kdf-worker.ts')],
    outfile: kdfWorker,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external: ['libsodium-wrappers-sumo', ...builtinModules.map((name) => `node:${name}`)],
  });
  const run = spawnSync(
    process.execPath,
    // --expose-gc: a figure may collect the garbage its own setup made before its clock starts.
    ['--enable-source-maps', '--expose-gc', outfile, ...process.argv.slice(2)],
    {
      cwd: projectRoot,
      stdio: 'inherit',
      env: { ...process.env, SESSION_VAULT_BENCH_KDF_WORKER: kdfWorker },
    },
  );
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(outfile, { force: true });
  rmSync(kdfWorker, { force: true });
}
