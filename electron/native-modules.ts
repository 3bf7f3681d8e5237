// The native SQLite module must be built for this Electron. If it was built for Node (after
// `npm test`) or against the wrong headers, opening the vault would fail with an error that
// reads like a damaged vault; loading it once at start tells the two apart.
import { createRequire } from 'node:module';

export type NativeModuleCheck =
  { ok: true } | { ok: false; title: string; message: string; detail: string };

/** Errors Node and Electron give when a .node file cannot be loaded into this runtime. */
const wrongBuild =
  /NODE_MODULE_VERSION|was compiled against a different Node\.js version|ERR_DLOPEN_FAILED|invalid ELF header|not a valid Win32 application|Module did not self-register|wrong ELF class|incompatible architecture|Cannot find module 'better-sqlite3'|Could not locate the bindings file/;

export const installationSentence =
  'Session Vault is not installed correctly: a part it needs to read its vault (the SQLite module) was built for another version of the app. Your recordings were not touched. Reinstall Session Vault; when running it from source, run `npm start` again, which rebuilds that part.';

/** Loads better-sqlite3 and opens an in-memory database with it; never touches the vault. */
export async function checkNativeModules(
  load: () => unknown = () => createRequire(import.meta.url)('better-sqlite3'),
): Promise<NativeModuleCheck> {
  try {
    const Database = load() as new (file: string) => { close(): void };
    new Database(':memory:').close();
    return { ok: true };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      title: 'Session Vault cannot start',
      message: wrongBuild.test(detail)
        ? installationSentence
        : `${installationSentence} (The SQLite module did not start: ${detail})`,
      detail,
    };
  }
}
