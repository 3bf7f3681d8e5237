// npm start: build, then run the app in Electron (when this machine has the Electron binary).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary, missingElectronAdvice } from './electron-binary.mjs';
import { buildNativeForElectron } from './native-electron.mjs';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

function run(args) {
  const result = spawnSync(npx, args, {
    cwd: projectRoot,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run(['electron-vite', 'build']);

const electron = findElectronBinary(projectRoot);
if (!electron.found) {
  console.error(`\nCannot start Session Vault: ${electron.reason}. ${missingElectronAdvice}\n`);
  process.exit(1);
}

// better-sqlite3 must match Electron's ABI to load in the app. `npm test` runs in plain Node, and
// scripts/ensure-native.mjs rebuilds it for Node again when the tests need that.
const nativeFailure = buildNativeForElectron(electron.path);
if (nativeFailure !== null) {
  console.error(
    `\nCannot start Session Vault: its SQLite module (better-sqlite3) does not load in Electron even after rebuilding it:\n${nativeFailure}\nCheck that a C++ toolchain is installed (Linux: g++, make, python3; macOS: Xcode command line tools; Windows: Visual Studio Build Tools) and that .npmrc sets no nodedir, then run \`npm start\` again.\n`,
  );
  process.exit(1);
}

const child = spawn(electron.path, [projectRoot, ...process.argv.slice(2)], {
  cwd: projectRoot,
  stdio: 'inherit',
});
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
