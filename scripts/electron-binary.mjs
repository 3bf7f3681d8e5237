// Where the Electron binary is, without triggering a download: node_modules/electron's index.js
// tries to fetch the binary from the internet when it is missing, so read path.txt directly.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** @returns {{ found: true, path: string } | { found: false, reason: string }} */
export function findElectronBinary(root = projectRoot) {
  const packageDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      found: false,
      reason: `${path.relative(root, pathFile)} is missing, so the binary was never downloaded`,
    };
  }
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) {
    return { found: false, reason: `${path.relative(root, binary)} does not exist` };
  }
  return { found: true, path: binary };
}

export const missingElectronAdvice =
  'The Electron binary is not installed on this machine. It is downloaded from the internet by the ' +
  "install script of the 'electron' package, and that step was skipped (ELECTRON_SKIP_BINARY_DOWNLOAD=1) " +
  'or had no internet. On a machine with internet, run `rm -rf node_modules && npm install`, or ' +
  '`node node_modules/electron/install.js` to fetch just the binary, then run `npm start` again. ' +
  'Everything else (typecheck, lint, unit, migration and Chromium e2e tests) works without it.';
