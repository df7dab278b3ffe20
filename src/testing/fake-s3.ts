/**
 * @module testing/fake-s3
 * A fake S3-compatible server on 127.0.0.1 for tests: real `node:http`, the real S3 REST
 * protocol with path-style addressing — PUT, GET, HEAD and DELETE object, and ListObjectsV2
 * (`prefix`, `max-keys`, continuation tokens) with S3's XML bodies and error codes — and every
 * request's AWS Signature Version 4 checked independently of any client library: the canonical
 * request is rebuilt from what arrived on the wire, the signing key derived from the secret, and
 * a mismatch answered `403 SignatureDoesNotMatch`, as S3 does. A payload hash that does not match
 * the body is `400 XAmzContentSHA256Mismatch`.
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeS3Options {
  bucket?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Largest page ListObjectsV2 returns, whatever `max-keys` asks (default 1,000; small to test paging). */
  pageSize?: number;
}

export interface FakeS3Request {
  method: string;
  /** The raw path, as signed. */
  path: string;
  query: Record<string, string>;
  /** The request's signed header names, from its Authorization header. */
  signedHeaders: string[];
  /** HTTP status the fake answered. */
  status: number;
}

export interface FakeS3 {
  readonly url: string;
  readonly bucket: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly requests: FakeS3Request[];
  /** Stored objects by key. */
  readonly objects: Map<string, { data: Buffer; modified: Date; etag: string }>;
  close(): Promise<void>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding, as SigV4 wants it: everything but unreserved characters. */
function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function xmlEscape(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorXml(code: string, message: string, resource: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><Resource>${xmlEscape(resource)}</Resource><RequestId>${randomUUID()}</RequestId></Error>`;
}

interface Verdict {
  ok: boolean;
  status?: number;
  code?: string;
  message?: string;
  signedHeaders: string[];
}

/** Checks the request's SigV4 Authorization header against the secret (S3: paths are not re-encoded). */
export function verifySigV4(
  request: {
    method: string;
    rawPath: string;
    rawQuery: string;
    headers: IncomingMessage['headers'];
    body: Buffer;
  },
  credentials: { accessKeyId: string; secretAccessKey: string; region: string },
  now = new Date(),
): Verdict {
  const fail = (status: number, code: string, message: string, signedHeaders: string[] = []): Verdict => ({
    ok: false,
    status,
    code,
    message,
    signedHeaders,
  });
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string') return fail(403, 'AccessDenied', 'Anonymous access is not allowed.');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return fail(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  const [, accessKeyId, day, region, service, signedList, signature] = match as unknown as string[];
  const signedHeaders = signedList!.split(';');
  if (accessKeyId !== credentials.accessKeyId)
    return fail(403, 'InvalidAccessKeyId', 'The access key id does not exist.', signedHeaders);
  if (region !== credentials.region || service !== 's3')
    return fail(
      400,
      'AuthorizationHeaderMalformed',
      `The scope must be ${credentials.region}/s3.`,
      signedHeaders,
    );
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date'))
    return fail(403, 'AccessDenied', 'host and x-amz-date must be signed.', signedHeaders);
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const time = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!time || amzDate.slice(0, 8) !== day)
    return fail(403, 'AccessDenied', 'Bad x-amz-date.', signedHeaders);
  const signedAt = Date.UTC(+time[1]!, +time[2]! - 1, +time[3]!, +time[4]!, +time[5]!, +time[6]!);
  if (Math.abs(now.getTime() - signedAt) > 15 * 60_000)
    return fail(
      403,
      'RequestTimeTooSkewed',
      'The request time is too far from the server time.',
      signedHeaders,
    );
  const payloadHash = String(request.headers['x-amz-content-sha256'] ?? '');
  if (!payloadHash) return fail(400, 'InvalidRequest', 'Missing x-amz-content-sha256.', signedHeaders);
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(request.body))
    return fail(400, 'XAmzContentSHA256Mismatch', 'The payload hash does not match the body.', signedHeaders);
  const query = request.rawQuery
    ? request.rawQuery
        .split('&')
        .filter(Boolean)
        .map((pair) => {
          const at = pair.indexOf('=');
          const name = decodeURIComponent((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, ' '));
          const value = at < 0 ? '' : decodeURIComponent(pair.slice(at + 1).replace(/\+/g, ' '));
          return [encodeRfc3986(name), encodeRfc3986(value)] as const;
        })
        .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
        .map(([name, value]) => `${name}=${value}`)
        .join('&')
    : '';
  const headerLines = signedHeaders.map((name) => {
    const raw = request.headers[name];
    const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
    return `${name}:${String(value).trim().replace(/\s+/g, ' ')}\n`;
  });
  const canonical = [
    request.method,
    request.rawPath,
    query,
    headerLines.join(''),
    signedList,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${region}/s3/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day!), region!), 's3'),
    'aws4_request',
  );
  const expected = createHmac('sha256', key).update(toSign).digest();
  const given = Buffer.from(signature!, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return fail(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
      signedHeaders,
    );
  return { ok: true, signedHeaders };
}

function listXml(
  bucket: string,
  keys: { key: string; size: number; modified: Date; etag: string }[],
  options: { prefix: string; maxKeys: number; token: string | undefined; truncated: boolean; next?: string },
): string {
  const contents = keys
    .map(
      (object) =>
        `<Contents><Key>${xmlEscape(object.key)}</Key><LastModified>${object.modified.toISOString()}</LastModified><ETag>&quot;${object.etag}&quot;</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucket)}</Name><Prefix>${xmlEscape(options.prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>${options.maxKeys}</MaxKeys><IsTruncated>${options.truncated}</IsTruncated>${options.token ? `<ContinuationToken>${xmlEscape(options.token)}</ContinuationToken>` : ''}${options.next ? `<NextContinuationToken>${xmlEscape(options.next)}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`;
}

/** Starts the fake on a random port of 127.0.0.1. */
export async function startFakeS3(options: FakeS3Options = {}): Promise<FakeS3> {
  const bucket = options.bucket ?? 'keel-test';
  const region = options.region ?? 'us-east-1';
  const accessKeyId = options.accessKeyId ?? 'AKIAFAKES3TEST000001';
  const secretAccessKey = options.secretAccessKey ?? 'fake/secret+key/for-tests-0123456789abcd';
  const pageSize = options.pageSize ?? 1000;
  const objects = new Map<string, { data: Buffer; modified: Date; etag: string }>();
  const requests: FakeS3Request[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const target = req.url ?? '/';
    const at = target.indexOf('?');
    const rawPath = at < 0 ? target : target.slice(0, at);
    const rawQuery = at < 0 ? '' : target.slice(at + 1);
    const query = Object.fromEntries(new URLSearchParams(rawQuery));
    const method = req.method ?? 'GET';
    const record = (status: number, signedHeaders: string[]) =>
      requests.push({ method, path: rawPath, query, signedHeaders, status });
    const send = (status: number, headers: Record<string, string | number>, payload?: string | Buffer) => {
      res.writeHead(status, { 'x-amz-request-id': randomUUID(), ...headers });
      res.end(method === 'HEAD' ? undefined : payload);
    };
    const verdict = verifySigV4(
      { method, rawPath, rawQuery, headers: req.headers, body },
      {
        accessKeyId,
        secretAccessKey,
        region,
      },
    );
    record(verdict.ok ? 200 : verdict.status!, verdict.signedHeaders);
    const xmlError = (status: number, code: string, message: string) => {
      requests.at(-1)!.status = status;
      send(status, { 'content-type': 'application/xml' }, errorXml(code, message, rawPath));
    };
    if (!verdict.ok) return xmlError(verdict.status!, verdict.code!, verdict.message!);
    const segments = rawPath.split('/');
    if (decodeURIComponent(segments[1] ?? '') !== bucket)
      return xmlError(404, 'NoSuchBucket', 'The specified bucket does not exist.');
    const key = segments.slice(2).map(decodeURIComponent).join('/');
    if (!key) {
      if (method !== 'GET' || query['list-type'] !== '2')
        return xmlError(501, 'NotImplemented', 'Only ListObjectsV2 is implemented on the bucket.');
      const prefix = query.prefix ?? '';
      const maxKeys = Math.min(Number(query['max-keys'] ?? 1000) || 1000, pageSize);
      const after = query['continuation-token']
        ? Buffer.from(query['continuation-token'], 'base64url').toString('utf8')
        : (query['start-after'] ?? '');
      const matching = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
      const page = matching.slice(0, maxKeys);
      const truncated = matching.length > page.length;
      const xml = listXml(
        bucket,
        page.map((k) => ({
          key: k,
          size: objects.get(k)!.data.length,
          modified: objects.get(k)!.modified,
          etag: objects.get(k)!.etag,
        })),
        {
          prefix,
          maxKeys,
          token: query['continuation-token'],
          truncated,
          ...(truncated ? { next: Buffer.from(page.at(-1)!, 'utf8').toString('base64url') } : {}),
        },
      );
      return send(200, { 'content-type': 'application/xml' }, xml);
    }
    const object = objects.get(key);
    const objectHeaders = (o: { data: Buffer; modified: Date; etag: string }) => ({
      'content-type': 'application/octet-stream',
      'content-length': o.data.length,
      etag: `"${o.etag}"`,
      'last-modified': o.modified.toUTCString(),
    });
    switch (method) {
      case 'PUT': {
        const etag = createHash('md5').update(body).digest('hex');
        objects.set(key, { data: body, modified: new Date(), etag });
        return send(200, { etag: `"${etag}"`, 'content-length': 0 });
      }
      case 'GET':
        if (!object) return xmlError(404, 'NoSuchKey', 'The specified key does not exist.');
        return send(200, objectHeaders(object), object.data);
      case 'HEAD':
        if (!object) {
          requests.at(-1)!.status = 404;
          return send(404, {});
        }
        return send(200, objectHeaders(object));
      case 'DELETE':
        objects.delete(key);
        return send(204, {});
      default:
        return xmlError(405, 'MethodNotAllowed', 'The method is not allowed against this resource.');
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    requests,
    objects,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
