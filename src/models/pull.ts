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
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { KeelError } from '../core/errors.js';
import { assertPublicUrl, type HostLookup, publicOnlyLookup, redact } from '../core/outbound-url.js';
import { huggingFaceEndpoint } from './catalog.js';
import { notGgufError, statusError, transportError } from './pull-errors.js';
import { acquireLock, assertGgufMagic, hashFile, readMeta, sizeOf } from './pull-files.js';
import { resolvePullSource } from './pull-source.js';

export { type ResolvedSource, resolvePullSource } from './pull-source.js';

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

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const sha256Pattern = /^[0-9a-f]{64}$/;
const maxRedirects = 10;

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
