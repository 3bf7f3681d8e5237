// A test's second process: its entry bundled for plain Node (the native and WASM modules are left
// to node_modules), then run from the project root as a process of its own.
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const root = resolve(__dirname, '../../..');

export async function bundleNodeScript(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    external: ['better-sqlite3', 'libsodium-wrappers-sumo', '@napi-rs/keyring'],
    logLevel: 'silent',
  });
}

/** Resolves with its output once it exits 0; rejects with the exit (code or signal) otherwise. */
export function runNodeScript(script: string, args: string[]) {
  return promisify(execFile)(process.execPath, [script, ...args], {
    cwd: root,
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
  });
}
