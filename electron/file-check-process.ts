// The background whole-file check in the app (core/platform/integrity-check.ts says why not
// ELECTRON_RUN_AS_NODE): an Electron utility process, which the runAsNode fuse does not govern,
// running the built file-check script beside main.js.
import { utilityProcess } from 'electron';
import type { FileCheckSpawner } from './core/platform/integrity-check';

export function utilityFileCheck(modulePath: string): FileCheckSpawner {
  return (variables, exited) => {
    const child = utilityProcess.fork(modulePath, [], {
      env: { ...process.env, ...variables },
      stdio: ['ignore', 'pipe', 'ignore'],
      serviceName: 'Session Vault file check',
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer | string) => (output += chunk.toString()));
    child.once('exit', () => exited(output));
    return { kill: () => child.kill() };
  };
}
