import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { buildTinyGguf } from '../testing/tiny-gguf.js';
import { type PullProgress, pullModel, resolvePullSource } from './pull.js';

/** What the fake model server does with the next requests. */
interface ServerBehaviour {
  /** Destroy the socket after sending this many body bytes, on this many responses. */
  dropAfter?: { bytes: number; times: number };
  /** Serve these bytes instead of the model (checksum tests). */
  body?: Uint8Array;
  /** Announce this digest as X-Linked-ETag. */
  linkedEtag?: string;
  /** Ignore Range headers and always send the whole file. */
  ignoreRange?: boolean;
}

const model = buildTinyGguf({ seed: 3 });
const modelSha = createHash('sha256').update(model).digest('hex');
let server: Server;
let base: string;
let behaviour: ServerBehaviour = {};
const requests: { url: string; range?: string; authorization?: string }[] = [];

function serveFile(request: IncomingMessage, response: ServerResponse, bytes: Uint8Array) {
  const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = range && !behaviour.ignoreRange ? Number(range[1]) : 0;
  const headers: Record<string, string> = { etag: `"${createHash('md5').update(bytes).digest('hex')}"` };
  if (behaviour.linkedEtag) headers['x-linked-etag'] = `"${behaviour.linkedEtag}"`;
  if (start >= bytes.length && range) {
    response.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
    return;
  }
  const body = bytes.subarray(start);
  if (start > 0) {
    response.writeHead(206, {
      ...headers,
      'content-length': String(body.length),
      'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}`,
    });
  } else {
    response.writeHead(200, { ...headers, 'content-length': String(body.length) });
  }
  const drop = behaviour.dropAfter;
  if (drop && drop.times > 0) {
    drop.times--;
    // Stall, then drop: like a real connection that dies mid-transfer.
    response.write(body.subarray(0, drop.bytes), () => setTimeout(() => response.socket?.destroy(), 50));
    return;
  }
  response.end(body);
}

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({
      url: request.url ?? '',
      ...(request.headers.range ? { range: request.headers.range } : {}),
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    const url = request.url ?? '';
    if (url === '/models/tiny.gguf') return serveFile(request, response, behaviour.body ?? model);
    if (url === '/page.html')
      return serveFile(request, response, new TextEncoder().encode('<html>nope</html>'));
    if (url === '/moved.gguf') {
      response.writeHead(302, { location: '/models/tiny.gguf' }).end();
      return;
    }
    // Hugging Face shape: /<owner>/<repo>/resolve/<revision>/<file> redirects to the file with its digest.
    if (/^\/[^/]+\/[^/]+\/resolve\/main\/.+\.gguf$/.test(url)) {
      response.writeHead(302, { location: '/models/tiny.gguf', 'x-linked-etag': `"${modelSha}"` }).end();
      return;
    }
    response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

let modelsDir: string;
beforeEach(async () => {
  behaviour = {};
  requests.length = 0;
  modelsDir = await mkdtemp(path.join(tmpdir(), 'keel-pull-'));
});
afterEach(async () => {
  await rm(modelsDir, { recursive: true, force: true });
});

const local = { allowPrivateNetwork: true } as const;

async function pullError(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KeelError);
  return error as KeelError;
}

describe('resolvePullSource', () => {
  it('understands catalog ids, hf: references and URLs', () => {
    expect(resolvePullSource('granite-3.3-2b-instruct').url.href).toContain(
      '/ibm-granite/granite-3.3-2b-instruct-GGUF/resolve/main/granite-3.3-2b-instruct-Q4_K_M.gguf',
    );
    const hf = resolvePullSource('hf:owner/repo@v1.0/sub/dir/model-Q8_0.gguf', { hfEndpoint: base });
    expect(hf.url.href).toBe(`${base}/owner/repo/resolve/v1.0/sub/dir/model-Q8_0.gguf`);
    expect(hf.name).toBe('model-Q8_0');
    const blob = resolvePullSource('https://huggingface.co/o/r/blob/main/x.gguf');
    expect(blob.url.pathname).toBe('/o/r/resolve/main/x.gguf');
    expect(blob.name).toBe('x');
  });

  it('rejects what it cannot name', () => {
    expect(() => resolvePullSource('no-such-catalog-model')).toThrowError(/No catalog model/);
    expect(() => resolvePullSource('hf:just-a-repo')).toThrowError(/not a Hugging Face file/);
  });
});

describe('pullModel', () => {
  it('downloads, reports progress and renames into place', async () => {
    const progress: PullProgress[] = [];
    const result = await pullModel({
      source: `${base}/models/tiny.gguf`,
      modelsDir,
      sha256: modelSha,
      ...local,
      onProgress: (update) => progress.push(update),
    });
    expect(result.file).toBe(path.join(modelsDir, 'tiny.gguf'));
    expect(result.sha256).toBe(modelSha);
    expect(result.verifiedAgainst).toBe('option');
    expect(result.alreadyPresent).toBe(false);
    expect(Buffer.compare(await readFile(result.file), Buffer.from(model))).toBe(0);
    expect(existsSync(`${result.file}.partial`)).toBe(false);
    expect(progress.at(-1)).toMatchObject({ bytesDone: model.length, bytesTotal: model.length });
    expect(progress.at(-1)?.bytesPerSecond).toBeGreaterThan(0);
  });

  it('keeps an existing file unless forced', async () => {
    await writeFile(path.join(modelsDir, 'tiny.gguf'), 'GGUF old');
    const kept = await pullModel({ source: `${base}/models/tiny.gguf`, modelsDir, ...local });
    expect(kept.alreadyPresent).toBe(true);
    expect(requests).toHaveLength(0);
    const replaced = await pullModel({
      source: `${base}/models/tiny.gguf`,
      modelsDir,
      force: true,
      ...local,
    });
    expect(replaced.sizeBytes).toBe(model.length);
  });

  it('resumes with a Range request after the connection drops midway', async () => {
    behaviour.dropAfter = { bytes: 50_000, times: 1 };
    const result = await pullModel({
      source: `${base}/models/tiny.gguf`,
      modelsDir,
      sha256: modelSha,
      ...local,
    });
    expect(result.resumed).toBe(true);
    expect(result.sha256).toBe(modelSha);
    expect(requests.map((request) => request.range)).toEqual([undefined, 'bytes=50000-']);
  });

  it('leaves the partial file for a later call when retries run out, then resumes it', async () => {
    behaviour.dropAfter = { bytes: 40_000, times: 1 };
    const error = await pullError(
      pullModel({ source: `${base}/models/tiny.gguf`, modelsDir, retries: 0, ...local }),
    );
    expect(error.code).toBe('network_error');
    expect(String(error.data?.hint)).toMatch(/again to resume/);
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.partial'))).toBe(true);
    const result = await pullModel({
      source: `${base}/models/tiny.gguf`,
      modelsDir,
      sha256: modelSha,
      ...local,
    });
    expect(result.resumed).toBe(true);
    expect(requests.at(-1)?.range).toBe('bytes=40000-');
  });

  it('starts over when the server answers a range request with the whole file (200)', async () => {
    behaviour.dropAfter = { bytes: 30_000, times: 1 };
    behaviour.ignoreRange = true;
    const result = await pullModel({
      source: `${base}/models/tiny.gguf`,
      modelsDir,
      sha256: modelSha,
      ...local,
    });
    expect(result.sha256).toBe(modelSha);
    expect(result.sizeBytes).toBe(model.length);
  });

  it('verifies against the digest the server announces, and removes a mismatching download', async () => {
    const corrupted = Uint8Array.from(model);
    corrupted[corrupted.length - 1] = corrupted.at(-1)! ^ 0xff;
    behaviour.body = corrupted;
    behaviour.linkedEtag = modelSha;
    const error = await pullError(pullModel({ source: `${base}/models/tiny.gguf`, modelsDir, ...local }));
    expect(error.code).toBe('checksum_mismatch');
    expect(error.data?.verifiedAgainst).toBe('server');
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.partial'))).toBe(false);
    expect(existsSync(path.join(modelsDir, 'tiny.gguf'))).toBe(false);
  });

  it('checks a catalog pin through a Hugging Face mirror endpoint', async () => {
    // The mirror serves the tiny model under the Granite file name: the catalog's pinned SHA-256 catches it.
    const error = await pullError(
      pullModel({ source: 'granite-3.3-2b-instruct', modelsDir, hfEndpoint: base, ...local }),
    );
    expect(error.code).toBe('checksum_mismatch');
    expect(error.data?.verifiedAgainst).toBe('catalog');
  });

  it('uses X-Linked-ETag from a Hugging Face redirect for hf: sources', async () => {
    const result = await pullModel({
      source: 'hf:someone/tiny-GGUF/tiny-model.gguf',
      modelsDir,
      hfEndpoint: base,
      hfToken: 'hf_test_token',
      ...local,
    });
    expect(result.name).toBe('tiny-model');
    expect(result.verifiedAgainst).toBe('server');
    expect(requests[0]?.authorization).toBe('Bearer hf_test_token');
  });

  it('follows redirects', async () => {
    const result = await pullModel({ source: `${base}/moved.gguf`, modelsDir, name: 'renamed', ...local });
    expect(result.file).toBe(path.join(modelsDir, 'renamed.gguf'));
  });

  it('maps 404 to not_found and refuses files that are not GGUF', async () => {
    expect((await pullError(pullModel({ source: `${base}/missing.gguf`, modelsDir, ...local }))).code).toBe(
      'not_found',
    );
    const notGguf = await pullError(
      pullModel({ source: `${base}/page.html`, modelsDir, name: 'page', ...local }),
    );
    expect(notGguf.code).toBe('unprocessable');
    expect(notGguf.message).toContain('<htm');
    expect(existsSync(path.join(modelsDir, 'page.gguf.partial'))).toBe(false);
  });

  it('reports an unreachable server as a network error with a hint', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await pullError(
      pullModel({ source: `http://127.0.0.1:${port}/x.gguf`, modelsDir, ...local }),
    );
    expect(error.code).toBe('network_error');
    expect(error.data?.hint).toBeTypeOf('string');
  });

  it('refuses loopback and private addresses unless allowed', async () => {
    const error = await pullError(pullModel({ source: `${base}/models/tiny.gguf`, modelsDir }));
    expect(error.code).toBe('invalid_request'); // plain http is refused first
    const https = await pullError(pullModel({ source: 'https://127.0.0.1:1/models/tiny.gguf', modelsDir }));
    expect(https.code).toBe('forbidden');
    expect(requests).toHaveLength(0);
  });

  it('re-checks every redirect target', async () => {
    // A "public" host (resolved by the injected lookup) that redirects to a loopback address.
    const fetchImpl: typeof fetch = async () =>
      new Response(null, { status: 302, headers: { location: `https://127.0.0.1/models/tiny.gguf` } });
    const error = await pullError(
      pullModel({
        source: 'https://models.example/tiny.gguf',
        modelsDir,
        fetch: fetchImpl,
        lookup: async () => [{ address: '93.184.216.34', family: 4 }],
      }),
    );
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain('127.0.0.1');
  });

  it('checks the address again when connecting (DNS rebinding)', async () => {
    // The first lookup says "public"; the connection itself resolves localhost → 127.0.0.1.
    const error = await pullError(
      pullModel({
        source: `https://localhost:${new URL(base).port}/models/tiny.gguf`,
        modelsDir,
        retries: 0,
        lookup: async () => [{ address: '93.184.216.34', family: 4 }],
      }),
    );
    expect(error.code).toBe('forbidden');
    expect(requests).toHaveLength(0);
  });

  it('reports a DNS failure as a network error', async () => {
    const error = await pullError(
      pullModel({
        source: 'https://offline.example/tiny.gguf',
        modelsDir,
        lookup: async () => {
          throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
        },
      }),
    );
    expect(error.code).toBe('network_error');
    expect(String(error.data?.hint)).toMatch(/internet|mirror/);
  });

  it('keeps the partial file when cancelled', async () => {
    behaviour.dropAfter = { bytes: 20_000, times: 5 };
    const controller = new AbortController();
    const error = await pullError(
      pullModel({
        source: `${base}/models/tiny.gguf`,
        modelsDir,
        ...local,
        abortSignal: controller.signal,
        onProgress: ({ bytesDone }) => {
          if (bytesDone >= 20_000) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('client_closed');
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.partial'))).toBe(true);
  });
});
