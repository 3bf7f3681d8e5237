// The core in a child Node process that a test can SIGKILL, as a crash or power cut would end
// main. The child runs the bundled core behind a small HTTP endpoint on 127.0.0.1; the browser
// host's binding forwards to it, so the page never sees the transport.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Caller } from '../../shared/api';
import { repoRoot } from './host';

const childSource = `
  import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
  import { createServer } from 'node:http';
  import { createCore } from './electron/core/create-core';
  import { anchorKeyOf } from './electron/core/platform/anchor-record';
  import { MemoryAnchorStore } from './electron/core/platform/anchor-store';
  import { initCrypto } from './electron/core/platform/crypto';
  import { decodeWire, encodeWire } from './tests/e2e/wire';
  const config = JSON.parse(process.env.SV_CHILD_HOST ?? '{}');
  await initCrypto();
  const deviceSecret = new Uint8Array(Buffer.from(config.deviceSecret, 'base64'));
  // The keychain outlives the app; here a file beside the vault folder outlives each killed
  // process. Written whole, synced, then renamed over the old one, as a keychain item is replaced.
  class FileAnchorStore extends MemoryAnchorStore {
    constructor(file) {
      super((vaultId) => anchorKeyOf(deviceSecret, vaultId));
      this.file = file;
      if (existsSync(file)) {
        const { vaultId, bytes } = JSON.parse(readFileSync(file, 'utf8'));
        this.putRawBytes(Buffer.from(vaultId, 'hex'), Buffer.from(bytes, 'base64'));
      }
    }
    async write(vaultId, record) {
      await super.write(vaultId, record);
      const text = JSON.stringify({
        vaultId: Buffer.from(vaultId).toString('hex'),
        bytes: Buffer.from(this.rawBytes(vaultId)).toString('base64'),
      });
      const fd = openSync(this.file + '.new', 'w', 0o600);
      writeSync(fd, text);
      fsyncSync(fd);
      closeSync(fd);
      renameSync(this.file + '.new', this.file);
    }
  }
  const core = await createCore({
    anchorStore: new FileAnchorStore(config.dataDir + '.anchor.json'),
    dataDir: config.dataDir,
    deviceSecret,
    kdf: { opsLimit: 2, memLimitBytes: 8 * 1024 * 1024 },
    roomAudioProcessing: false,
    captureHost: {
      open: (recordingId) => void process.send?.({ type: 'capture-open', recordingId }),
      close: (recordingId) => void process.send?.({ type: 'capture-close', recordingId }),
    },
  });
  setInterval(() => core.tick(), 1000);
  const server = createServer((request, response) => {
    const parts = [];
    request.on('data', (part) => parts.push(part));
    request.on('end', async () => {
      const { channel, payload, caller } = JSON.parse(Buffer.concat(parts).toString('utf8'));
      // The page's calls arrive as its bytes (shared/wire.ts), the test's own as objects.
      const request = decodeWire(payload);
      const result = await (request instanceof Uint8Array
        ? core.dispatchWire(channel, request, caller)
        : core.dispatch(channel, request, caller));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(encodeWire(result)));
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ type: 'ready', port: server.address().port }));
`;

let bundled: Promise<string> | null = null;

/** Bundles the child once per test process, into node_modules/.cache like scripts/bench.mjs. */
function childBundle(): Promise<string> {
  bundled ??= (async () => {
    const outDir = join(repoRoot, 'node_modules', '.cache', 'e2e-host');
    mkdirSync(outDir, { recursive: true });
    const outfile = join(outDir, `child-${process.pid}.mjs`);
    await build({
      stdin: {
        contents: childSource,
        resolveDir: repoRoot,
        loader: 'ts',
        sourcefile: 'child-host.ts',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      external: [
        'better-sqlite3',
        'libsodium-wrappers-sumo',
        '@napi-rs/keyring',
        ...builtinModules,
        ...builtinModules.map((name) => `node:${name}`),
      ],
    });
    return outfile;
  })();
  return bundled;
}

/** Deletes the bundle (call from afterAll), as scripts/bench.mjs deletes its own. */
export async function removeChildBundle(): Promise<void> {
  if (bundled) rmSync(await bundled, { force: true });
  bundled = null;
}

export interface CoreProcess {
  child: ChildProcess;
  port: number;
  /**
   * One request, bytes wrapped, as the browser host's binding hands it over (the page's bytes), or
   * as a test sends it (an object).
   */
  dispatch(channel: unknown, payload: unknown, caller: Caller): Promise<unknown>;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
}

export async function startCoreProcess(
  dataDir: string,
  deviceSecret: Uint8Array,
  onCapture: (event: 'open' | 'close', recordingId: string) => void,
): Promise<CoreProcess> {
  const file = await childBundle();
  const child = spawn(process.execPath, [file], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      SV_CHILD_HOST: JSON.stringify({
        dataDir,
        deviceSecret: Buffer.from(deviceSecret).toString('base64'),
      }),
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`child host exited with ${code}`)));
    child.on('message', (message: { type: string; port?: number; recordingId?: string }) => {
      if (message.type === 'ready') resolve(message.port!);
      if (message.type === 'capture-open') onCapture('open', message.recordingId!);
      if (message.type === 'capture-close') onCapture('close', message.recordingId!);
    });
  });
  return {
    child,
    port,
    async dispatch(channel, payload, caller) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`, {
          method: 'POST',
          body: JSON.stringify({ channel, payload, caller }),
        });
        return await response.json();
      } catch {
        return { ok: false, error: { code: 'INTERNAL', message: 'The vault process is gone.' } };
      }
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
