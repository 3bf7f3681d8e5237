// The built preload runs in a sandboxed renderer, where require() knows only 'electron' and a few
// Node polyfills: any other runtime require means window.vault never appears in the real app.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bundle = path.resolve(import.meta.dirname, '../../../out/preload/preload.cjs');
const built = existsSync(bundle);
if (!built)
  console.log(
    'electron-preload-bundle SKIPPED: out/preload/preload.cjs is not built yet (npm run build).',
  );

describe.skipIf(!built)('built preload bundle', () => {
  it('requires nothing but electron at runtime', () => {
    const source = readFileSync(bundle, 'utf8');
    const required = [...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map(
      (match) => match[1],
    );
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('exposes only window.vault', () => {
    const source = readFileSync(bundle, 'utf8');
    const exposed = [...source.matchAll(/exposeInMainWorld\(\s*["']([^"']+)["']/g)].map(
      (match) => match[1],
    );
    expect(exposed).toEqual(['vault']);
    expect(source).not.toMatch(/exposeInIsolatedWorld|ipcRenderer\.(send|on|sendSync)\b/);
  });
});
