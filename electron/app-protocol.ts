// Serves app://session-vault/* from the built renderer folder, and nothing else. No Electron import:
// main passes the handler to protocol.handle, tests call it with plain Requests.
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { contentSecurityPolicy } from '../shared/content-security-policy';
import { appHost, appScheme } from './app-origin';

/** Only files of these kinds are served; anything else in the folder is refused. */
export const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

const securityHeaders = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

function refuse(status: 400 | 403 | 404 | 405): Response {
  const text = {
    400: 'Bad request',
    403: 'Forbidden',
    404: 'Not found',
    405: 'Method not allowed',
  }[status];
  return new Response(text, {
    status,
    headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
  });
}

function isInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The relative file a request asks for, or null when it tries to leave the folder or is malformed. */
function requestedFile(url: URL): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const segments = decoded.split(/[/\\]+/).filter((segment) => segment !== '');
  // Refuse rather than normalise: a request with ".." is never one the renderer makes.
  if (segments.some((segment) => segment === '..' || segment === '.')) return null;
  return segments.length === 0 ? 'index.html' : segments.join('/');
}

export function createAppProtocolHandler(
  rendererDir: string,
): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refuse(400);
    }
    if (url.protocol !== `${appScheme}:` || url.hostname !== appHost || url.port !== '')
      return refuse(404);
    const relative = requestedFile(url);
    if (relative === null) return refuse(403);
    const mimeType = mimeTypes[path.extname(relative).toLowerCase()];
    if (!mimeType) return refuse(404);
    const candidate = path.resolve(root, relative);
    if (!isInside(root, candidate)) return refuse(403);
    try {
      // A symlink inside the folder must not lead outside it.
      const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
      if (!isInside(realRoot, realFile)) return refuse(403);
      const body = await readFile(realFile);
      return new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...securityHeaders, 'Content-Type': mimeType },
      });
    } catch {
      return refuse(404);
    }
  };
}
