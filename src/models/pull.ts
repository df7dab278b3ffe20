/**
 * @module models/pull
 * Downloads a GGUF model into the models directory: from a catalog id, `hf:owner/repo/file.gguf`
 * or an https URL. Downloads go to `<name>.gguf.partial` and resume with HTTP Range requests
 * (after a dropped connection within the same call, or in a later call); the file is checked
 * against a SHA-256 (given, pinned in the catalog, or the digest Hugging Face sends as
 * `X-Linked-ETag`) and the GGUF magic before it is renamed into place, so a half-written or
 * wrong file never appears under its final name. Every URL, redirects included, passes
 * `assertPublicUrl` unless private networks are allowed.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { KeelError } from '../core/errors.js';
import {
  assertPublicUrl,
  type HostLookup,
  parseUrl,
  publicOnlyLookup,
  redact,
} from '../core/outbound-url.js';
import {
  findCatalogEntry,
  huggingFaceEndpoint,
  huggingFaceFileUrl,
  resolveCatalogSource,
} from './catalog.js';

export interface PullProgress {
  /** Bytes on disk so far, resumed bytes included. */
  bytesDone: number;
  bytesTotal: number | undefined;
  /** Average speed of this attempt, bytes per second. */
  bytesPerSecond: number;
  /** Bytes that were already on disk when this attempt started. */
  resumedFrom: number;
}

export interface PullModelOptions {
  /** A catalog id, `hf:owner/repo[@revision]/path/file.gguf`, or an https URL. */
  source: string;
  modelsDir: string;
  /** File stem to save as (`<name>.gguf`); defaults to the catalog id or the file's own stem. */
  name?: string;
  /** Expected SHA-256 (hex); overrides the catalog's and the server's. */
  sha256?: string;
  /** Replace an existing `<name>.gguf`. Default false: an existing file is kept and reported. */
  force?: boolean;
  /** HTTP client (tests, proxies). Defaults to a fetch that re-checks addresses at connect time. */
  fetch?: typeof globalThis.fetch;
  /** Allow http and private/loopback addresses (tests, local mirrors). */
  allowPrivateNetwork?: boolean;
  /** Hugging Face base URL (a mirror); defaults to `KEEL_HF_ENDPOINT`, then huggingface.co. */
  hfEndpoint?: string;
  /** Hugging Face access token for gated repositories; sent only to the Hugging Face host. */
  hfToken?: string;
  /** DNS resolver used by the address check (tests). */
  lookup?: HostLookup;
  /** Automatic resumes after a dropped connection. Default 3. */
  retries?: number;
  onProgress?: (progress: PullProgress) => void;
  abortSignal?: AbortSignal;
}

export interface PullResult {
  file: string;
  name: string;
  sizeBytes: number;
  /** SHA-256 of the downloaded file; absent when an existing file was kept (it is not re-read). */
  sha256?: string;
  /** Where the expected digest came from; `none` when nothing was known to compare with. */
  verifiedAgainst: 'option' | 'catalog' | 'server' | 'none';
  /** The URL downloaded from, without credentials or query. */
  url: string;
  /** True when the file was already there and nothing was downloaded. */
  alreadyPresent: boolean;
  /** True when at least one attempt continued a partial download. */
  resumed: boolean;
}

interface ResolvedSource {
  url: URL;
  name: string;
  sha256?: string;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const sha256Pattern = /^[0-9a-f]{64}$/;
const maxRedirects = 10;

/** Resolves what `source` names into a URL, a default file stem and any pinned digest. */
export function resolvePullSource(source: string, options: { hfEndpoint?: string } = {}): ResolvedSource {
  const entry = findCatalogEntry(source);
  if (entry) {
    return {
      url: resolveCatalogSource(entry, options.hfEndpoint ? { hfEndpoint: options.hfEndpoint } : {}),
      name: entry.id,
      ...(entry.source.sha256 ? { sha256: entry.source.sha256 } : {}),
    };
  }
  if (source.startsWith('hf:')) {
    const match = /^hf:([\w.-]+)\/([\w.-]+)(?:@([\w./-]+?))?\/(.+\.gguf)$/i.exec(source);
    if (!match) {
      throw new KeelError('invalid_request', `"${source}" is not a Hugging Face file reference.`, {
        data: {
          hint: 'Write hf:<owner>/<repo>/<path/to/file>.gguf, e.g. hf:ibm-granite/granite-3.3-2b-instruct-GGUF/granite-3.3-2b-instruct-Q4_K_M.gguf',
        },
      });
    }
    const [, owner, repo, revision, file] = match as unknown as [
      string,
      string,
      string,
      string | undefined,
      string,
    ];
    return {
      url: huggingFaceFileUrl(`${owner}/${repo}`, file, {
        ...(revision ? { revision } : {}),
        ...(options.hfEndpoint ? { endpoint: options.hfEndpoint } : {}),
      }),
      name: stemOf(file),
    };
  }
  if (/^https?:\/\//i.test(source)) {
    const url = parseUrl(source, 'source');
    // A Hugging Face page link (…/blob/<rev>/<file>) names the same file as …/resolve/<rev>/<file>.
    url.pathname = url.pathname.replace(/^(\/[^/]+\/[^/]+)\/blob\//, '$1/resolve/');
    return { url, name: stemOf(decodeURIComponent(url.pathname.split('/').pop() ?? '')) };
  }
  throw new KeelError('not_found', `No catalog model named "${source}".`, {
    data: {
      hint: 'See `keel models list` for catalog ids, or pass hf:<owner>/<repo>/<file>.gguf or an https URL.',
    },
  });
}

function stemOf(file: string): string {
  return path.basename(file).replace(/\.gguf$/i, '');
}

/**
 * Downloads a model and returns where it was saved.
 *
 * @example
 * const { file } = await pullModel({
 *   source: 'granite-3.3-2b-instruct',
 *   modelsDir: '.keel/models',
 *   onProgress: ({ bytesDone, bytesTotal }) => bar.update(bytesDone, bytesTotal),
 * });
 */
export async function pullModel(options: PullModelOptions): Promise<PullResult> {
  const resolved = resolvePullSource(
    options.source,
    options.hfEndpoint ? { hfEndpoint: options.hfEndpoint } : {},
  );
  const name = (options.name ?? resolved.name).replace(/\.gguf$/i, '');
  if (!namePattern.test(name) || name.includes('..')) {
    throw new KeelError('invalid_request', `Cannot save a model as "${name}".`, {
      data: { hint: 'Pass --name with letters, digits, dots, dashes or underscores.' },
    });
  }
  const expectedOption = options.sha256?.toLowerCase();
  if (expectedOption !== undefined && !sha256Pattern.test(expectedOption)) {
    throw new KeelError('invalid_request', 'The SHA-256 must be 64 hexadecimal characters.');
  }
  const guard = {
    allowPrivateNetwork: options.allowPrivateNetwork ?? false,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  };
  const startUrl = await assertPublicUrl(resolved.url, guard);

  await mkdir(options.modelsDir, { recursive: true });
  const finalFile = path.join(options.modelsDir, `${name}.gguf`);
  const partialFile = `${finalFile}.partial`;
  const metaFile = `${partialFile}.json`;
  const existingSize = await sizeOf(finalFile);
  if (!options.force && existingSize !== undefined) {
    return {
      file: finalFile,
      name,
      sizeBytes: existingSize,
      verifiedAgainst: 'none',
      url: redact(startUrl),
      alreadyPresent: true,
      resumed: false,
    };
  }

  const release = await acquireLock(`${partialFile}.lock`, name);
  try {
    const fetchImpl = options.fetch ?? defaultFetch(guard.allowPrivateNetwork);
    const hfOrigin = new URL(huggingFaceEndpoint(options.hfEndpoint)).origin;
    // A partial file is only resumed for the URL it came from; a different source starts over.
    if ((await readMeta(metaFile))?.url !== startUrl.href) await rm(partialFile, { force: true });
    const retries = options.retries ?? 3;
    let resumed = false;
    let serverDigest: string | undefined;
    let downloadedFrom = startUrl;
    for (let attempt = 0; ; attempt++) {
      try {
        const outcome = await downloadAttempt({
          url: startUrl,
          partialFile,
          metaFile,
          fetchImpl,
          guard,
          hfOrigin,
          options,
        });
        resumed ||= outcome.resumed;
        serverDigest = outcome.serverDigest ?? serverDigest;
        downloadedFrom = outcome.finalUrl;
        break;
      } catch (error) {
        if (options.abortSignal?.aborted) {
          throw new KeelError('client_closed', 'Download cancelled; run the command again to resume.', {
            cause: error,
          });
        }
        const retriable =
          error instanceof KeelError && error.code === 'network_error' && error.data?.retriable;
        if (!retriable || attempt >= retries) throw error;
        resumed = true;
        await delay(Math.min(4000, 250 * 2 ** attempt), options.abortSignal);
      }
    }

    const expected = expectedOption ?? resolved.sha256 ?? serverDigest;
    const verifiedAgainst = expectedOption
      ? 'option'
      : resolved.sha256
        ? 'catalog'
        : serverDigest
          ? 'server'
          : 'none';
    const actual = await hashFile(partialFile);
    if (expected && actual !== expected) {
      await rm(partialFile, { force: true });
      await rm(metaFile, { force: true });
      throw new KeelError(
        'checksum_mismatch',
        `The download of ${redact(downloadedFrom)} has SHA-256 ${actual}, but ${verifiedAgainst === 'server' ? 'the server announced' : 'the expected value is'} ${expected}. The partial file was removed.`,
        {
          data: {
            expected,
            actual,
            verifiedAgainst,
            hint: 'Run the command again; if it repeats, the source or the checksum is wrong.',
          },
        },
      );
    }
    await assertGgufMagic(partialFile, downloadedFrom, metaFile);
    await rename(partialFile, finalFile);
    await rm(metaFile, { force: true });
    return {
      file: finalFile,
      name,
      sizeBytes: (await sizeOf(finalFile)) ?? 0,
      sha256: actual,
      verifiedAgainst,
      url: redact(downloadedFrom),
      alreadyPresent: false,
      resumed,
    };
  } finally {
    await release();
  }
}

interface AttemptInput {
  url: URL;
  partialFile: string;
  metaFile: string;
  fetchImpl: typeof globalThis.fetch;
  guard: { allowPrivateNetwork: boolean; lookup?: HostLookup };
  hfOrigin: string;
  options: PullModelOptions;
}

/** One HTTP exchange: follows redirects, resumes from the partial file's length, streams to disk. */
async function downloadAttempt(
  input: AttemptInput,
): Promise<{ resumed: boolean; serverDigest?: string; finalUrl: URL }> {
  const { options, partialFile } = input;
  let offset = (await sizeOf(partialFile)) ?? 0;
  const previous = await readMeta(input.metaFile);
  const previousValidator = previous?.url === input.url.href ? previous.validator : undefined;
  let serverDigest: string | undefined;
  let url = input.url;
  let response: Response | undefined;
  for (let hop = 0; hop <= maxRedirects; hop++) {
    const headers: Record<string, string> = {
      'user-agent': 'keel-model-pull',
      'accept-encoding': 'identity',
    };
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      // If-Range: the server sends the whole file (200) instead of a range when it changed.
      if (previousValidator) headers['if-range'] = previousValidator;
    }
    if (options.hfToken && url.origin === input.hfOrigin) headers.authorization = `Bearer ${options.hfToken}`;
    try {
      response = await input.fetchImpl(url, {
        headers,
        redirect: 'manual',
        ...(options.abortSignal ? { signal: options.abortSignal } : {}),
      });
    } catch (error) {
      throw transportError(error, url, offset, options.abortSignal);
    }
    serverDigest ??= digestFromEtag(response.headers.get('x-linked-etag'));
    if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      // Each hop is checked again: a public host must not bounce the download to a private one.
      url = await assertPublicUrl(new URL(response.headers.get('location')!, url), input.guard);
      continue;
    }
    break;
  }
  if (!response) throw new KeelError('network_error', `No response from ${redact(url)}.`);
  if (response.status >= 300 && response.status < 400) {
    throw new KeelError('upstream_error', `Too many redirects fetching ${redact(input.url)}.`);
  }
  if (response.status === 416 && offset > 0) {
    // The partial file already holds everything the server has: verify it as it is.
    await response.body?.cancel();
    return { resumed: true, finalUrl: url, ...(serverDigest ? { serverDigest } : {}) };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw statusError(response.status, url);
  }
  serverDigest ??= digestFromEtag(response.headers.get('etag'));
  const validator = response.headers.get('etag') ?? response.headers.get('last-modified') ?? undefined;
  // Not awaited before reading: bytes queued in the body stream are lost if the connection drops
  // while nothing is reading, so reading starts as soon as possible.
  const metaWritten = writeFile(input.metaFile, JSON.stringify({ url: input.url.href, validator }));

  let resumed = false;
  if (response.status === 206 && offset > 0) {
    const start = Number(/bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1]);
    if (start !== offset) {
      await response.body?.cancel();
      await rm(partialFile, { force: true });
      throw new KeelError(
        'network_error',
        `The server resumed at byte ${start}, not ${offset}; starting over.`,
        {
          data: { retriable: true },
        },
      );
    }
    resumed = true;
  } else {
    offset = 0; // 200: the whole file follows (the server ignored or refused the range).
  }
  const total = totalSize(response, offset);
  const file = await open(partialFile, resumed ? 'a' : 'w');
  const started = performance.now();
  let done = offset;
  let lastReport = 0;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!options.onProgress || (!force && now - lastReport < 100)) return;
    lastReport = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    options.onProgress({
      bytesDone: done,
      bytesTotal: total,
      bytesPerSecond: (done - offset) / seconds,
      resumedFrom: offset,
    });
  };
  const reader = response.body?.getReader();
  try {
    report(true);
    let checkedMagic = resumed;
    for (;;) {
      const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
      if (chunk.done) break;
      const bytes = chunk.value;
      if (!checkedMagic && done + bytes.length >= 4) {
        // Fail before downloading gigabytes of an HTML error page or the wrong file type.
        const head = done === 0 ? bytes.subarray(0, 4) : undefined;
        if (head && new TextDecoder().decode(head) !== 'GGUF') throw notGgufError(url, head);
        checkedMagic = true;
      }
      await file.write(bytes);
      done += bytes.length;
      report(false);
    }
    await file.sync();
    await metaWritten;
  } catch (error) {
    await reader?.cancel().catch(() => undefined);
    await metaWritten.catch(() => undefined);
    if (error instanceof KeelError) {
      if (error.code === 'unprocessable') {
        await rm(partialFile, { force: true });
        await rm(input.metaFile, { force: true });
      }
      throw error;
    }
    throw transportError(error, url, done, options.abortSignal, total);
  } finally {
    await file.close();
    report(true);
  }
  if (total !== undefined && done < total) {
    throw new KeelError('network_error', `The connection closed after ${done} of ${total} bytes.`, {
      data: { retriable: true, hint: 'Run the same command again to resume.' },
    });
  }
  return { resumed, finalUrl: url, ...(serverDigest ? { serverDigest } : {}) };
}

function totalSize(response: Response, offset: number): number | undefined {
  const range = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
  if (range) return Number(range[1]);
  const length = response.headers.get('content-length');
  return length === null ? undefined : Number(length) + (response.status === 206 ? offset : 0);
}

/** Hugging Face sends the LFS object's SHA-256 as an ETag; other ETags (MD5, opaque) are ignored. */
function digestFromEtag(value: string | null): string | undefined {
  const match = /^(?:W\/)?"?([0-9a-f]{64})"?$/i.exec(value?.trim() ?? '');
  return match?.[1]?.toLowerCase();
}

function statusError(status: number, url: URL): KeelError {
  const where = redact(url);
  if (status === 404) {
    return new KeelError('not_found', `Nothing to download at ${where} (HTTP 404).`, {
      data: { status, hint: 'Check the repository and file name, e.g. on the model page under "Files".' },
    });
  }
  if (status === 401 || status === 403) {
    return new KeelError('unauthorized', `${where} needs authorisation (HTTP ${status}).`, {
      data: {
        status,
        hint: 'Gated Hugging Face models need an accepted licence and a token: set HF_TOKEN and try again.',
      },
    });
  }
  return new KeelError(
    status >= 500 ? 'upstream_unavailable' : 'upstream_error',
    `${where} answered HTTP ${status}.`,
    {
      data: { status },
    },
  );
}

function transportError(
  error: unknown,
  url: URL,
  bytes: number,
  signal?: AbortSignal,
  total?: number,
): KeelError {
  if (signal?.aborted) {
    return new KeelError(
      'client_closed',
      `Download cancelled after ${bytes} bytes; run the command again to resume.`,
      {
        cause: error,
      },
    );
  }
  const code =
    ((error as { cause?: { code?: string } })?.cause?.code ?? (error as NodeJS.ErrnoException)?.code) ||
    undefined;
  const offline =
    code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ENETUNREACH' || code === 'ECONNREFUSED';
  if (code === 'EKEELPRIVATE') {
    return new KeelError(
      'forbidden',
      `Refusing to download from ${redact(url)}: it resolves to a private address.`,
      { cause: error },
    );
  }
  return new KeelError(
    'network_error',
    offline
      ? `Cannot reach ${url.host} (${code}).`
      : `The download from ${redact(url)} failed after ${bytes}${total ? ` of ${total}` : ''} bytes${code ? ` (${code})` : ''}.`,
    {
      cause: error,
      data: {
        retriable: !offline,
        hint: offline
          ? 'Check the network, or point KEEL_HF_ENDPOINT at a reachable mirror, or copy the .gguf file into the models directory yourself.'
          : 'Run the same command again to resume from where it stopped.',
      },
    },
  );
}

function notGgufError(url: URL, head: Uint8Array): KeelError {
  const shown = [...head]
    .map((byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.'))
    .join('');
  return new KeelError(
    'unprocessable',
    `${redact(url)} is not a GGUF model file (it starts with "${shown}").`,
    {
      data: { hint: 'Pick a .gguf file; Keel runs GGUF models with llama.cpp.' },
    },
  );
}

async function assertGgufMagic(file: string, url: URL, metaFile: string): Promise<void> {
  const handle = await open(file, 'r');
  const head = new Uint8Array(4);
  const { bytesRead } = await handle.read(head, 0, 4, 0);
  await handle.close();
  if (bytesRead < 4 || new TextDecoder().decode(head) !== 'GGUF') {
    await rm(file, { force: true });
    await rm(metaFile, { force: true });
    throw notGgufError(url, head.subarray(0, bytesRead));
  }
}

async function hashFile(file: string): Promise<string> {
  const hash: Hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

async function readMeta(file: string): Promise<{ url: string; validator?: string } | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as { url: string; validator?: string };
  } catch {
    return undefined;
  }
}

/** One download per target file: a lock file holding the owner's pid, taken over when that process is gone. */
async function acquireLock(lockFile: string, name: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(await readFile(lockFile, 'utf8').catch(() => ''));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && processAlive(owner)) break;
      if (owner === process.pid) break;
      await rm(lockFile, { force: true });
    }
  }
  throw new KeelError('conflict', `Another download of "${name}" is in progress.`, {
    data: { hint: `Wait for it to finish, or remove ${lockFile} if no download is running.` },
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

let guardedAgent: Agent | undefined;

/**
 * The default HTTP client. Without private-network access it connects through an agent whose DNS
 * lookup refuses non-public addresses, so the address connected to is the address checked.
 */
function defaultFetch(allowPrivateNetwork: boolean): typeof globalThis.fetch {
  if (allowPrivateNetwork) return globalThis.fetch;
  guardedAgent ??= new Agent({ connect: { lookup: publicOnlyLookup as never } });
  const agent = guardedAgent;
  // undici's fetch is the implementation behind Node's global fetch; its types differ only nominally.
  return ((input: URL | string, init?: RequestInit) =>
    undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof globalThis.fetch;
}
