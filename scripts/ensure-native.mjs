// Makes sure better-sqlite3 loads in plain Node (tests run there). After `npm start` it may be
// built for Electron's ABI; then rebuild it from source for this Node (no internet needed).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(projectRoot, 'package.json'));

function tryOpen() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

const failure = tryOpen();
if (failure === null) process.exit(0);

const checkOnly = process.env.SESSION_VAULT_NATIVE_CHECK_ONLY === '1';
if (
  checkOnly ||
  !/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(failure.message)
) {
  console.error(`better-sqlite3 does not load in Node ${process.version}: ${failure.message}`);
  process.exit(1);
}

console.log(
  `better-sqlite3 was built for another runtime (Electron); rebuilding it for Node ${process.version}...`,
);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const rebuild = spawnSync(npm, ['rebuild', 'better-sqlite3', '--build-from-source'], {
  cwd: projectRoot,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (rebuild.status !== 0) process.exit(rebuild.status ?? 1);

// A fresh process: the failed native module stays cached in this one.
const check = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
  stdio: 'inherit',
  env: { ...process.env, SESSION_VAULT_NATIVE_CHECK_ONLY: '1' },
});
process.exit(check.status ?? 1);
