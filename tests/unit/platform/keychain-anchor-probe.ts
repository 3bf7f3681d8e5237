// Run by keychain-anchor-store.test.ts inside `dbus-run-session`, bundled by esbuild: drives the
// real KeychainAnchorStore against a gnome-keyring Secret Service on that private bus and prints
// one JSON line of what it saw. Phase "write" starts the keyring daemon; phase "read" runs in a
// second process on the same bus, so the test sees what a restart of the app would see.
import { spawnSync } from 'node:child_process';
import { Entry } from '@napi-rs/keyring';
import { fromHex, initCrypto, randomBytes, toHex } from '../../../electron/core/platform/crypto';
import {
  anchorKeyOf,
  encodeAnchorRecord,
  firstAnchorRecord,
  withClosed,
  withHead,
  type AnchorRecord,
} from '../../../electron/core/platform/anchor-record';
import {
  KEYCHAIN_SERVICE,
  KeychainAnchorStore,
  keychainAccountFor,
  type AnchorRead,
} from '../../../electron/core/platform/anchor-store';

const phase = process.argv[2];
const service = process.env.ANCHOR_TEST_SERVICE ?? KEYCHAIN_SERVICE;

function describe(read: AnchorRead): unknown {
  if (read.state !== 'present') return read;
  const record = read.record;
  return {
    state: read.state,
    generation: record.generation,
    logHeadSeq: record.logHeadSeq,
    logHeadHash: toHex(record.logHeadHash),
    newestTime: record.newestTime,
    statePublicKey: toHex(record.statePublicKey),
    closedCount: record.closedCount,
    closedDigest: toHex(record.closedDigest),
    recentClosed: record.recentClosed.length,
  };
}

/** The daemon answers once it has claimed its bus name; wait for that, within a bound. */
async function readWhenReady(store: KeychainAnchorStore, vaultId: Uint8Array): Promise<AnchorRead> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await store.read(vaultId);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function main(): Promise<void> {
  // Before any entry is made: making one asks the bus for the Secret Service, and the bus would
  // otherwise start a keyring of its own that nobody unlocked.
  if (phase === 'write') {
    const daemon = spawnSync(
      'gnome-keyring-daemon',
      ['--daemonize', '--unlock', '--components=secrets'],
      { input: 'session-vault-test', encoding: 'utf8' },
    );
    if (daemon.status !== 0) throw new Error(`gnome-keyring-daemon failed: ${daemon.stderr}`);
  }
  await initCrypto();
  const vaultId = fromHex(process.env.ANCHOR_TEST_VAULT_ID!);
  const deviceSecret = fromHex(process.env.ANCHOR_TEST_DEVICE_SECRET!);
  const store = new KeychainAnchorStore((id) => anchorKeyOf(deviceSecret, id), service);
  const rawEntry = new Entry(service, keychainAccountFor(vaultId), {
    linux: { store: 'secret-service' },
  });
  const out: Record<string, unknown> = { phase };

  if (phase === 'write') {
    out.before = describe(await readWhenReady(store, vaultId));

    let record: AnchorRecord = firstAnchorRecord(
      vaultId,
      { seq: 7, hash: new Uint8Array(32).fill(7) },
      new Uint8Array(32).fill(9),
      1_700_000_000_000,
    );
    const started = performance.now();
    await store.write(vaultId, record);
    out.firstWriteMs = performance.now() - started;
    out.first = describe(await store.read(vaultId));
    out.firstBytes = rawEntry.getSecret()?.length ?? null;

    // Overwrite: two destructions, a revocation and a new head, as a day's work would leave it.
    for (const recordingId of ['rec-a', 'rec-b'])
      record = withClosed(record, vaultId, { kind: 'destroyed', recordingId });
    record = withClosed(record, vaultId, { kind: 'revoked', clientId: 'client-a' });
    record = withHead(record, { seq: 42, hash: new Uint8Array(32).fill(42) }, 1_700_000_600_000);
    const timed = performance.now();
    await store.write(vaultId, record);
    out.overwriteMs = performance.now() - timed;
    out.afterOverwrite = describe(await store.read(vaultId));

    // The largest record: every one of the latest destructions named.
    let full = record;
    for (let i = 0; i < 300; i += 1)
      full = withClosed(full, vaultId, { kind: 'destroyed', recordingId: `bulk-${i}` });
    const fullBytes = encodeAnchorRecord(vaultId, full, anchorKeyOf(deviceSecret, vaultId)).length;
    await store.write(vaultId, full);
    out.full = describe(await store.read(vaultId));
    out.fullBytes = rawEntry.getSecret()?.length ?? null;
    out.fullEncodedBytes = fullBytes;
    await store.write(vaultId, record);

    // What someone with the keychain open can do: write bytes by hand.
    const genuine = Uint8Array.from(rawEntry.getSecret()!);
    const flipped = genuine.slice();
    flipped[20] = flipped[20]! ^ 1;
    rawEntry.setSecret(flipped);
    out.flipped = describe(await store.read(vaultId));
    const otherDevice = encodeAnchorRecord(vaultId, record, anchorKeyOf(randomBytes(32), vaultId));
    rawEntry.setSecret(otherDevice);
    out.otherDevice = describe(await store.read(vaultId));
    const otherVault = randomBytes(16);
    rawEntry.setSecret(
      encodeAnchorRecord(otherVault, record, anchorKeyOf(deviceSecret, otherVault)),
    );
    out.otherVault = describe(await store.read(vaultId));
    rawEntry.setSecret(new Uint8Array([1, 2, 3]));
    out.garbage = describe(await store.read(vaultId));
    rawEntry.setSecret(genuine);
    out.restored = describe(await store.read(vaultId));
  } else if (phase === 'read') {
    out.seen = describe(await readWhenReady(store, vaultId));
    out.otherVaultSeen = describe(await store.read(randomBytes(16)));
    out.removed = await store.remove(vaultId);
    out.afterRemove = describe(await store.read(vaultId));
    out.removedAgain = await store.remove(vaultId);
  } else throw new Error(`unknown phase ${phase}`);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`${JSON.stringify({ phase, error: String(error) })}\n`);
  process.exit(1);
});
