// Run by two-processes.test.ts as a separate process (bundled by esbuild): starts the real core
// on a vault folder, as a second copy of the app would, and prints what its lock screen would show.
import { createCore } from '../../electron/core/create-core';

async function main(dataDir: string, deviceSecretHex: string): Promise<void> {
  const core = await createCore({
    dataDir,
    deviceSecret: new Uint8Array(Buffer.from(deviceSecretHex, 'hex')),
    freeBytes: () => 1e12,
  });
  const status = await core.dispatch('vault.status', {});
  const unlock = await core.dispatch('session.unlock', {
    passphrase: 'maple harbour quietly ninety lanterns',
  });
  process.stdout.write(`${JSON.stringify({ status, unlock })}\n`);
  core.close();
}

void main(process.argv[2]!, process.argv[3]!);
