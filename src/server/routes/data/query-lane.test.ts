import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  laneCount,
  otherProjectKey as newProjectKey,
  type Sent,
  sendBoth,
} from '../../../testing/lane-compare.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';
import { type ListeningServer, listen } from '../../listen.js';

/**
 * `POST /api/v1/data/query` on the direct lane answers exactly as the route does: each case goes
 * through the socket (the lane) and in memory (the route alone) and the answers are compared.
 */
let keel: TestKeel;
let server: ListeningServer;
let viewerKey: string;
let otherProjectKey: string;

const points = 'id,name,score\n1,alpha,0.5\n2,beta,1.5\n3,감마,2.5\n4,delta,\n';

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
  const form = new FormData();
  form.set('file', new File([points], 'points.csv', { type: 'text/csv' }));
  expect((await keel.call('/api/v1/data/sources', { method: 'POST', body: form })).status).toBe(201);
  const viewer = await keel.call('/api/v1/keys', { json: { name: 'lane-viewer', role: 'viewer' } });
  viewerKey = ((await viewer.json()) as { key: string }).key;
  otherProjectKey = await newProjectKey(keel, 'lane-data-other');
});
afterAll(async () => {
  await server?.close();
  await keel?.close();
});

const both = (sent: Sent) => sendBoth(keel, server, '/api/v1/data/query', sent);
const query = (body: Record<string, unknown>, headers?: Record<string, string>): Sent => ({
  body: JSON.stringify(body),
  ...(headers ? { headers } : {}),
});

describe('direct lane for POST /api/v1/data/query', () => {
  it('answers a point query, literal or with params, as the route does', async () => {
    const served = await laneCount(keel, 'served');
    for (const sent of [
      query({ sql: 'SELECT * FROM points WHERE id = 3' }),
      query({ sql: 'SELECT * FROM points WHERE id = $1', params: [3] }),
      query({ sql: 'SELECT name FROM points ORDER BY id', max_rows: 2 }),
    ]) {
      const { lane, route, requestId } = await both(sent);
      expect(lane.status).toBe(200);
      expect(lane).toEqual(route);
      expect(requestId).toMatch(/^req_\w{16}$/);
    }
    expect(await laneCount(keel, 'served')).toBe(served + 3);
    const { lane } = await both(query({ sql: 'SELECT * FROM points WHERE id = $1', params: [3] }));
    expect(lane.body).toMatchObject({ rows: [[3, '감마', 2.5]], row_count: 1, tables: ['points'] });
    expect(lane.headers['x-keel-row-count']).toBe('1');
    const truncated = await both(query({ sql: 'SELECT name FROM points ORDER BY id', max_rows: 2 }));
    expect(truncated.lane.headers['x-keel-truncated']).toBe('true');
  });

  it('pages a result on the lane; the page token reads the next page', async () => {
    const socket = await fetch(`${server.url}/api/v1/data/query`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keel.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT id FROM points ORDER BY id', page_size: 3 }),
    });
    expect(socket.status).toBe(200);
    const first = (await socket.json()) as { rows: unknown[][]; total_rows: number; next_page_token: string };
    expect(first).toMatchObject({ rows: [[1], [2], [3]], total_rows: 4 });
    const next = await keel.call('/api/v1/data/query/page', { json: { page_token: first.next_page_token } });
    expect(((await next.json()) as { rows: unknown[][] }).rows).toEqual([[4]]);
  });

  it('audits each query it serves with the caller and the request id, refusals included', async () => {
    const ask = async (sql: string, requestId: string) => {
      const response = await fetch(`${server.url}/api/v1/data/query`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${viewerKey}`,
          'content-type': 'application/json',
          'x-request-id': requestId,
        },
        body: JSON.stringify({ sql }),
      });
      await response.arrayBuffer();
      return response.status;
    };
    const served = await laneCount(keel, 'served');
    expect(await ask('SELECT name FROM points WHERE id = 1', 'lane-audit-ok')).toBe(200);
    expect(await ask('SELECT * FROM nowhere', 'lane-audit-refused')).toBe(404);
    expect(await laneCount(keel, 'served')).toBe(served + 2);
    await keel.services.audit.flush();
    const { rows } = await keel.services.db.query<Record<string, unknown>>(
      `SELECT action, request_id, actor_key_id, actor_role, project_id FROM audit_log
        WHERE request_id IN ('lane-audit-ok', 'lane-audit-refused') ORDER BY seq`,
    );
    const viewer = await keel.services.keys.authenticate(viewerKey);
    expect(rows).toEqual([
      {
        action: 'data.query',
        request_id: 'lane-audit-ok',
        actor_key_id: viewer!.keyId,
        actor_role: 'viewer',
        project_id: keel.services.installation.defaultProjectId,
      },
      {
        action: 'data.query.refused',
        request_id: 'lane-audit-refused',
        actor_key_id: viewer!.keyId,
        actor_role: 'viewer',
        project_id: keel.services.installation.defaultProjectId,
      },
    ]);
  });

  it('serves viewers and refuses another project as the route does', async () => {
    const viewer = await both(
      query({ sql: 'SELECT count(*) AS n FROM points' }, { authorization: `Bearer ${viewerKey}` }),
    );
    expect(viewer.lane.status).toBe(200);
    expect(viewer.lane).toEqual(viewer.route);
    const elsewhere = await both(
      query(
        { sql: 'SELECT 1' },
        {
          authorization: `Bearer ${otherProjectKey}`,
          'x-keel-project': keel.services.installation.defaultProjectId,
        },
      ),
    );
    expect(elsewhere.lane.status).toBe(404);
    expect(elsewhere.lane).toEqual(elsewhere.route);
    // The other project has no table of that name: its own project scopes the query.
    const own = await both(
      query({ sql: 'SELECT * FROM points' }, { authorization: `Bearer ${otherProjectKey}` }),
    );
    expect(own.lane.status).toBeGreaterThanOrEqual(400);
    expect(own.lane).toEqual(own.route);
  });

  it.each([
    ['a write statement', query({ sql: 'DELETE FROM points' }), 400],
    ['an unknown table', query({ sql: 'SELECT * FROM nowhere' }), 404],
    ['a syntax error', query({ sql: 'SELEC 1' }), 400],
    ['malformed JSON', { body: '{"sql": ' }, 400],
    ['a schema error', query({ sql: '' }), 400],
    ['a NUL character', query({ sql: 'SELECT 1 -- \u0000' }), 400],
    ['page_size with an export', query({ sql: 'SELECT 1', format: 'csv', page_size: 2 }), 400],
    [
      'an unknown key',
      { ...query({ sql: 'SELECT 1' }), headers: { authorization: 'Bearer keel_unknown_0123456789abcdef' } },
      401,
    ],
  ] as const)('refuses %s with the route’s own answer', async (_name, sent, status) => {
    const { lane, route } = await both(sent as Sent);
    expect(lane.status).toBe(status);
    expect(lane).toEqual(route);
  });

  it('hands exports to the app, which streams them', async () => {
    const handedOn = await laneCount(keel, 'handed_on');
    const { lane, route } = await both(query({ sql: 'SELECT id FROM points ORDER BY id', format: 'csv' }));
    expect(lane.status).toBe(200);
    expect(lane).toEqual(route);
    expect(lane.headers['content-type']).toContain('text/csv');
    expect(await laneCount(keel, 'handed_on')).toBe(handedOn + 1);
  });
});
