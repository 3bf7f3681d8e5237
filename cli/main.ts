// Entry point of out/cli/session-vault-audit.mjs (bundled by scripts/build-cli.mjs).
import { run } from './run';

run(process.argv.slice(2), console.log, console.error).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
