// Run by vault-lock.test.ts as a separate process (bundled by esbuild): "hold" takes the vault
// and keeps it until killed or until stdin closes; "try" takes it if it can and lets go at once.
import { acquireVaultLock, VaultInUseError } from '../../../electron/core/platform/vault-lock';

const [mode, dataDir] = process.argv.slice(2);
const say = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...line })}\n`);
};

const started = performance.now();
try {
  const lock = acquireVaultLock(dataDir!);
  say({ held: true });
  if (mode === 'hold') {
    process.stdin.resume();
    process.stdin.on('end', () => {
      lock.release();
      process.exit(0);
    });
  } else lock.release();
} catch (error) {
  const refusedAfterMs = performance.now() - started;
  if (error instanceof VaultInUseError)
    say({ held: false, sentence: error.sentence, refusedAfterMs });
  else say({ held: false, error: String(error) });
  process.exitCode = mode === 'try' ? 0 : 1;
}
