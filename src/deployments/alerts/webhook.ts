/**
 * @module deployments/alerts/webhook
 * Delivers an alert to a webhook: a JSON body signed with HMAC-SHA256 over
 * `<timestamp>.<body>` (headers `X-Keel-Timestamp` and `X-Keel-Signature: sha256=<hex>`), each
 * try cut off at a timeout, retried with exponential backoff on network errors, timeouts, 429 and
 * 5xx. The address is checked again at every try (no loopback or private address unless the
 * configuration allows them), and redirects are not followed.
 *
 * @example
 * const outcome = await deliverWebhook({ url, secret, payload: { alert } });
 * // { delivered: true, attempts: 1, status: 200 }
 */
import { createHmac } from 'node:crypto';
import { assertPublicUrl } from '../../core/outbound-url.js';

export interface WebhookDelivery {
  url: string;
  secret: string;
  payload: unknown;
  /** Tries in all (default 4). */
  attempts?: number;
  /** First wait between tries; doubles each time (default 500 ms). */
  backoffMs?: number;
  /** Each try's limit (default 5 s). */
  timeoutMs?: number;
  allowPrivateNetwork?: boolean;
  fetch?: typeof fetch;
}

export interface WebhookOutcome {
  delivered: boolean;
  attempts: number;
  status: number | null;
  error: string | null;
}

/** The signature a receiver recomputes: hex HMAC-SHA256 of `<timestamp>.<body>` with the secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

export async function deliverWebhook(delivery: WebhookDelivery): Promise<WebhookOutcome> {
  const attempts = Math.max(1, delivery.attempts ?? 4);
  const backoff = delivery.backoffMs ?? 500;
  const timeout = delivery.timeoutMs ?? 5000;
  const doFetch = delivery.fetch ?? fetch;
  const body = JSON.stringify(delivery.payload);
  let lastError: string | null = null;
  let lastStatus: number | null = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await assertPublicUrl(delivery.url, { allowPrivateNetwork: delivery.allowPrivateNetwork ?? false });
    } catch (error) {
      // A refused address will not become public by retrying.
      return { delivered: false, attempts: attempt, status: null, error: (error as Error).message };
    }
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await doFetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'keel-alerts',
          'x-keel-timestamp': timestamp,
          'x-keel-signature': `sha256=${signWebhook(delivery.secret, timestamp, body)}`,
          'x-keel-attempt': String(attempt),
        },
        body,
        signal: AbortSignal.timeout(timeout),
      });
      await response.body?.cancel().catch(() => undefined);
      lastStatus = response.status;
      if (response.status >= 200 && response.status < 300)
        return { delivered: true, attempts: attempt, status: response.status, error: null };
      lastError = `HTTP ${response.status}`;
      if (!retryable(response.status))
        return { delivered: false, attempts: attempt, status: response.status, error: lastError };
    } catch (error) {
      lastStatus = null;
      lastError =
        (error as Error).name === 'TimeoutError'
          ? `timed out after ${timeout} ms`
          : ((error as Error).message || 'network error').slice(0, 200);
    }
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (attempt - 1)));
  }
  return { delivered: false, attempts, status: lastStatus, error: lastError };
}
