/**
 * @module models/pull-source
 * What `keel models pull` may name: a catalog id, `hf:owner/repo[@revision]/path/file.gguf` or an
 * https URL, resolved into the URL to download, a default file stem and any pinned digest.
 */
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import { parseUrl } from '../core/outbound-url.js';
import { findCatalogEntry, huggingFaceFileUrl, resolveCatalogSource } from './catalog.js';

export interface ResolvedSource {
  url: URL;
  name: string;
  sha256?: string;
}

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
