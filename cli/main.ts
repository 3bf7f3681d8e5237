// Entry point of out/cli/session-vault-audit.mjs (bundled by scripts/build-cli.mjs).
import { run } from './run';
import { terminalSafe } from './terminal';

run(process.argv.slice(2), console.log, console.error).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not a verdict: one line (never a stack that may quote a file), and exit 1.
    console.error(
      terminalSafe(`session-vault-audit failed: ${(error as Error)?.message ?? String(error)}`),
    );
    process.exitCode = 1;
  },
);
