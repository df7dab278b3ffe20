/**
 * @module core/redact-url
 * The one way a URL is shown or logged: credentials in the authority (`user:password@`) and the
 * values of query parameters that carry secrets (tokens, keys, signatures, AWS/GCS signed-URL
 * fields) are replaced with `***`; everything else stays, so the URL is still recognisable.
 */

const mask = '***';

// Query parameters whose values are secrets (compared case-insensitively).
const secretParams = new Set([
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'auth',
  'authorization',
  'key',
  'api_key',
  'apikey',
  'api-key',
  'sig',
  'signature',
  'password',
  'passwd',
  'pwd',
  'secret',
  'client_secret',
  'credential',
  'credentials',
  'session',
  'sessionid',
  'code',
]);
const secretPrefixes = ['x-amz-', 'x-goog-'];

function isSecretParam(name: string): boolean {
  const lower = name.toLowerCase();
  return secretParams.has(lower) || secretPrefixes.some((prefix) => lower.startsWith(prefix));
}

function redactQuery(query: string): string {
  if (!query) return query;
  return `?${query
    .slice(1)
    .split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      const rawName = at < 0 ? pair : pair.slice(0, at);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // Keep the raw name: a malformed escape is not a reason to show a secret.
      }
      return at >= 0 && isSecretParam(name) ? `${rawName}=${mask}` : pair;
    })
    .join('&')}`;
}

/**
 * A URL safe to show or log. Text that is not a URL (a catalog id, `hf:owner/repo/file`) is
 * returned with anything that looks like credentials or a secret parameter masked.
 *
 * @example
 * redactUrl('https://user:pw@host.example/m.gguf?X-Amz-Signature=abc&rev=2');
 * // 'https://***@host.example/m.gguf?X-Amz-Signature=***&rev=2'
 */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return redactText(String(url));
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(parsed.href)) return redactText(parsed.href);
  const credentials = parsed.username || parsed.password ? `${mask}@` : '';
  return `${parsed.protocol}//${credentials}${parsed.host}${parsed.pathname}${redactQuery(parsed.search)}${parsed.hash}`;
}

/** Masks URL-shaped secrets inside free text (error messages that quote a URL). */
export function redactText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s?#]*@/gi, `$1${mask}@`)
    .replace(/([?&])([^=&#\s]+)=([^&#\s]*)/g, (whole, sep: string, name: string) =>
      isSecretParam(name) ? `${sep}${name}=${mask}` : whole,
    );
}
