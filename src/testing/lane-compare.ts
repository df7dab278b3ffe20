/**
 * @module testing/lane-compare
 * Tests of the direct lane (server/direct-lane) send each request twice: over the socket, where
 * the lane sits in front of the app, and in memory (`app.request()`, the Hono route alone), and
 * compare status, body and the headers clients read.
 */
import type { ListeningServer } from '../server/listen.js';
import type { TestKeel } from './test-keel.js';

export interface Sent {
  body?: string;
  headers?: Record<string, string>;
}

/** The body without fields that differ between any two answers (ids, times). */
function stable(text: string): unknown {
  try {
    const json = JSON.parse(text) as Record<string, unknown>;
    const { id: _id, created: _created, elapsed_ms: _elapsed, ...rest } = json;
    // Keel's error bodies carry the request id, which differs between the two calls.
    if (rest.error && typeof rest.error === 'object') {
      const { requestId: _requestId, ...error } = rest.error as Record<string, unknown>;
      rest.error = error;
    }
    return rest;
  } catch {
    return text.replace(/chatcmpl-\w+/g, 'chatcmpl-*').replace(/"created":\d+/g, '"created":0');
  }
}

const readHeaders = [
  'content-type',
  'www-authenticate',
  'x-keel-guardrail-policy',
  'x-keel-row-count',
  'x-keel-truncated',
  'retry-after',
  'x-content-type-options',
  'cache-control',
];

/** Sends `sent` to `path` through the socket and in memory; both answers and the lane's request id. */
export async function sendBoth(keel: TestKeel, server: ListeningServer, path: string, sent: Sent) {
  const headers = {
    authorization: `Bearer ${keel.adminKey}`,
    'content-type': 'application/json',
    ...sent.headers,
  };
  const init = { method: 'POST', headers, ...(sent.body !== undefined ? { body: sent.body } : {}) };
  const [socket, memory] = await Promise.all([
    fetch(`${server.url}${path}`, init),
    keel.app.request(path, init),
  ]);
  const answer = async (response: Response) => ({
    status: response.status,
    body: stable(await response.text()),
    headers: Object.fromEntries(readHeaders.map((name) => [name, response.headers.get(name)])),
  });
  const [lane, route] = [await answer(socket), await answer(memory)];
  return { lane, route, requestId: socket.headers.get('x-request-id') };
}

/** How many requests the lane served, or handed on to the app, so far. */
export async function laneCount(keel: TestKeel, outcome: 'served' | 'handed_on'): Promise<number> {
  const metrics = await (await keel.call('/metrics')).text();
  const match = new RegExp(`keel_http_direct_lane_total\\{outcome="${outcome}"\\} (\\d+)`).exec(metrics);
  return Number(match?.[1] ?? 0);
}

/** An editor key of a new project named `name`: for refusals in another project than the caller's. */
export async function otherProjectKey(keel: TestKeel, name: string): Promise<string> {
  const project = await keel.call('/api/v1/projects', { json: { name } });
  const projectId = ((await project.json()) as { id: string }).id;
  const created = await keel.call('/api/v1/keys', {
    json: { name, role: 'editor' },
    headers: { 'x-keel-project': projectId },
  });
  return ((await created.json()) as { key: string }).key;
}
