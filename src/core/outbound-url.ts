/**
 * @module core/outbound-url
 * The one check for URLs that a user hands Keel to fetch (model downloads, document loaders,
 * webhooks): unless `security.allowPrivateNetworkFetch` is on, a URL must be https and every
 * address its host resolves to must be public — no loopback, private, link-local, CGNAT,
 * multicast or reserved ranges, including IPv4 addresses hidden inside IPv6 (IPv4-mapped, NAT64,
 * 6to4). Callers that follow redirects check each `Location` again; `publicOnlyLookup` lets an
 * HTTP agent repeat the check at connect time, which also defeats DNS rebinding.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { KeelError } from './errors.js';

/** Resolves a host name to all of its addresses (`dns.lookup` with `all: true`). */
export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

export interface OutboundUrlOptions {
  /** Allow loopback and private addresses, and plain http (tests, local mirrors). Default false. */
  allowPrivateNetwork?: boolean;
  /** Accepted protocols; default `https:` only, plus `http:` when private networks are allowed. */
  protocols?: string[];
  /** DNS resolver; defaults to node:dns `lookup` (the system resolver, as `fetch` uses). */
  lookup?: HostLookup;
}

const privateNetworkHint =
  'To fetch from private or loopback addresses on purpose (a local mirror), set ' +
  'security.allowPrivateNetworkFetch: true in keel.yaml or KEEL_ALLOW_PRIVATE_NETWORK_FETCH=1.';

// Ranges that are not the public internet (IANA special-purpose registries, RFC 6890 and successors).
const blockedRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
] as const) {
  blockedRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated, still routed internally)
  ['ff00::', 8], // multicast
] as const) {
  blockedRanges.addSubnet(network, prefix, 'ipv6');
}

/** Parses a valid IPv6 literal (optionally with a dotted IPv4 tail) into 16 bytes. */
function ipv6Bytes(address: string): Uint8Array {
  let text = address.split('%')[0]!;
  const bytes = new Uint8Array(16);
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [
    ...headGroups,
    ...Array(8 - headGroups.length - tailGroups.length).fill('0'),
    ...tailGroups,
  ] as string[];
  groups.forEach((group, index) => {
    const value = Number.parseInt(group || '0', 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return bytes;
}

const dottedQuad = (bytes: Uint8Array, offset: number) =>
  `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;

/**
 * True when an IP address belongs to the public internet. IPv6 addresses that carry an IPv4
 * address (IPv4-mapped `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by
 * the IPv4 address inside them. Anything that is not an IP literal is not public.
 *
 * @example
 * isPublicAddress('93.184.216.34'); // true
 * isPublicAddress('::ffff:127.0.0.1'); // false
 */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address.split('%')[0]!);
  if (version === 4) return !blockedRanges.check(address, 'ipv4');
  if (version !== 6) return false;
  const bytes = ipv6Bytes(address);
  const zeros = (from: number, to: number) => bytes.subarray(from, to).every((byte) => byte === 0);
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return isPublicAddress(dottedQuad(bytes, 12));
  // IPv4-compatible ::a.b.c.d (deprecated); :: and ::1 land in 0.0.0.0/8 and stay blocked.
  if (zeros(0, 12)) return isPublicAddress(dottedQuad(bytes, 12));
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)) {
    return isPublicAddress(dottedQuad(bytes, 12));
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return isPublicAddress(dottedQuad(bytes, 2));
  return !blockedRanges.check(address.split('%')[0]!, 'ipv6');
}

/**
 * Parses a URL a user gave, or throws a coded `invalid_request` (never a bare TypeError). The
 * message does not repeat the text: it may carry credentials. A scoped IPv6 address
 * (`https://[fe80::1%25lo]`) is not a valid URL, and link-local addresses are not allowed anyway.
 *
 * @example
 * parseUrl('https://[fe80::1%25lo]/model.gguf'); // throws KeelError invalid_request
 */
export function parseUrl(text: string, field = 'url'): URL {
  try {
    return new URL(text);
  } catch {
    const scoped = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@]*@)?\[[^\]]*%/i.test(text);
    const message = scoped
      ? 'Not a valid URL: IPv6 addresses with a zone (%25…) are not allowed; link-local addresses cannot be fetched.'
      : 'Not a valid URL.';
    throw new KeelError('invalid_request', message, {
      issues: [{ code: 'invalid_url', path: [field], message }],
    });
  }
}

const systemLookup: HostLookup = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/**
 * Checks that `url` may be fetched and returns it parsed. Resolves the host and refuses the URL
 * when any of its addresses is not public (a host with one public and one private address could
 * be steered to the private one). Throws `invalid_request` for a malformed or non-https URL,
 * `forbidden` for a private address and `network_error` when the name does not resolve.
 *
 * @example
 * const url = await assertPublicUrl('https://huggingface.co/ibm-granite/…/file.gguf');
 */
export async function assertPublicUrl(url: string | URL, options: OutboundUrlOptions = {}): Promise<URL> {
  const parsed = url instanceof URL ? new URL(url.href) : parseUrl(url);
  const allowPrivate = options.allowPrivateNetwork ?? false;
  const protocols = options.protocols ?? (allowPrivate ? ['https:', 'http:'] : ['https:']);
  if (!protocols.includes(parsed.protocol)) {
    throw new KeelError(
      'invalid_request',
      `Refusing ${parsed.protocol}// URL ${redact(parsed)}: only ${protocols.map((p) => `${p}//`).join(' or ')} is allowed.`,
      { data: { url: redact(parsed), ...(allowPrivate ? {} : { hint: privateNetworkHint }) } },
    );
  }
  if (allowPrivate) return parsed;
  // URL keeps the brackets of IPv6 literals in `hostname`.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw privateAddressError(parsed, host);
    return parsed;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await (options.lookup ?? systemLookup)(host);
  } catch (error) {
    throw new KeelError(
      'network_error',
      `Cannot resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      {
        cause: error,
        data: {
          url: redact(parsed),
          hint: 'Check the host name and that this machine can reach the internet (or a mirror).',
        },
      },
    );
  }
  if (addresses.length === 0) {
    throw new KeelError('network_error', `Cannot resolve ${host}: no addresses.`, {
      data: { url: redact(parsed) },
    });
  }
  const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
  if (blocked) throw privateAddressError(parsed, blocked.address);
  return parsed;
}

/**
 * A `dns.lookup`-compatible resolver that fails for non-public addresses. Give it to an HTTP agent
 * (`new undici.Agent({ connect: { lookup: publicOnlyLookup } })`) so that the address actually
 * connected to is checked, not only the one seen before the request.
 */
export function publicOnlyLookup(
  hostname: string,
  options: { all?: boolean; family?: number | string } | number,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  const wantsAll = typeof options === 'object' && options.all === true;
  dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
    if (error) return callback(error, wantsAll ? [] : '');
    const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
    if (blocked || addresses.length === 0) {
      const refusal = Object.assign(
        new Error(
          `Refusing to connect to ${hostname} (${blocked?.address ?? 'no address'}): not a public address.`,
        ),
        {
          code: 'EKEELPRIVATE',
        },
      );
      return callback(refusal, wantsAll ? [] : '');
    }
    if (wantsAll) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}

function privateAddressError(url: URL, address: string): KeelError {
  return new KeelError(
    'forbidden',
    `Refusing to fetch ${redact(url)}: ${url.hostname} resolves to ${address}, which is not a public internet address.`,
    { data: { url: redact(url), address, hint: privateNetworkHint } },
  );
}

/** The URL without credentials or query (signed URLs carry tokens there), for messages and logs. */
export function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
