/**
 * @module testing/keyed-calls
 * Calls into a test Keel as one of several named keys, for tests of who may do what: `mintKey`
 * creates a key with a role (in another project when named), `call(who, …)` sends a request with
 * `keys[who]` (the admin key for a name without one) and answers the status with the JSON body
 * parsed — null for an empty or non-JSON body, whose Response stays unread in `res`.
 *
 * @example
 * let keel: TestKeel;
 * const { keys, call, mintKey } = keyedCalls(() => keel);
 * keys.viewer = await mintKey('viewer', 'viewer');
 * expect((await call('viewer', '/api/v1/approvals', { json: decision })).status).toBe(403);
 */
import type { TestKeel } from './test-keel.js';

export interface KeyedResponse {
  status: number;
  /** The parsed JSON body (any shape: tests read the fields they assert). */
  body: ReturnType<typeof JSON.parse>;
  res: Response;
}

export interface KeyedCalls {
  /** Keys by the names tests call with. */
  readonly keys: Record<string, string>;
  call(who: string, path: string, init?: RequestInit & { json?: unknown }): Promise<KeyedResponse>;
  /** `call` as the admin. */
  admin(path: string, init?: RequestInit & { json?: unknown }): Promise<KeyedResponse>;
  mintKey(name: string, role: string, project?: string): Promise<string>;
}

/** `keel` is read at each call, so the instance may be created later (in `beforeAll`). */
export function keyedCalls(keel: () => TestKeel): KeyedCalls {
  const keys: Record<string, string> = {};
  const call: KeyedCalls['call'] = async (who, path, init = {}) => {
    const res = await keel().call(path, { ...init, key: keys[who] ?? keel().adminKey });
    if (!(res.headers.get('content-type') ?? '').includes('json'))
      return { status: res.status, body: null, res };
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, res };
  };
  return {
    keys,
    call,
    admin: (path, init) => call('admin', path, init),
    async mintKey(name, role, project) {
      const res = await keel().call('/api/v1/keys', {
        json: { name, role },
        ...(project ? { headers: { 'x-keel-project': project } } : {}),
      });
      return (await res.json()).key;
    },
  };
}
