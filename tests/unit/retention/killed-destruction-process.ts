// Run by killed-destruction.test.ts as a process of its own (bundled by esbuild): the app opened a
// year on, unlocked, the date confirmed (every recording is then due and its key goes), and once
// the first slice of ciphertext has left the file the process is killed, with no quit and no
// close: what a crash or a power cut leaves.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createCore } from '../../../electron/core/create-core';
import { VAULT_FILE_NAME } from '../../../electron/core/platform/db';
import { FileAnchorStore } from '../helpers/file-anchor-store';
import { LIGHT_KDF, PASSPHRASE } from '../helpers/kernel-helpers';

async function main(dataDir: string, secretHex: string, nowMs: number, anchorFile: string) {
  const deviceSecret = new Uint8Array(Buffer.from(secretHex, 'hex'));
  const core = await createCore({
    dataDir,
    deviceSecret,
    clock: () => nowMs,
    kdf: LIGHT_KDF,
    freeBytes: () => 1e12,
    captureHost: { open: () => undefined, close: () => undefined },
    anchorStore: new FileAnchorStore(anchorFile, deviceSecret),
    newRecordingStorage: 'sqlite',
  });
  const unlocked = (await core.dispatch('session.unlock', { passphrase: PASSPHRASE })) as {
    ok: boolean;
  };
  const confirmed = (await core.dispatch('vault.confirmDate', {})) as { ok: boolean };
  if (!unlocked.ok || !confirmed.ok) throw new Error('the vault did not open and sweep');
  const reader = new Database(join(dataDir, VAULT_FILE_NAME), { readonly: true });
  const chunks = () =>
    (reader.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
  const before = chunks();
  process.stdout.write(`keys gone; ${before} chunks\n`);
  while (chunks() === before) await new Promise((resolve) => setImmediate(resolve));
  process.kill(process.pid, 'SIGKILL');
}

void main(process.argv[2]!, process.argv[3]!, Number(process.argv[4]), process.argv[5]!);
