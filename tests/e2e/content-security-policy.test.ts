// The end-to-end tests run under the app's own policy: the host sends the one shared CSP on every
// answer, the page holds no other policy, and the page really is held to it.
import { isDeepStrictEqual as isEqual } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../shared/content-security-policy';
import { visible } from './helpers';
import { startTestHost, type TestHost } from './host';

let host: TestHost;
let page: Page;

interface Violation {
  directive: string;
  policy: string;
  blocked: string;
}

// Page code is passed as text: the tests compile without the DOM's types.
const violations = async (): Promise<Violation[]> =>
  (await page.evaluate('window.__violations')) as Violation[];

describe('the e2e host and the app share one CSP', () => {
  beforeAll(async () => {
    host = await startTestHost();
    page = host.page;
    // Collect every violation from the first script on, so the app's own start is covered.
    await page.addInitScript({
      content: `
        const seen = [];
        Object.defineProperty(window, '__violations', { value: seen });
        document.addEventListener('securitypolicyviolation', (event) => {
          seen.push({
            directive: event.effectiveDirective,
            policy: event.originalPolicy,
            blocked: event.blockedURI,
          });
        });
      `,
    });
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Welcome to Session Vault' }));
  });

  afterAll(async () => {
    await host?.close();
  });

  it('sends the shared policy on every answer, pages, scripts and refusals alike', async () => {
    const html = await (await fetch(`${host.origin}/index.html`)).text();
    const script = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const answers = [
      await fetch(`${host.origin}/`),
      await fetch(`${host.origin}/index.html`),
      await fetch(`${host.origin}/capture.html`),
      await fetch(`${host.origin}/${script}`),
      await fetch(`${host.origin}/missing.html`),
      await fetch(`${host.origin}/assets%2F..%2F..%2Fpackage.json`),
      await fetch(`${host.origin}/index.html`, { method: 'POST' }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 404, 403, 405]);
    for (const answer of answers)
      expect(answer.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
  });

  it('gives the page no policy of its own and starts the app with nothing refused but eval', async () => {
    expect(await page.locator('meta[http-equiv="Content-Security-Policy" i]').count()).toBe(0);
    const atStart = await violations();
    // zod may probe for eval once (new Function in a try) and fall back when the policy refuses
    // it; anything else refused while the app starts is a page at odds with its policy.
    const evalProbe = { directive: 'script-src', policy: contentSecurityPolicy, blocked: 'eval' };
    expect(atStart.filter((violation) => !isEqual(violation, evalProbe))).toEqual([]);
  });

  it('holds the page to exactly that policy', async () => {
    const atStart = (await violations()).length;
    // A blob: image is what the app's policy allows and the host's old copy did not.
    const blobImage = await page.evaluate(`new Promise((done) => {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
      const image = new Image();
      image.onload = () => done('loaded');
      image.onerror = () => done('refused');
      image.src = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    })`);
    expect(blobImage).toBe('loaded');

    const inlineRan = await page.evaluate(`new Promise((done) => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.addEventListener(
        'securitypolicyviolation',
        () => done(window.__inlineRan === true),
        { once: true },
      );
      document.head.append(script);
    })`);
    expect(inlineRan).toBe(false);
    const seen = (await violations()).slice(atStart);
    expect(seen.map((violation) => violation.directive)).toEqual(['script-src-elem']);
    // Every violation names the one policy: a second (meta) policy would report its own text.
    expect(seen.every((violation) => violation.policy === contentSecurityPolicy)).toBe(true);
  });
});
