/**
 * @module models/providers/watsonx/iam-token-source
 * IBM Cloud IAM bearer tokens for watsonx.ai: an API key is exchanged at
 * `POST <iamURL>/identity/token` (grant type `urn:ibm:params:oauth:grant-type:apikey`, form
 * encoded) for a token that lives about an hour. The token is reused until 80% of its lifetime
 * has passed (as IBM's SDKs do), then renewed in the background while the old one is still
 * good; concurrent callers share one renewal; a 401 from watsonx drops it so the retry fetches a
 * fresh one.
 */
import type { Dispatcher } from 'undici';
import { KeelError } from '../../../core/errors.js';
import { type Logger, silentLogger } from '../../../core/logger.js';
import type { AuthSource } from '../shared/http-client.js';
import {
  displayURL,
  errorFromResponse,
  errorFromTransport,
  readUpstreamError,
  scrub,
  type UpstreamContext,
} from '../shared/upstream-errors.js';

export interface IamTokenSourceOptions {
  /** IAM base URL, e.g. `https://iam.cloud.ibm.com`. */
  iamURL: string;
  apiKey: string;
  dispatcher: Dispatcher;
  /** The provider the token is for, to name in errors. */
  provider: string;
  timeoutMs: number;
  logger?: Logger;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

interface IamTokenResponse {
  access_token?: string;
  expires_in?: number;
  expiration?: number;
}

// A token is not used in its last seconds: it could expire on the way.
const expiryMarginMs = 10_000;

export class IamTokenSource implements AuthSource {
  readonly #options: IamTokenSourceOptions;
  readonly #origin: string;
  readonly #path: string;
  readonly #body: string;
  readonly #context: UpstreamContext;
  readonly #now: () => number;
  #token: { header: string; refreshAt: number; expiresAt: number } | undefined;
  #pending: Promise<string> | undefined;
  /** How many tokens have been fetched (for status and tests). */
  fetches = 0;

  constructor(options: IamTokenSourceOptions) {
    this.#options = options;
    const url = new URL(options.iamURL);
    this.#origin = url.origin;
    this.#path = `${url.pathname.replace(/\/+$/, '')}/identity/token`;
    this.#body = new URLSearchParams({
      grant_type: 'urn:ibm:params:oauth:grant-type:apikey',
      apikey: options.apiKey,
    }).toString();
    this.#context = {
      provider: options.provider,
      displayURL: `IBM Cloud IAM ${displayURL(options.iamURL)}`,
      secrets: [options.apiKey],
    };
    this.#now = options.now ?? Date.now;
  }

  authorization(signal?: AbortSignal): string | Promise<string> {
    const token = this.#token;
    const now = this.#now();
    if (token && now < token.refreshAt) return token.header;
    if (token && now < token.expiresAt) {
      // Still good: renew behind the caller's back.
      this.#refresh().catch((error: unknown) => {
        (this.#options.logger ?? silentLogger).warn(
          { provider: this.#options.provider, err: (error as Error).message },
          'renewing the IAM token failed; the current one is used until it expires',
        );
      });
      return token.header;
    }
    return withSignal(this.#refresh(), signal);
  }

  invalidate(): boolean {
    this.#token = undefined;
    return true;
  }

  #refresh(): Promise<string> {
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetch(): Promise<string> {
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#options.dispatcher.request({
        origin: this.#origin,
        path: this.#path,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: this.#body,
        headersTimeout: this.#options.timeoutMs,
        bodyTimeout: this.#options.timeoutMs,
      });
    } catch (error) {
      throw errorFromTransport(error, this.#context);
    }
    const text = await response.body.text().catch(() => '');
    const status = response.statusCode;
    if (status === 400 || status === 401 || status === 403) {
      const upstream = readUpstreamError(text);
      throw new KeelError(
        'upstream_error',
        `IBM Cloud IAM (${displayURL(this.#options.iamURL)}) rejected the API key of provider "${this.#options.provider}" with HTTP ${status}${upstream.message ? `: ${scrub(upstream.message, this.#context.secrets)}` : '.'}`,
        {
          data: {
            provider: this.#options.provider,
            upstreamStatus: status,
            ...(upstream.code ? { upstreamCode: upstream.code } : {}),
            hint: `Check apiKey / apiKeyEnv of provider "${this.#options.provider}" in keel.yaml (an IBM Cloud API key), and iamURL for on-premises installs.`,
          },
        },
      );
    }
    if (status < 200 || status >= 300) throw errorFromResponse(status, text, this.#context);
    let parsed: IamTokenResponse;
    try {
      parsed = JSON.parse(text) as IamTokenResponse;
    } catch {
      parsed = {};
    }
    if (!parsed.access_token) {
      throw new KeelError('upstream_error', `IBM Cloud IAM answered without an access token.`, {
        data: { provider: this.#options.provider },
      });
    }
    const now = this.#now();
    // expires_in is relative, so a skewed local clock does not matter; expiration is the fallback.
    const lifetimeMs =
      typeof parsed.expires_in === 'number'
        ? parsed.expires_in * 1000
        : typeof parsed.expiration === 'number'
          ? parsed.expiration * 1000 - now
          : 3_600_000;
    this.fetches++;
    const header = `Bearer ${parsed.access_token}`;
    this.#token = {
      header,
      refreshAt: now + lifetimeMs * 0.8,
      expiresAt: now + lifetimeMs - Math.min(expiryMarginMs, lifetimeMs * 0.1),
    };
    return header;
  }
}

/** Waits for `promise`, or rejects as soon as `signal` aborts (the shared fetch carries on). */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
