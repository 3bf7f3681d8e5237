// Packaging: the fuses electron-builder flips into the binary on each of the three platforms
// (through its own code, as `npm run dist` runs it), and the install scripts npm must run.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { LinuxPackager, PlatformPackager } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fuseConfig } from '../../../build/fuse-config.mjs';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
/** The marker @electron/fuses looks for in an Electron binary (its constants module). */
const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

let outDir: string;

beforeEach(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'vault-packaging-'));
});

afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
});

interface BuilderConfig {
  electronFuses?: Record<string, boolean>;
  linux?: { target?: unknown; executableName?: string };
  asar?: boolean;
  afterPack?: unknown;
}

async function builderConfig(): Promise<BuilderConfig> {
  const config = (await getConfig(projectRoot, null, null)) as BuilderConfig;
  // electron-builder's own schema check: an unknown or misspelt key fails here, as in `npm run dist`.
  await validateConfiguration(config as never, { add: () => undefined } as never);
  return config;
}

/** A stand-in binary: the fuse sentinel, wire version 1, nine fuses all ENABLE ('1'). */
async function standInElectron(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const wire = Buffer.from([1, 9, ...Array<number>(9).fill(FuseState.ENABLE)]);
  await writeFile(
    file,
    Buffer.concat([
      Buffer.alloc(64, 0xaa),
      Buffer.from(fuseSentinel),
      wire,
      Buffer.alloc(64, 0xbb),
    ]),
  );
}

/** Where each platform's packed app keeps the binary that holds the fuses. */
const platforms = [
  {
    name: 'linux',
    packager: () =>
      Object.create(LinuxPackager.prototype, { executableName: { value: 'session-vault' } }),
    binary: 'session-vault',
  },
  {
    name: 'win32',
    packager: () => ({ appInfo: { productFilename: 'Session Vault' } }),
    binary: 'Session Vault.exe',
  },
  {
    name: 'darwin',
    packager: () => ({ appInfo: { productFilename: 'Session Vault' } }),
    binary: 'Session Vault.app/Contents/Frameworks/Electron Framework.framework/Electron Framework',
  },
] as const;

describe('fuses', () => {
  it('flips every fuse the release needs, and names every fuse Electron has', () => {
    expect(fuseConfig).toMatchObject({
      version: FuseVersion.V1,
      strictlyRequireAllFuses: true,
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
    const fuseIndexes = Object.values(FuseV1Options).filter((value) => typeof value === 'number');
    for (const index of fuseIndexes)
      expect(typeof (fuseConfig as Record<number, unknown>)[index]).toBe('boolean');
  });

  it('electron-builder flips that config into the packed binary on Linux, Windows and macOS', async () => {
    const config = await builderConfig();
    expect(config.afterPack).toBeUndefined();
    expect(config.asar).toBe(true);
    const builder = PlatformPackager.prototype as unknown as {
      generateFuseConfig(fuses: unknown): Promise<object>;
      addElectronFuses(context: object, fuses: object): Promise<unknown>;
    };
    const fuses = await builder.generateFuseConfig.call(null, config.electronFuses);

    for (const platform of platforms) {
      const appOutDir = path.join(outDir, platform.name);
      const executable = path.join(appOutDir, platform.binary);
      await standInElectron(executable);
      await builder.addElectronFuses.call(
        platform.packager(),
        { appOutDir, electronPlatformName: platform.name },
        fuses,
      );

      const flipped = await getCurrentFuseWire(executable);
      const expected = (enabled: boolean) => (enabled ? FuseState.ENABLE : FuseState.DISABLE);
      for (const [name, index] of Object.entries(FuseV1Options)) {
        if (typeof index !== 'number') continue;
        expect(flipped[index as FuseV1Options], `${platform.name}: ${name}`).toBe(
          expected((fuseConfig as Record<number, boolean>)[index] === true),
        );
      }
      expect(flipped[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    }
  });
  it('no app code starts a child through ELECTRON_RUN_AS_NODE, which the runAsNode fuse turns off', async () => {
    const config = await builderConfig();
    expect(config.electronFuses?.['runAsNode']).toBe(false);
    const sources = (await readdir(path.join(projectRoot, 'electron'), { recursive: true }))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => path.join(projectRoot, 'electron', file));
    expect(sources.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const file of sources) {
      // Comments may say why it is not used; code may not name it.
      const code = (await readFile(file, 'utf8'))
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      if (/ELECTRON_RUN_AS_NODE/.test(code)) offenders.push(path.relative(projectRoot, file));
    }
    expect(offenders).toEqual([]);
  });
});

describe('installers', () => {
  it('builds the deb on Linux by default, not the AppImage', async () => {
    const config = await builderConfig();
    expect(config.linux?.target).toEqual(['deb']);
    expect(config.linux?.executableName).toBe('session-vault');
  });
});

describe('install scripts', () => {
  it('approves, by name, every dependency whose install script npm would run', async () => {
    const manifest = JSON.parse(await readFile(path.join(projectRoot, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const lock = JSON.parse(
      await readFile(path.join(projectRoot, 'package-lock.json'), 'utf8'),
    ) as {
      packages: Record<string, { version?: string; hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([location]) => location.replace(/^.*node_modules\//, ''))
      .sort();
    expect(withScripts).toEqual(
      expect.arrayContaining(['better-sqlite3', 'esbuild', 'electron-winstaller']),
    );
    // Name-only keys: npm derives a pinned key's identity from the lockfile's resolved address,
    // which this lockfile does not record, so a pinned approval would never match.
    const approved = Object.entries(manifest.allowScripts ?? {})
      .filter(([, allowed]) => allowed)
      .map(([key]) => key)
      .sort();
    expect(approved).toEqual(withScripts);
  });

  it("leaves nothing for npm's own check to report, where npm has it", () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = spawnSync(npm, ['install-scripts', 'ls'], {
      cwd: projectRoot,
      encoding: 'utf8',
      shell: process.platform === 'win32',
    });
    // npm before 11.16 has no install-scripts command: nothing to ask.
    if (/Unknown command|not a valid command/i.test(`${run.stdout}${run.stderr}`)) return;
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('No packages with unreviewed install scripts');
  });
});
