// The app's own origin, app://session-vault. Pure: no Electron import, so ipc.ts and tests use it freely.

export const appScheme = 'app';
export const appHost = 'session-vault';
export const appOrigin = `${appScheme}://${appHost}`;

/** A page of the built renderer, e.g. appUrl('index.html'). */
export function appUrl(page: string): string {
  return `${appOrigin}/${page.replace(/^\/+/, '')}`;
}

/**
 * True only for a URL (or an origin such as Chromium reports, with or without a trailing slash)
 * on app://session-vault. WHATWG URL gives "null" as the origin of a custom scheme, so the
 * parts are compared instead; credentials or a port would mean a URL we never produce.
 */
export function isAppUrl(raw: string | null | undefined): boolean {
  if (typeof raw !== 'string' || raw.length === 0) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return (
    url.protocol === `${appScheme}:` &&
    url.hostname === appHost &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}
