import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import {
  displayURL,
  errorFromResponse,
  errorFromTransport,
  errorInStream,
  readUpstreamError,
  type UpstreamContext,
} from './upstream-errors.js';

const context: UpstreamContext = {
  provider: 'vllm',
  displayURL: 'http://gpu-1:8000/v1',
  secrets: ['sk-secret-key'],
};

describe('readUpstreamError', () => {
  it.each([
    [
      'OpenAI',
      { error: { message: 'bad', code: 'invalid_value', type: 'invalid_request_error' } },
      'bad',
      'invalid_value',
    ],
    [
      'Ollama',
      { error: 'model "x" not found, try pulling it first' },
      'model "x" not found, try pulling it first',
      undefined,
    ],
    [
      'watsonx',
      { errors: [{ code: 'model_not_supported', message: 'nope' }], status_code: 404 },
      'nope',
      'model_not_supported',
    ],
    [
      'FastAPI',
      { detail: [{ loc: ['body', 'model'], msg: 'field required' }] },
      'body.model: field required',
      undefined,
    ],
    [
      'vLLM (old)',
      { object: 'error', message: 'too long', type: 'BadRequestError', code: 400 },
      'too long',
      '400',
    ],
    [
      'IAM',
      { errorCode: 'BXNIM0415E', errorMessage: 'Provided API key could not be found.' },
      'Provided API key could not be found.',
      'BXNIM0415E',
    ],
  ])('reads the %s shape', (_name, body, message, code) => {
    const read = readUpstreamError(JSON.stringify(body));
    expect(read.message).toBe(message);
    expect(read.code).toBe(code);
  });

  it('takes a non-JSON body as the message', () => {
    expect(readUpstreamError('Bad Gateway\n')).toEqual({ message: 'Bad Gateway' });
  });
});

describe('errorFromResponse', () => {
  const body = (message: string) => JSON.stringify({ error: { message } });

  it('maps 401 and 403 to upstream_error about rejected credentials, without the key', () => {
    for (const status of [401, 403]) {
      const error = errorFromResponse(status, body('Incorrect API key provided: sk-secret-key.'), context);
      expect(error.code).toBe('upstream_error');
      expect(error.message).toContain("rejected Keel's credentials");
      expect(error.message).toContain('vllm');
      expect(error.message).not.toContain('sk-secret-key');
      expect(error.message).toContain('[redacted]');
    }
  });

  it('maps 404 for a model to model_not_found, and 404 otherwise to upstream_error', () => {
    const missing = errorFromResponse(404, body('The model `m` does not exist.'), context, { modelId: 'm' });
    expect(missing.code).toBe('model_not_found');
    expect(missing.message).toContain('"vllm:m"');
    expect(missing.data?.model).toBe('vllm:m');
    expect(errorFromResponse(404, 'Not Found', context).code).toBe('upstream_error');
  });

  it('maps 400 and 422 to invalid_request carrying the upstream message', () => {
    const error = errorFromResponse(400, body("'temperature' must be >= 0"), context);
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain("'temperature' must be >= 0");
    expect(errorFromResponse(422, JSON.stringify({ detail: 'x' }), context).code).toBe('invalid_request');
  });

  it('recognises a prompt that does not fit the context window', () => {
    const error = errorFromResponse(
      400,
      body("This model's maximum context length is 4096 tokens. However, you requested 5000 tokens."),
      context,
    );
    expect(error.code).toBe('context_length_exceeded');
  });

  it('maps 429 to rate_limited with Retry-After, 5xx to upstream_error, 504 to timeout', () => {
    const limited = errorFromResponse(429, body('slow down'), context, {}, '7');
    expect(limited.code).toBe('rate_limited');
    expect(limited.data?.retryAfter).toBe('7');
    expect(errorFromResponse(500, body('boom'), context).code).toBe('upstream_error');
    expect(errorFromResponse(503, '', context).code).toBe('upstream_error');
    expect(errorFromResponse(504, '', context).code).toBe('timeout');
    expect(errorFromResponse(413, '', context).code).toBe('payload_too_large');
  });
});

describe('errorFromTransport', () => {
  const withCode = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:8000`), { code });

  it('maps refused, DNS and reset to upstream_unavailable naming provider and URL', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'UND_ERR_SOCKET']) {
      const error = errorFromTransport(withCode(code), context);
      expect(error.code).toBe('upstream_unavailable');
      expect(error.message).toContain('vllm');
      expect(error.message).toContain('http://gpu-1:8000/v1');
    }
  });

  it('finds the code inside an AggregateError (happy eyeballs)', () => {
    const aggregate = new AggregateError(
      [withCode('ECONNREFUSED'), withCode('ECONNREFUSED')],
      'connect failed',
    );
    expect(errorFromTransport(aggregate, context).code).toBe('upstream_unavailable');
  });

  it('maps undici timeouts to timeout', () => {
    for (const code of ['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']) {
      expect(errorFromTransport(withCode(code), context).code).toBe('timeout');
    }
  });

  it('maps an abort to client_closed, or to the KeelError that caused it', () => {
    const controller = new AbortController();
    controller.abort();
    expect(
      errorFromTransport(new DOMException('aborted', 'AbortError'), context, controller.signal).code,
    ).toBe('client_closed');
    const timed = new AbortController();
    const reason = new KeelError('timeout', 'time limit reached');
    timed.abort(reason);
    expect(errorFromTransport(reason, context, timed.signal)).toBe(reason);
  });

  it('scrubs secrets from unknown errors', () => {
    const error = errorFromTransport(new Error('weird failure with sk-secret-key inside'), context);
    expect(error.code).toBe('upstream_error');
    expect(error.message).not.toContain('sk-secret-key');
  });
});

describe('errorInStream', () => {
  it('uses a client-side status from the payload, and words 5xx as a mid-stream failure', () => {
    expect(
      errorInStream(JSON.stringify({ error: { message: 'no such model', code: 404 } }), context, {
        modelId: 'm',
      }).code,
    ).toBe('model_not_found');
    const failed = errorInStream(
      JSON.stringify({ errors: [{ code: 'x', message: 'GPU fell over' }], status_code: 500 }),
      context,
    );
    expect(failed.code).toBe('upstream_error');
    expect(failed.message).toContain('in the middle of the answer: GPU fell over');
  });
});

describe('displayURL', () => {
  it('drops credentials, query and trailing slashes', () => {
    expect(displayURL('https://user:pass@example.com:8443/v1/?key=abc')).toBe('https://example.com:8443/v1');
  });
});
