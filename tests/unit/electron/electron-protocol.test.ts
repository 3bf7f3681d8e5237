// app:// serves the built renderer folder and nothing else, always with the strict CSP.
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../electron/app-protocol';
import { contentSecurityPolicy } from '../../../shared/content-security-policy';

let sandbox: string;
let handler: (request: Request) => Promise<Response>;

beforeAll(async () => {
  sandbox = await mkdtemp(path.join(tmpdir(), 'vault-protocol-'));
  const renderer = path.join(sandbox, 'out', 'renderer');
  await mkdir(path.join(renderer, 'assets'), { recursive: true });
  await writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>Session Vault</title>');
  await writeFile(path.join(renderer, 'capture.html'), '<!doctype html><title>capture</title>');
  await writeFile(path.join(renderer, 'assets', 'index-abc.js'), 'export {};');
  await writeFile(path.join(renderer, 'assets', 'index-abc.css'), 'body{}');
  await writeFile(path.join(renderer, 'assets', 'logo.svg'), '<svg/>');
  await writeFile(path.join(renderer, 'assets', 'notes.bin'), 'binary');
  await writeFile(path.join(sandbox, 'out', 'secret.txt'), 'outside the renderer folder');
  await writeFile(path.join(sandbox, 'out', 'secret.html'), 'outside the renderer folder');
  await symlink(path.join(sandbox, 'out', 'secret.html'), path.join(renderer, 'escape.html'));
  handler = createAppProtocolHandler(renderer);
});

afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// protocol', () => {
  it.each([
    ['app://session-vault/index.html', 'text/html; charset=utf-8', '<!doctype html>'],
    ['app://session-vault/', 'text/html; charset=utf-8', '<!doctype html>'],
    ['app://session-vault/capture.html', 'text/html; charset=utf-8', '<!doctype html>'],
    ['app://session-vault/assets/index-abc.js', 'text/javascript; charset=utf-8', 'export'],
    ['app://session-vault/assets/index-abc.css', 'text/css; charset=utf-8', 'body'],
    ['app://session-vault/assets/logo.svg', 'image/svg+xml', '<svg'],
    ['app://session-vault/assets/index-abc.js?v=1#x', 'text/javascript; charset=utf-8', 'export'],
  ])('serves %s as %s', async (url, type, start) => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(type);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toMatch(new RegExp(`^${start}`));
  });

  it('sets the strict CSP on every response, refusals included, with no unsafe-inline or unsafe-eval', async () => {
    expect(contentSecurityPolicy).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    for (const url of [
      'app://session-vault/index.html',
      'app://session-vault/missing.html',
      'app://session-vault/../x.html',
    ]) {
      const csp = (await get(url)).headers.get('content-security-policy');
      expect(csp).toBe(contentSecurityPolicy);
      expect(csp).not.toMatch(
        /unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval|\*|https?:/,
      );
    }
  });

  it.each([
    'app://session-vault/%2e%2e/secret.txt',
    'app://session-vault/%2E%2E%2Fsecret.html',
    'app://session-vault/assets/..%2F..%2Fsecret.html',
    'app://session-vault/..%5Csecret.html',
    'app://session-vault/assets%2F..%2F..%2Fsecret.html',
    'app://session-vault/index.html%00.js',
    'app://session-vault/%E0%A4%A',
  ])('refuses traversal and malformed paths: %s', async (url) => {
    const response = await get(url);
    expect([400, 403, 404]).toContain(response.status);
    expect(await response.text()).not.toContain('outside the renderer folder');
  });

  it('never serves a file outside the folder, whatever the URL parser did to the dots', async () => {
    for (const url of [
      'app://session-vault/../secret.txt',
      'app://session-vault/assets/../../secret.html',
    ]) {
      const response = await get(url);
      expect(response.status).not.toBe(200);
      expect(await response.text()).not.toContain('outside the renderer folder');
    }
  });

  it('refuses a symlink that leads outside the folder', async () => {
    const response = await get('app://session-vault/escape.html');
    expect(response.status).toBe(403);
  });

  it.each([
    ['an unknown file', 'app://session-vault/nope.html', 404],
    ['a folder', 'app://session-vault/assets/', 404],
    ['a file type it does not serve', 'app://session-vault/assets/notes.bin', 404],
    ['another host', 'app://evil/index.html', 404],
    ['a look-alike host', 'app://session-vault.evil/index.html', 404],
    ['a port', 'app://session-vault:8080/index.html', 404],
  ])('refuses %s', async (_name, url, status) => {
    expect((await get(url)).status).toBe(status);
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await get('app://session-vault/index.html', 'POST')).status).toBe(405);
    const head = await get('app://session-vault/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
