// The built preloads run in a sandboxed renderer, where require() knows only 'electron' and a few
// Node polyfills: any other runtime require means window.vault never appears in the real app.
// Each window has its own: the capture window's exposes the capture channels and nothing else.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

const bundles = {
  main: path.resolve(import.meta.dirname, '../../../out/preload/preload.cjs'),
  capture: path.resolve(import.meta.dirname, '../../../out/preload/capture-preload.cjs'),
};
const built = Object.values(bundles).every((bundle) => existsSync(bundle));
if (!built)
  console.log(
    'electron-preload-bundle SKIPPED: out/preload/*.cjs are not built yet (npm run build).',
  );

/** Runs a built preload against a stand-in 'electron' and returns the channels it exposes. */
function exposedChannels(bundle: string): { keys: string[]; channels: string[] } {
  const exposed = new Map<string, unknown>();
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
    ipcRenderer: { invoke: async () => ({ ok: true, value: {} }) },
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(bundle, 'utf8'), {
    module,
    exports: module.exports,
    require: (name: string) => {
      if (name !== 'electron') throw new Error(`the preload required ${name}`);
      return electron;
    },
  });
  const vault = (exposed.get('vault') ?? {}) as Record<string, Record<string, unknown>>;
  return {
    keys: [...exposed.keys()],
    channels: Object.entries(vault)
      .flatMap(([domain, methods]) => Object.keys(methods).map((method) => `${domain}.${method}`))
      .sort(),
  };
}

describe.skipIf(!built)('built preload bundles', () => {
  for (const [name, bundle] of Object.entries(bundles)) {
    it(`${name}: requires nothing but electron at runtime`, () => {
      const source = readFileSync(bundle, 'utf8');
      const required = [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map(
        (match) => match[1],
      );
      expect(new Set(required)).toEqual(new Set(['electron']));
    });

    it(`${name}: exposes only window.vault`, () => {
      const source = readFileSync(bundle, 'utf8');
      const exposed = [...source.matchAll(/exposeInMainWorld\(\s*["']([^"']+)["']/g)].map(
        (match) => match[1],
      );
      expect(exposed).toEqual(['vault']);
      expect(source).not.toMatch(/exposeInIsolatedWorld|ipcRenderer\.(send|on|sendSync)\b/);
    });
  }

  it("the capture window's preload exposes the capture channels and nothing else", () => {
    expect(exposedChannels(bundles.capture)).toEqual({
      keys: ['vault'],
      channels: [
        'capture.chunk',
        'capture.failed',
        'capture.finished',
        'capture.level',
        'capture.microphones',
        'capture.next',
        'capture.started',
        'capture.testDone',
        'capture.testLevel',
      ],
    });
  });

  it("the main window's preload exposes no capture channel", () => {
    const { keys, channels } = exposedChannels(bundles.main);
    expect(keys).toEqual(['vault']);
    expect(channels).toContain('vault.status');
    expect(channels).toContain('review.library');
    expect(channels.filter((channel) => channel.startsWith('capture.'))).toEqual([]);
  });
});
