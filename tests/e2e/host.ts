// The Chromium test host: the real createCore() in Node, the built renderer served over HTTP,
// and Debian's Chromium (the engine inside Electron 45) driven by playwright-core. The page gets
// window.vault exactly as the preload builds it: shared/bridge.ts over a transport that checks
// the calling frame's origin, so the renderer under test cannot tell the difference.
import { randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createCore, type Core } from '../../electron/core/create-core';
import type { Caller } from '../../shared/api';
import { contentSecurityPolicy } from '../../shared/content-security-policy';
import { errorSentences } from '../../shared/errors';
import { decodeRequest } from '../../shared/wire';
import { ensureSpeechWav } from './speech';
import { decodeWire, encodeWire } from './wire';

export const repoRoot = resolve(import.meta.dirname, '../..');

/**
 * The laptop's time zone in every e2e test: not UTC, so a time written in UTC shows up as wrong.
 * On a laptop main and the page share the zone; here main is this Node process, so it gets the
 * page's zone too (Node re-reads TZ when it is assigned).
 */
export const laptopTimeZone = 'Europe/Berlin';
process.env.TZ = laptopTimeZone;
/** Where the host's stand-in for main's save dialog puts access-log exports. */
export const exportFolder = join(repoRoot, 'test-results/audit-downloads');
const rendererRoot = join(repoRoot, 'out/renderer');

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The core's two clocks, moved only when a test moves them, so idle locks and delays are
 * deterministic: `advance` is time passing (both move); the wall clock alone is never set here.
 */
export interface TestClock {
  now: () => number;
  /** The monotonic clock idle locks, review limits and unlock delays run on. */
  monotonicNow: () => number;
  advance(ms: number): void;
}

export function createTestClock(start = Date.UTC(2025, 2, 14, 9, 30)): TestClock {
  let current = start;
  let monotonic = 0;
  return {
    now: () => current,
    monotonicNow: () => monotonic,
    advance: (ms) => {
      current += ms;
      monotonic += ms;
    },
  };
}

export { decodeWire, encodeWire };

/** Passes one request (bytes still wrapped) to a core and returns its wrapped answer. */
/**
 * How the binding hands a page's call on: the request is the page's bytes (shared/wire.ts) in the
 * binding's base64 wrapper, to be unwrapped and given to the core's dispatchWire, as main would.
 */
export type WireDispatch = (channel: unknown, request: unknown, caller: Caller) => Promise<unknown>;

export interface BrowserHost {
  /** The UI page, already on index.html. */
  page: Page;
  context: BrowserContext;
  browser: Browser;
  origin: string;
  /** Every request that reached the core, by channel, for assertions. */
  calls: string[];
  /** Chunks main acknowledged (answered ok), by recording id. */
  ackedChunks: Map<string, number>;
  /** The capture pages open now (one while a recording runs). */
  capturePages: Set<Page>;
  /** What the core's CaptureHost does: a new page at /capture.html whose calls are 'capture'. */
  openCapturePage(): Promise<Page>;
  closeCapturePages(): Promise<void>;
  close(): Promise<void>;
}

export interface TestHost extends BrowserHost {
  core: Core;
  clock: TestClock;
  dataDir: string;
  /** Every path main's "save dialog" answered for an export, in order. */
  exportedFiles: string[];
  /** Every path main asked the OS to show in its folder ("Show in folder"). */
  revealedFiles: string[];
}

export interface TestHostOptions {
  dataDir?: string;
  clock?: TestClock;
  /** Free bytes reported to the core (the real disk's by default). */
  freeBytes?: () => number;
  /**
   * Open a real capture page (renderer/capture.html, the fake microphone) when the core starts
   * a recording. Off by default: tests that play the capture window themselves through
   * core.dispatch(..., 'capture') get a capture host that opens nothing.
   */
  capturePage?: boolean;
  /** What the fake microphone hears: the speech file unless a test says otherwise. */
  microphoneWav?: string;
}

/** Serves files of out/renderer and nothing else, every answer under the app's one CSP. */
function startStaticServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const refuse = (status: number) => {
      response.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'content-security-policy': contentSecurityPolicy,
      });
      response.end(status === 404 ? 'Not found' : 'Refused');
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    } catch {
      return refuse(400);
    }
    if (pathname.includes('\0')) return refuse(400);
    if (pathname === '/') pathname = '/index.html';
    const file = normalize(join(rendererRoot, pathname));
    // A path that climbs out of out/renderer is refused, however it was spelled.
    if (!file.startsWith(rendererRoot + sep)) return refuse(403);
    const type = mimeTypes[extname(file)];
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      isFile = false;
    }
    if (!type || !isFile) return refuse(404);
    response.writeHead(200, {
      'content-type': type,
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePromise(server));
  });
}

/**
 * The page side of the preloads: window.vault from shared/bridge.ts (the capture page's own
 * channels on capture.html, the rest elsewhere), frozen, over the host's
 * binding. The raw binding is taken off window so page code cannot reach a generic invoke.
 */
async function bundleBridge(): Promise<string> {
  const entry = `
    import { createCaptureBridge, createVaultBridge } from './shared/bridge';
    const raw = globalThis.__vaultHostInvoke;
    try { delete globalThis.__vaultHostInvoke; } catch {}
    // Bytes do not survive the binding as they are: base64 in a wrapper, both ways.
    const encode = (value) => {
      if (value instanceof Uint8Array) {
        let text = '';
        for (let i = 0; i < value.length; i += 0x8000)
          text += String.fromCharCode.apply(null, value.subarray(i, i + 0x8000));
        return { __bytes: btoa(text) };
      }
      if (Array.isArray(value)) return value.map(encode);
      if (value && typeof value === 'object') {
        const out = {};
        for (const key of Object.keys(value)) out[key] = encode(value[key]);
        return out;
      }
      return value;
    };
    const decode = (value) => {
      if (Array.isArray(value)) return value.map(decode);
      if (value && typeof value === 'object') {
        if (typeof value.__bytes === 'string' && Object.keys(value).length === 1) {
          const text = atob(value.__bytes);
          const bytes = new Uint8Array(text.length);
          for (let i = 0; i < text.length; i += 1) bytes[i] = text.charCodeAt(i);
          return bytes;
        }
        const out = {};
        for (const key of Object.keys(value)) out[key] = decode(value[key]);
        return out;
      }
      return value;
    };
    const transport = async (channel, request) => decode(await raw(channel, encode(request)));
    // As in the app, each window's preload exposes only that window's channels.
    const vault = location.pathname.endsWith('/capture.html')
      ? createCaptureBridge(transport)
      : createVaultBridge(transport);
    for (const domain of Object.values(vault)) Object.freeze(domain);
    Object.defineProperty(globalThis, 'vault', {
      value: Object.freeze(vault), writable: false, configurable: false, enumerable: true,
    });
  `;
  const result = await build({
    stdin: { contents: entry, resolveDir: repoRoot, loader: 'ts', sourcefile: 'test-preload.ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no bridge bundle');
  return output.text;
}

/**
 * Chromium with the fake microphone, the static server and the binding. A call from a capture
 * page (one this host opened for the core) is dispatched as 'capture', every other as 'ui': the
 * page itself never chooses, as in Electron where main looks at the sender.
 */
export async function launchBrowserHost(
  dispatch: WireDispatch,
  microphoneWav = ensureSpeechWav(),
): Promise<BrowserHost> {
  const server = await startStaticServer();
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${microphoneWav}`,
      '--autoplay-policy=no-user-gesture-required',
      '--enable-precise-memory-info',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1200, height: 820 },
    locale: 'en-GB',
    timezoneId: laptopTimeZone,
  });

  const calls: string[] = [];
  const ackedChunks = new Map<string, number>();
  const capturePages = new Set<Page>();
  await context.exposeBinding(
    '__vaultHostInvoke',
    async (source, channel: unknown, request: unknown) => {
      // The same check as electron/ipc.ts: only our own pages may talk to the vault.
      let senderOrigin: string | null = null;
      try {
        senderOrigin = new URL(source.frame.url()).origin;
      } catch {
        senderOrigin = null;
      }
      if (senderOrigin !== origin) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN_SENDER', message: errorSentences.FORBIDDEN_SENDER },
        };
      }
      calls.push(String(channel));
      const caller: Caller = capturePages.has(source.page) ? 'capture' : 'ui';
      const reply = (await dispatch(channel, request, caller)) as { ok?: boolean };
      if (channel === 'capture.chunk' && reply?.ok) {
        const bytes = decodeWire(request);
        const sent = decodeRequest(bytes, Number.MAX_SAFE_INTEGER);
        const recordingId = sent.ok
          ? String((sent.value as { recordingId?: unknown }).recordingId)
          : '';
        ackedChunks.set(recordingId, (ackedChunks.get(recordingId) ?? 0) + 1);
      }
      return reply;
    },
  );
  await context.addInitScript({ content: await bundleBridge() });

  const watch = (page: Page, name: string) => {
    // A page error is a bug in the renderer: show it next to the failing test.
    page.on('pageerror', (error) => console.error(`[${name} page error] ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') console.error(`[${name} console] ${message.text()}`);
    });
  };
  const page = await context.newPage();
  watch(page, 'ui');
  await page.goto(`${origin}/index.html`);

  let closed = false;
  return {
    page,
    context,
    browser,
    origin,
    calls,
    ackedChunks,
    capturePages,
    async openCapturePage() {
      const capture = await context.newPage();
      capturePages.add(capture);
      capture.on('close', () => capturePages.delete(capture));
      watch(capture, 'capture');
      await capture.goto(`${origin}/capture.html`);
      return capture;
    },
    async closeCapturePages() {
      await Promise.all([...capturePages].map((p) => p.close().catch(() => undefined)));
    },
    async close() {
      if (closed) return;
      closed = true;
      await browser.close().catch(() => undefined);
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}

export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'session-vault-e2e-'));
  const ownsDataDir = options.dataDir === undefined;
  const clock = options.clock ?? createTestClock();
  let browserHost: BrowserHost | null = null;
  const exportedFiles: string[] = [];
  const revealedFiles: string[] = [];
  const core = await createCore({
    dataDir,
    deviceSecret: new Uint8Array(randomBytes(32)),
    clock: clock.now,
    monotonicClock: clock.monotonicNow,
    kdf: { opsLimit: 2, memLimitBytes: 8 * 1024 * 1024 },
    // The speech file must reach the recording as it is, for the envelope comparison.
    roomAudioProcessing: false,
    // The app's own built workers (npm run build), as electron/main.ts passes them.
    auditIndexWorker: join(repoRoot, 'out/main/audit-index-worker.js'),
    kdfWorker: join(repoRoot, 'out/main/kdf-worker.js'),
    ...(options.freeBytes ? { freeBytes: options.freeBytes } : {}),
    captureHost: {
      open: async () => {
        if (options.capturePage) await browserHost?.openCapturePage();
      },
      close: () => {
        if (options.capturePage) void browserHost?.closeCapturePages();
      },
    },
    // Main's save dialog, answered at once with the name main suggested.
    exportFiles: {
      choose: async (suggestedName) => {
        mkdirSync(exportFolder, { recursive: true });
        const file = join(exportFolder, suggestedName);
        exportedFiles.push(file);
        return file;
      },
      reveal: (file) => revealedFiles.push(file),
    },
  });
  // Main checks the idle deadline every second; so does the host.
  const ticker = setInterval(() => core.tick(), 1000);
  browserHost = await launchBrowserHost(
    async (channel, request, caller) =>
      encodeWire(await core.dispatchWire(channel, decodeWire(request), caller)),
    options.microphoneWav,
  );
  const launched = browserHost;
  return {
    ...launched,
    core,
    clock,
    dataDir,
    exportedFiles,
    revealedFiles,
    async close() {
      clearInterval(ticker);
      await launched.close();
      core.close();
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
