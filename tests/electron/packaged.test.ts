// The packaged app that `npm run dist` leaves in dist/: app.asar, better-sqlite3 unpacked beside
// it, and the fuses flipped. Playwright cannot drive it (the fuses turn off the inspector it
// needs), so it is started as a person starts it and must stay up until its window would show.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { expect, it } from 'vitest';
import { fuseConfig } from '../../build/fuse-config.mjs';
import { describeElectron, projectRoot } from './launch';

interface Packed {
  executable: string;
  fuseBinary: string;
  resources: string;
}

function packedApp(): Packed | null {
  const dist = path.join(projectRoot, 'dist');
  if (!existsSync(dist)) return null;
  const folders = readdirSync(dist).map((name) => path.join(dist, name));
  const linux = folders.find((folder) => folder.endsWith('linux-unpacked'));
  if (process.platform === 'linux' && linux)
    return {
      executable: path.join(linux, 'session-vault'),
      fuseBinary: path.join(linux, 'session-vault'),
      resources: path.join(linux, 'resources'),
    };
  const windows = folders.find((folder) => folder.endsWith('win-unpacked'));
  if (process.platform === 'win32' && windows)
    return {
      executable: path.join(windows, 'Session Vault.exe'),
      fuseBinary: path.join(windows, 'Session Vault.exe'),
      resources: path.join(windows, 'resources'),
    };
  const mac = folders
    .map((folder) => path.join(folder, 'Session Vault.app'))
    .find((bundle) => existsSync(bundle));
  if (process.platform === 'darwin' && mac)
    return {
      executable: path.join(mac, 'Contents/MacOS/Session Vault'),
      fuseBinary: path.join(
        mac,
        'Contents/Frameworks/Electron Framework.framework/Electron Framework',
      ),
      resources: path.join(mac, 'Contents/Resources'),
    };
  return null;
}

const packed = packedApp();
if (!packed) console.log('tests/electron packaged app SKIPPED: run `npm run dist` first.');
const describePacked = packed ? describeElectron : describeElectron.skip;

describePacked('the packaged app', () => {
  it('holds the app in app.asar and better-sqlite3 unpacked beside it', () => {
    expect(existsSync(path.join(packed!.resources, 'app.asar'))).toBe(true);
    expect(
      existsSync(
        path.join(
          packed!.resources,
          'app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
        ),
      ),
    ).toBe(true);
  });

  it('has every fuse as build/fuse-config.mjs decides', async () => {
    const wire = await getCurrentFuseWire(packed!.fuseBinary);
    for (const [name, index] of Object.entries(FuseV1Options)) {
      if (typeof index !== 'number') continue;
      const enabled = (fuseConfig as Record<number, boolean>)[index] === true;
      expect(wire[index as FuseV1Options], name).toBe(
        enabled ? FuseState.ENABLE : FuseState.DISABLE,
      );
    }
  });

  it('ignores ELECTRON_RUN_AS_NODE, and starts as the app', async () => {
    const userData = await mkdtemp(path.join(tmpdir(), 'vault-packaged-'));
    const child = spawn(packed!.executable, [`--user-data-dir=${userData}`], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // As Node it would exit at once; as the app it writes its device key and keeps running.
    const started = await new Promise<boolean>((resolve) => {
      child.on('exit', () => resolve(false));
      const poll = setInterval(() => {
        if (existsSync(path.join(userData, 'device-secret'))) {
          clearInterval(poll);
          resolve(true);
        }
      }, 200);
    });
    child.kill();
    await rm(userData, { recursive: true, force: true });
    expect(started, output).toBe(true);
  });
});
