// The one Content-Security-Policy of every page. Whatever serves the renderer sends it as a
// header: app:// in the app (electron/app-protocol.ts) and the e2e host (tests/e2e/host.ts), so
// the tests run under the app's own policy. The pages carry no meta copy: a header covers the
// document from its first byte and can say frame-ancestors, which a meta tag cannot, and a
// second copy is a second policy that drifts.
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
