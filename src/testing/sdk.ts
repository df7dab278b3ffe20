/**
 * @module testing/sdk
 * The SDK as tests use it: a client that calls a test Keel in memory, and the error a call that
 * must fail fails with.
 */
import { KeelClient } from '../sdk/client.js';
import { KeelApiError } from '../sdk/errors.js';
import type { TestKeel } from './test-keel.js';

/** A client of `keel` with `key` (the admin key by default), optionally in another project. */
export function sdkClient(
  keel: Pick<TestKeel, 'app' | 'adminKey'>,
  key = keel.adminKey,
  project?: string,
): KeelClient {
  return new KeelClient({
    baseURL: 'http://keel.test',
    apiKey: key,
    ...(project ? { project } : {}),
    fetch: (request) => keel.app.fetch(request),
  });
}

/** The KeelApiError `promise` rejects with; anything else (success, another error) throws. */
export async function apiError(promise: Promise<unknown>): Promise<KeelApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeelApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}
