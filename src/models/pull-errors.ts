/**
 * @module models/pull-errors
 * The coded errors of a model download, each with a hint: an HTTP status, a transport failure
 * (offline, a private address, a dropped connection) or a file that is not GGUF.
 */
import { KeelError } from '../core/errors.js';
import { redact } from '../core/outbound-url.js';

export function statusError(status: number, url: URL): KeelError {
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

export function transportError(
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

export function notGgufError(url: URL, head: Uint8Array): KeelError {
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
