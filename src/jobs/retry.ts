/**
 * @module jobs/retry
 * Which failures are worth another attempt, and how long to wait before it: exponential backoff
 * with jitter, so replicas that failed together do not retry together.
 */
import { KeelError } from '../core/errors.js';

const transientCodes = new Set([
  'network_error',
  'upstream_unavailable',
  'service_unavailable',
  'timeout',
  'rate_limited',
]);

/** True for failures that may pass on a later attempt (network, an upstream or the database away). */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof KeelError)) return false;
  if (error.data?.retriable === false) return false;
  return error.data?.retriable === true || transientCodes.has(error.code);
}

export interface BackoffOptions {
  /** Wait before the second attempt. Default 1 s. */
  baseMs?: number;
  /** Longest wait. Default 5 min. */
  maxMs?: number;
}

/** Wait before attempt `attempt + 1`: base × 2^(attempt−1), capped, times a jitter in [0.5, 1]. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 300_000;
  const raw = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.5 + random() / 2));
}
