// npm run test:electron: the tests/electron suite in real Electron. Builds the app and builds
// better-sqlite3 for Electron, runs the suite, and always builds better-sqlite3 back for Node so
// `npm test` works afterwards. Where no Electron binary exists it says so in one line and passes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';
import { buildNativeForElectron } from './native-electron.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const electron = findElectronBinary(projectRoot);
if (!electron.found) {
  console.log(
    `test:electron SKIPPED: no Electron binary on this machine (${electron.reason}); on a machine where \`npm install\` downloaded it, this builds the app, builds better-sqlite3 for Electron, runs tests/electron in Electron, and builds better-sqlite3 back for Node.`,
  );
  process.exit(0);
}

function run(command, args, env = process.env) {
  const result = spawnSync(command, args, {
    cwd: projectRoot,
    stdio: 'inherit',
    env,
    shell: process.platform === 'win32',
  });
  return result.status ?? 1;
}

if (run(npx, ['electron-vite', 'build']) !== 0) process.exit(1);

let status = 1;
try {
  const nativeFailure = buildNativeForElectron(electron.path);
  if (nativeFailure !== null) {
    console.error(`better-sqlite3 does not load in Electron: ${nativeFailure}`);
  } else {
    status = run(npx, ['vitest', 'run', 'tests/electron'], {
      ...process.env,
      SESSION_VAULT_ELECTRON_TESTS: '1',
      // Playwright's Electron loader appends --password-store=basic, which the app refuses; on
      // Linux the app chooses the Secret Service itself, and this says which (the CI session runs
      // gnome-keyring).
      SESSION_VAULT_PASSWORD_STORE: process.env.SESSION_VAULT_PASSWORD_STORE ?? 'gnome-libsecret',
    });
  }
} finally {
  const back = run(process.execPath, [path.join(projectRoot, 'scripts/ensure-native.mjs')]);
  if (back !== 0) status = back;
}
process.exit(status);
