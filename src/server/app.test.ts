import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';

let keel: TestKeel;

beforeAll(async () => {
  keel = await createTestKeel({ config: { server: { bodyLimit: 64 * 1024 } } });
});
afterAll(async () => {
  await keel?.close();
});

describe('platform routes', () => {
  it('answers /health without a key and reveals nothing else', async () => {
    const res = await keel.call('/health', { key: null });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ status: 'ok', database: { engine: 'pglite', ok: true } });
  });

  it('refuses every other route without a valid key (401, with WWW-Authenticate)', async () => {
    for (const path of [
      '/v1/models',
      '/ml/v1/foundation_model_specs',
      '/api/v1/keys',
      '/api/v1/usage',
      '/metrics',
      '/api/v1/me',
    ]) {
      const res = await keel.call(path, { key: null });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
    }
    const bad = await keel.call('/api/v1/me', { key: 'keel_this-key-does-not-exist-000' });
    expect(bad.status).toBe(401);
    expect((await bad.json()).error.code).toBe('unauthorized');
  });

  it('creates a key that is shown once, lists it without the secret, and revokes it', async () => {
    const created = await keel.call('/api/v1/keys', {
      json: { name: 'ci', role: 'viewer', expires_in: '30d' },
    });
    expect(created.status).toBe(201);
    const key = await created.json();
    expect(key.key).toMatch(/^keel_/);
    expect(key.expires_at).not.toBeNull();
    const listed = await (await keel.call('/api/v1/keys')).json();
    expect(JSON.stringify(listed)).not.toContain(key.key);
    expect(listed.keys.map((k: { id: string }) => k.id)).toContain(key.id);

    const asViewer = await keel.call('/api/v1/me', { key: key.key });
    expect(asViewer.status).toBe(200);
    // A viewer may read but not spend tokens or manage keys.
    expect(
      (
        await keel.call('/v1/chat/completions', {
          key: key.key,
          json: { model: 'echo:reverse', messages: [{ role: 'user', content: 'hi' }] },
        })
      ).status,
    ).toBe(403);
    expect((await keel.call('/api/v1/keys', { key: key.key })).status).toBe(403);

    const revoked = await keel.call(`/api/v1/keys/${key.id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).revoked_at).not.toBeNull();
    expect((await keel.call('/api/v1/me', { key: key.key })).status).toBe(401);
  });

  it('does not let an editor mint an admin key', async () => {
    const editor = await (await keel.call('/api/v1/keys', { json: { name: 'ed', role: 'editor' } })).json();
    const res = await keel.call('/api/v1/keys', { key: editor.key, json: { name: 'x', role: 'admin' } });
    expect(res.status).toBe(403);
  });

  it('answers 404, never data, for another project’s resources', async () => {
    const project = await (await keel.call('/api/v1/projects', { json: { name: 'other-team' } })).json();
    const other = await (
      await keel.call('/api/v1/keys', {
        json: { name: 'theirs', role: 'admin' },
        headers: { 'x-keel-project': project.id },
      })
    ).json();
    expect(other.project_id).toBe(project.id);
    // A key of the other project cannot see ours …
    const ours = keel.services.installation.defaultProjectId;
    const res = await keel.call(`/api/v1/projects/${ours}`, { key: other.key });
    expect(res.status).toBe(404);
    expect(
      (await keel.call('/api/v1/keys', { key: other.key, headers: { 'x-keel-project': ours } })).status,
    ).toBe(404);
    // … nor revoke our keys by id.
    const ourKey = await (await keel.call('/api/v1/keys', { json: { name: 'mine', role: 'viewer' } })).json();
    expect((await keel.call(`/api/v1/keys/${ourKey.id}`, { key: other.key, method: 'DELETE' })).status).toBe(
      404,
    );
    const watsonx = await keel.call('/ml/v1/text/generation?version=2024-05-01', {
      key: other.key,
      json: { input: 'x', model_id: 'echo:reverse', project_id: ours },
    });
    expect(watsonx.status).toBe(404);
    expect((await watsonx.json()).errors[0].code).toBe('not_found');
  });

  it('signs users in and scopes them to their memberships', async () => {
    const user = await keel.call('/api/v1/users', {
      json: {
        email: 'mina@example.com',
        password: 'a long enough password',
        display_name: 'Mina',
        role: 'editor',
      },
    });
    expect(user.status).toBe(201);
    const session = await keel.call('/api/v1/auth/sign-in', {
      key: null,
      json: { email: 'mina@example.com', password: 'a long enough password' },
    });
    expect(session.status).toBe(200);
    const { token } = await session.json();
    const me = await (await keel.call('/api/v1/me', { key: token })).json();
    expect(me.user.email).toBe('mina@example.com');
    expect(me.projects.map((p: { role: string }) => p.role)).toEqual(['editor']);
    expect((await keel.call('/api/v1/auth/sign-out', { key: token, method: 'POST' })).status).toBe(204);
    expect((await keel.call('/api/v1/me', { key: token })).status).toBe(401);
    const wrong = await keel.call('/api/v1/auth/sign-in', {
      key: null,
      json: { email: 'mina@example.com', password: 'nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('meters usage and aggregates it by model and day', async () => {
    await keel.call('/v1/chat/completions', {
      json: { model: 'echo:reverse', messages: [{ role: 'user', content: 'one two three' }] },
    });
    const res = await keel.call('/api/v1/usage?group_by=model,day');
    expect(res.status).toBe(200);
    const body = await res.json();
    const row = body.rows.find((r: { model: string }) => r.model === 'echo:reverse');
    expect(row.requests).toBeGreaterThanOrEqual(1);
    expect(row.input_tokens).toBeGreaterThanOrEqual(3);
    expect(row.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const bad = await keel.call('/api/v1/usage?group_by=colour');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toEqual(['group_by', 0]);
  });

  it('serves Prometheus metrics to admins', async () => {
    const res = await keel.call('/metrics');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('keel_http_requests_total');
    expect(text).toContain('keel_model_tokens_total');
  });

  it('describes itself: /openapi.json and a local API reference', async () => {
    const doc = await (await keel.call('/openapi.json', { key: null })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/chat/completions',
      '/ml/v1/text/generation',
      '/ml/v1/text/chat_stream',
      '/api/v1/keys',
      '/api/v1/usage',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const page = await keel.call('/docs', { key: null });
    expect(await page.text()).toContain('/docs/assets/swagger-ui-bundle.js');
    const asset = await keel.call('/docs/assets/swagger-ui-bundle.js', { key: null });
    expect(asset.status).toBe(200);
  });
});

describe('bad input', () => {
  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await keel.call('/v1/chat/completions', {
      method: 'POST',
      body: '{"model": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_json');
  });

  it('names the path of a wrong field', async () => {
    const res = await keel.call('/v1/chat/completions', {
      json: { model: 'echo:reverse', messages: [{ role: 'user', content: 'x' }], temperature: 'hot' },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.param).toBe('temperature');
    expect(body.error.issues[0].path).toEqual(['temperature']);
  });

  it('answers an unknown model with 404 and how to list models', async () => {
    const res = await keel.call('/v1/chat/completions', {
      json: { model: 'nowhere:thing', messages: [{ role: 'user', content: 'x' }] },
    });
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body.error.code).toBe('model_not_found');
    expect(JSON.stringify(body)).toContain('/v1/models');
  });

  it('answers a body over the limit with 413', async () => {
    const res = await keel.call('/v1/completions', {
      json: { model: 'echo:reverse', prompt: 'x'.repeat(70 * 1024) },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await keel.call('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('never answers 500 to any request body (property-based)', async () => {
    const routes = [
      '/v1/chat/completions',
      '/v1/completions',
      '/v1/embeddings',
      '/ml/v1/text/generation',
      '/ml/v1/text/chat',
      '/ml/v1/text/embeddings',
      '/ml/v1/text/tokenization',
      '/api/v1/keys',
      '/api/v1/projects',
    ];
    const bodies = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          model: fc.oneof(fc.string(), fc.constant('echo:reverse')),
          messages: fc.array(
            fc.record({
              role: fc.constantFrom('user', 'system', 'assistant', 'tool', 'bogus'),
              content: fc.oneof(fc.string(), fc.jsonValue()),
            }),
          ),
          stream: fc.boolean(),
          temperature: fc.oneof(fc.double(), fc.string()),
          max_tokens: fc.oneof(fc.integer(), fc.constant(null)),
        },
        { requiredKeys: [] },
      ),
      fc.record(
        {
          input: fc.oneof(fc.string(), fc.jsonValue()),
          model_id: fc.oneof(fc.string(), fc.constant('echo:reverse')),
          inputs: fc.array(fc.string()),
          parameters: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), bodies, async (route, body) => {
        const res = await keel.call(route, {
          method: 'POST',
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        });
        await res.arrayBuffer();
        return res.status < 500;
      }),
      { numRuns: 300 },
    );
  });
});
