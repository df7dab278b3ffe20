/**
 * @module testing/watsonx-sdk
 * The official `@ibm-cloud/watsonx-ai` SDK as tests use it: a test Keel listening on 127.0.0.1, SDK
 * instances that call it with a key, and the error a call that must fail fails with.
 */
import { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { BearerTokenAuthenticator } from 'ibm-cloud-sdk-core';
import type { Role } from '../platform/roles.js';
import { type ListeningServer, listen } from '../server/listen.js';
import { createTestKeel, type TestKeel } from './test-keel.js';

/** The watsonx.ai API version the tests pin. */
export const WATSONX_TEST_VERSION = '2024-05-31';

/** The error body of the watsonx.ai-compatible routes. */
export interface WatsonxErrorBody {
  errors: { code: string; message: string }[];
  trace: string;
  status_code: number;
}

export interface WatsonxTestKeel {
  keel: TestKeel;
  server: ListeningServer;
  /** The default project of the test Keel. */
  projectId: string;
  /**
   * An SDK instance calling the server with `key` (the admin key by default), bound to the default
   * project unless `withProject` is false.
   */
  sdk(key?: string, options?: { withProject?: boolean }): WatsonXAI;
  /** An SDK instance with a new key of `role` in the default project. */
  sdkAs(role: Role, name?: string): Promise<WatsonXAI>;
  close(): Promise<void>;
}

/** An SDK instance for a Keel at `serviceUrl`, authenticated with `key`. */
export function watsonxSdk(serviceUrl: string, key: string, projectId?: string): WatsonXAI {
  return WatsonXAI.newInstance({
    version: WATSONX_TEST_VERSION,
    serviceUrl,
    authenticator: new BearerTokenAuthenticator({ bearerToken: key }),
    ...(projectId ? { projectId } : {}),
  });
}

/**
 * A test Keel served on 127.0.0.1 for the SDK to call (it speaks HTTP, not `app.request`).
 *
 * @example
 * const { keel, sdk, close } = await startWatsonxTestKeel({ providers: [createEchoProvider()] });
 * const watsonx = sdk();
 */
export async function startWatsonxTestKeel(
  options?: Parameters<typeof createTestKeel>[0],
): Promise<WatsonxTestKeel> {
  const keel = await createTestKeel(options);
  let server: ListeningServer;
  try {
    server = await listen(keel.app);
  } catch (error) {
    await keel.close();
    throw error;
  }
  const projectId = keel.services.installation.defaultProjectId;
  return {
    keel,
    server,
    projectId,
    sdk: (key = keel.adminKey, { withProject = true } = {}) =>
      watsonxSdk(server.url, key, withProject ? projectId : undefined),
    async sdkAs(role, name = role) {
      const key = await keel.services.keys.create({
        organizationId: keel.services.installation.organizationId,
        projectId,
        name,
        role,
      });
      return watsonxSdk(server.url, key.secret, projectId);
    },
    async close() {
      await server.close();
      await keel.close();
    },
  };
}

/**
 * The status and parsed body of the SDK error `promise` rejects with; a success throws.
 *
 * @example
 * const { status, body } = await watsonxFailure(watsonx.getModel({ modelId: 'nope' }));
 */
export async function watsonxFailure<Body = WatsonxErrorBody>(
  promise: Promise<unknown>,
): Promise<{ status: number; body: Body }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as { status: number; body?: string };
    return { status: failure.status, body: JSON.parse(failure.body ?? '{}') as Body };
  }
  throw new Error('expected the SDK call to fail');
}
