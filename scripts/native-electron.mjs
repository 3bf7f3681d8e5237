// Builds better-sqlite3 for the installed Electron and proves it loads there. `npm start` and
// `npm run test:electron` use it; scripts/ensure-native.mjs builds it back for Node.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args, env = process.env) {
  return spawnSync(command, args, {
    cwd: projectRoot,
    stdio: 'inherit',
    env,
    shell: process.platform === 'win32',
  }).status;
}

/** Opens an in-memory database with better-sqlite3 inside Electron's own Node. */
export function loadsInElectron(electronBinary) {
  const probe = spawnSync(
    electronBinary,
    ['-e', "new (require('better-sqlite3'))(':memory:').close()"],
    {
      cwd: projectRoot,
      // Development binaries only: the packaged app has the RunAsNode fuse off.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      encoding: 'utf8',
    },
  );
  return probe.status === 0 ? null : (probe.stderr || `exit ${probe.status}`).trim();
}

/**
 * electron-builder install-app-deps, then a load test. When that build still does not load (it
 * can take the wrong headers when .npmrc sets nodedir), rebuild from source against Electron's
 * headers with nodedir cleared, and test again. Returns null when it loads, or why not.
 */
export function buildNativeForElectron(electronBinary) {
  if (loadsInElectron(electronBinary) === null) return null;
  run(npx, ['electron-builder', 'install-app-deps']);
  const afterInstallAppDeps = loadsInElectron(electronBinary);
  if (afterInstallAppDeps === null) return null;

  const { version } = JSON.parse(
    readFileSync(path.join(projectRoot, 'node_modules/electron/package.json'), 'utf8'),
  );
  console.log(
    `better-sqlite3 still does not load in Electron ${version} (${afterInstallAppDeps.split('\n')[0]}); rebuilding it from source against Electron's headers...`,
  );
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_config_nodedir$/i.test(key)) delete env[key];
  run(
    npm,
    [
      'rebuild',
      'better-sqlite3',
      '--build-from-source',
      '--runtime=electron',
      `--target=${version}`,
      '--dist-url=https://electronjs.org/headers',
      // An empty nodedir overrides one set in .npmrc, so node-gyp fetches Electron's headers.
      '--nodedir=',
    ],
    env,
  );
  return loadsInElectron(electronBinary);
}
