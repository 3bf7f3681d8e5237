#!/usr/bin/env node
// `session-vault-audit`: loads the bundled tool that `npm run build` writes to out/cli/.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/session-vault-audit.mjs', import.meta.url));
if (existsSync(bundle)) await import(pathToFileURL(bundle).href);
else {
  console.error('session-vault-audit is not built yet: run npm run build first.');
  process.exitCode = 2;
}
