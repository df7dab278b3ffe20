/**
 * @module models/providers/shared/upstream-errors
 * Turns what a remote model server answers (an HTTP status and an error body in OpenAI, Ollama,
 * watsonx or FastAPI shape) and what the network does (refused, reset, timed out, aborted) into
 * Keel's error codes. Messages name the provider and its base URL so an operator knows where to
 * look; they never carry the API key, even when an upstream echoes it back.
 */
import { KeelError } from '../../../core/errors.js';

export interface UpstreamContext {
  /** The configured provider name (`vllm`, `ollama`, `watsonx` …). */
  provider: string;
  /** Where the provider lives, safe to show: no credentials, no query string. */
  displayURL: string;
  /** Strings that must never appear in a message (API keys, tokens). */
  secrets: readonly string[];
}

/** The model a failed call was about, so a 404 becomes `model_not_found`. */
export interface CallSubject {
  modelId?: string | undefined;
}

const connectionReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  ECONNABORTED: 'connection aborted',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CLOSED: 'the connection was closed',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate could not be verified',
};

const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

// Phrases servers use when the prompt does not fit (OpenAI, vLLM, llama.cpp, watsonx, Ollama).
const contextLengthPattern =
  /maximum context length|context length exceeded|context_length_exceeded|exceeds? the (?:maximum|max) (?:sequence|context) length|exceeds the available context size|context window/i;

/** The URL without credentials, query or fragment. */
export function displayURL(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Replaces every secret in `text` with `[redacted]`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message and machine code an upstream put in its error body, whatever its dialect. */
export function readUpstreamError(bodyText: string): { message?: string; code?: string } {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    const text = bodyText.trim();
    return text ? { message: text } : {};
  }
  if (!isRecord(body)) return {};
  const asString = (value: unknown) =>
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  // OpenAI, vLLM, LM Studio: { error: { message, code, type } }
  if (isRecord(body.error)) {
    const message = asString(body.error.message);
    const code = asString(body.error.code) ?? asString(body.error.type);
    return { ...(message ? { message } : {}), ...(code ? { code } : {}) };
  }
  // Ollama, TGI: { error: "text" (, error_type) }
  if (typeof body.error === 'string') {
    const code = asString(body.error_type);
    return { message: body.error, ...(code ? { code } : {}) };
  }
  // watsonx: { errors: [{ code, message }], status_code }
  if (Array.isArray(body.errors) && isRecord(body.errors[0])) {
    const first = body.errors[0];
    const message = asString(first.message);
    const code = asString(first.code);
    return { ...(message ? { message } : {}), ...(code ? { code } : {}) };
  }
  // FastAPI validation: { detail: "text" | [{ msg, loc }] }
  if (typeof body.detail === 'string') return { message: body.detail };
  if (Array.isArray(body.detail)) {
    const messages = body.detail
      .filter(isRecord)
      .map((item) =>
        Array.isArray(item.loc) ? `${item.loc.join('.')}: ${String(item.msg)}` : String(item.msg),
      );
    if (messages.length) return { message: messages.join('; ') };
  }
  // IBM Cloud IAM: { errorCode: "BXNIM0415E", errorMessage }
  if (typeof body.errorMessage === 'string') {
    const code = asString(body.errorCode);
    return { message: body.errorMessage, ...(code ? { code } : {}) };
  }
  // vLLM's older shape: { object: "error", message, type, code }
  const message = asString(body.message);
  const code = asString(body.code) ?? asString(body.type);
  return { ...(message ? { message } : {}), ...(code ? { code } : {}) };
}

function clip(text: string, limit = 500): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** Maps an upstream HTTP error response to a KeelError. */
export function errorFromResponse(
  status: number,
  bodyText: string,
  context: UpstreamContext,
  subject: CallSubject = {},
  retryAfter?: string,
): KeelError {
  const { provider, displayURL: where } = context;
  const upstream = readUpstreamError(bodyText);
  const detail = upstream.message ? clip(scrub(upstream.message, context.secrets)) : undefined;
  const suffix = detail ? `: ${detail}` : '.';
  const data: Record<string, unknown> = {
    provider,
    upstreamStatus: status,
    ...(upstream.code ? { upstreamCode: upstream.code } : {}),
  };
  if (status === 401 || status === 403) {
    return new KeelError(
      'upstream_error',
      `Provider "${provider}" (${where}) rejected Keel's credentials with HTTP ${status}${suffix}`,
      {
        data: {
          ...data,
          hint: `Check apiKey / apiKeyEnv (and headers) of provider "${provider}" in keel.yaml.`,
        },
      },
    );
  }
  if (status === 404 && subject.modelId !== undefined) {
    return new KeelError(
      'model_not_found',
      `Model "${provider}:${subject.modelId}" was not found at ${where}${suffix}`,
      {
        data: {
          ...data,
          model: `${provider}:${subject.modelId}`,
          hint: 'List available models with GET /v1/models or `keel models list`.',
        },
      },
    );
  }
  if (status === 400 || status === 422) {
    const contextLength =
      upstream.code === 'context_length_exceeded' || contextLengthPattern.test(upstream.message ?? '');
    return new KeelError(
      contextLength ? 'context_length_exceeded' : 'invalid_request',
      `Provider "${provider}" rejected the request${suffix}`,
      { data },
    );
  }
  if (status === 408 || status === 504) {
    return new KeelError('timeout', `Provider "${provider}" (${where}) timed out (HTTP ${status})${suffix}`, {
      data,
    });
  }
  if (status === 413) {
    return new KeelError('payload_too_large', `Provider "${provider}" found the request too large${suffix}`, {
      data,
    });
  }
  if (status === 429) {
    return new KeelError('rate_limited', `Provider "${provider}" is rate limiting Keel${suffix}`, {
      data: { ...data, ...(retryAfter ? { retryAfter } : {}) },
    });
  }
  return new KeelError(
    'upstream_error',
    `Provider "${provider}" (${where}) answered HTTP ${status}${status === 404 ? ' (is baseURL right?)' : ''}${suffix}`,
    { data },
  );
}

function errorCode(error: unknown): string | undefined {
  if (!isRecord(error) && !(error instanceof Error)) return undefined;
  const record = error as unknown as Record<string, unknown>;
  if (typeof record.code === 'string') return record.code;
  // Happy-eyeballs connects fail with an AggregateError of the per-address errors.
  if (Array.isArray(record.errors)) {
    for (const inner of record.errors) {
      const code = errorCode(inner);
      if (code) return code;
    }
  }
  return record.cause === undefined || record.cause === error ? undefined : errorCode(record.cause);
}

/**
 * Maps a thrown transport error (or an abort) to a KeelError. An abort by the caller surfaces the
 * abort reason when it is already a KeelError (the service's time limit), else `client_closed`.
 */
export function errorFromTransport(
  error: unknown,
  context: UpstreamContext,
  signal?: AbortSignal,
  phase: 'request' | 'stream' = 'request',
): KeelError {
  if (error instanceof KeelError) return error;
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof KeelError) return reason;
    return new KeelError('client_closed', 'The request was cancelled.', { cause: error });
  }
  const { provider, displayURL: where } = context;
  const code = errorCode(error);
  if (code && timeoutCodes.has(code)) {
    return new KeelError(
      'timeout',
      `Provider "${provider}" at ${where} did not answer in time (${code === 'UND_ERR_CONNECT_TIMEOUT' ? 'connect' : code === 'UND_ERR_HEADERS_TIMEOUT' ? 'waiting for the response' : 'waiting for more of the response'}).`,
      { cause: error, data: { provider, hint: `Raise timeoutMs of provider "${provider}" in keel.yaml.` } },
    );
  }
  if (error instanceof Error && error.name === 'TimeoutError') {
    return new KeelError('timeout', `Provider "${provider}" at ${where} did not answer in time.`, {
      cause: error,
      data: { provider },
    });
  }
  if (code && code in connectionReasons) {
    const reason = connectionReasons[code];
    const message =
      phase === 'stream'
        ? `Lost the connection to provider "${provider}" at ${where} in the middle of the answer (${reason}).`
        : `Cannot reach provider "${provider}" at ${where} (${reason}).`;
    return new KeelError('upstream_unavailable', message, { cause: error, data: { provider, errno: code } });
  }
  const text = error instanceof Error ? scrub(error.message, context.secrets) : String(error);
  return new KeelError(
    'upstream_error',
    `The call to provider "${provider}" at ${where} failed: ${clip(text)}`,
    {
      cause: error,
      data: { provider, ...(code ? { errno: code } : {}) },
    },
  );
}

/**
 * An error the upstream reported inside a 200 stream (an OpenAI-style `{error: …}` chunk, an Ollama
 * `{"error": "…"}` line, a watsonx `event: error`). A numeric status in the payload picks the code
 * the same way an HTTP status would.
 */
export function errorInStream(
  payload: string,
  context: UpstreamContext,
  subject: CallSubject = {},
): KeelError {
  let status: number | undefined;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (isRecord(parsed)) {
      const candidates = [
        parsed.status_code,
        parsed.code,
        isRecord(parsed.error) ? parsed.error.code : undefined,
        isRecord(parsed.error) ? parsed.error.status : undefined,
      ];
      status = candidates.find(
        (value): value is number => typeof value === 'number' && value >= 400 && value < 600,
      );
    }
  } catch {
    // Not JSON: the text itself is the message.
  }
  // Client-side statuses name what went wrong (a missing model, a bad request); server-side ones
  // are just "the upstream failed", said below without pretending the HTTP status was an error.
  if (status !== undefined && status < 500) return errorFromResponse(status, payload, context, subject);
  const upstream = readUpstreamError(payload);
  const detail = upstream.message ? clip(scrub(upstream.message, context.secrets)) : 'no details';
  return new KeelError(
    contextLengthPattern.test(upstream.message ?? '') ? 'context_length_exceeded' : 'upstream_error',
    `Provider "${context.provider}" reported an error in the middle of the answer: ${detail}`,
    { data: { provider: context.provider, ...(upstream.code ? { upstreamCode: upstream.code } : {}) } },
  );
}
