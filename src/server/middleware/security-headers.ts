/**
 * @module server/middleware/security-headers
 * The security headers every response carries, as constants built once. API answers are JSON or
 * event streams that no browser should render, frame or cache: `default-src 'none'`, `nosniff`,
 * `DENY`, `no-referrer` and `no-store` (keys and sign-in tokens are answered by the API, and a
 * shared cache must never keep them). The console and the API reference are pages, so they send
 * their own Content-Security-Policy (and caching) in place of the API's.
 *
 * These headers are set before the handler runs (`requestContext`) and are part of the constant
 * header objects in `respond.ts`: nothing is added to a finished Response, which would copy it
 * on the gateway's hot path.
 */

/** Never embedded in a frame, whatever the page. */
const noFraming = "frame-ancestors 'none'";

/** Headers for API answers (JSON, event streams, errors). */
export const apiSecurityHeaders = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': `default-src 'none'; ${noFraming}`,
  'cache-control': 'no-store',
} as const satisfies Record<string, string>;

/**
 * The web console (web/dist): scripts, styles, fonts and images from its own origin only; it
 * talks to the API on the same origin. React sets `style` attributes, which CSP counts as inline
 * styles, so styles allow `'unsafe-inline'` (scripts do not).
 */
export const consoleContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  noFraming,
].join('; ');

/**
 * The API reference (/docs): swagger-ui's bundle and start-up script from /docs/assets, the
 * OpenAPI document from the same origin; swagger-ui writes inline styles and uses data: images.
 */
export const docsContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  noFraming,
].join('; ');
