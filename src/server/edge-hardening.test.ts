/**
 * The HTTP edge refuses bad input with coded 4xx answers (never a 500), sends security headers on
 * every answer, keeps unknown API paths out of the console, and limits bodies per route.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';

let keel: TestKeel;
let consoleDir: string;

beforeAll(async () => {
  consoleDir = await mkdtemp(path.join(os.tmpdir(), 'keel-console-'));
  await writeFile(path.join(consoleDir, 'index.html'), '<!doctype html><title>Keel console</title>');
  keel = await createTestKeel({ app: { consoleDir } });
  await keel.services.users.create({
    organizationId: keel.services.installation.organizationId,
    email: 'edge@example.com',
    password: 'edge-password',
    orgAdmin: true,
  });
});

afterAll(async () => {
  await keel?.close();
  await rm(consoleDir, { recursive: true, force: true });
});

const chat = { model: 'echo:reverse', messages: [{ role: 'user', content: 'hello there' }] };

describe('content types', () => {
  const routes: [string, unknown][] = [
    ['/v1/chat/completions', chat],
    ['/ml/v1/text/generation?version=2024-05-31', { model_id: 'echo:reverse', input: 'hello' }],
    ['/api/v1/projects', { name: 'typed' }],
  ];

  it.each(routes)(
    'answers 415 unsupported_media_type on %s for text, form data and no type',
    async (route, body) => {
      const text = JSON.stringify(body);
      const sent = [
        keel.call(route, { method: 'POST', body: text, headers: { 'content-type': 'text/plain' } }),
        keel.call(route, { method: 'POST', body: new URLSearchParams({ a: 'b' }) }),
        keel.call(route, { method: 'POST', body: new TextEncoder().encode(text) }),
      ];
      for (const res of await Promise.all(sent)) {
        expect(res.status).toBe(415);
        expect(JSON.stringify(await res.json())).toContain('unsupported_media_type');
      }
    },
  );

  it('accepts JSON with a charset, as the SDKs send it', async () => {
    const res = await keel.call('/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify(chat),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(res.status).toBe(200);
  });
});

describe('NUL characters', () => {
  it('refuses U+0000 in a JSON string with 400 naming the field', async () => {
    const res = await keel.call('/api/v1/projects', { json: { name: 'a\u0000b' } });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('invalid_request');
    expect(error.issues[0].path).toEqual(['name']);
    const nested = await keel.call('/v1/chat/completions', {
      json: {
        ...chat,
        messages: [
          { role: 'user', content: 'x' },
          { role: 'user', content: '\u0000' },
        ],
      },
    });
    expect(nested.status).toBe(400);
    expect((await nested.json()).error.param).toBe('messages.1.content');
  });

  it('refuses %00 in a query parameter or a path', async () => {
    const query = await keel.call('/api/v1/prompt-runs?q=a%00b');
    expect(query.status).toBe(400);
    expect((await query.json()).error.issues[0].path).toEqual(['q']);
    const param = await keel.call('/api/v1/projects/abc%00');
    expect(param.status).toBe(400);
    expect((await keel.call('/api/v1/prompt-runs?q=100%2500')).status).toBe(200);
  });
});

describe('nesting', () => {
  it('answers 400 to a value nested deeper than any schema needs, in a free-form field', async () => {
    const deep = `${'{"a":'.repeat(60_000)}"x"${'}'.repeat(60_000)}`;
    const template = '{"mode":"freeform","text":"hi {{who}}","model_id":"echo:reverse"}';
    for (const [path, body] of [
      ['/api/v1/compare', `{"variants":[{"template":${template}}],"inputs":[{"who":${deep}}]}`],
      ['/api/v1/prompt-runs', `{"template":${template},"variables":{"who":${deep}}}`],
    ] as const) {
      const res = await keel.call(path, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      const { error } = await res.json();
      expect(error.code).toBe('invalid_request');
      expect(error.issues[0].code).toBe('too_deep');
    }
  });
});

describe('dates', () => {
  it.each([
    '/api/v1/usage?from=0000-01-01T00:00:00Z',
    '/api/v1/usage?to=0000-12-31T00:00:00Z',
    '/api/v1/prompt-runs?from=0000-01-01T00:00:00Z',
  ])('answers 400 for year 0000 in %s, naming the field', async (url) => {
    const res = await keel.call(url);
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('invalid_request');
    expect(error.issues[0].path).toEqual([new URL(url, 'http://x').searchParams.keys().next().value]);
  });
});

describe('paths', () => {
  it('answers 400 to a malformed percent-encoding in a console path', async () => {
    const res = await keel.call('/%E0%A4%A', { key: null });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_request');
  });

  it('answers unknown API paths with a JSON 404 in the caller’s dialect, never the console', async () => {
    const watsonx = await keel.call('/v2/no_such_assets?version=2024-05-31');
    expect(watsonx.status).toBe(404);
    const watsonxBody = await watsonx.json();
    expect(watsonxBody.errors[0].code).toBe('not_found');
    expect(watsonxBody.status_code).toBe(404);
    const ml = await keel.call('/ml/v4/no_such_resources');
    expect((await ml.json()).errors[0].code).toBe('not_found');
    const openai = await keel.call('/v1/assistants');
    expect(openai.status).toBe(404);
    expect((await openai.json()).error.type).toBe('invalid_request_error');
    const api = await keel.call('/api/v2/anything');
    expect(api.status).toBe(404);
    expect((await api.json()).error.code).toBe('not_found');
    for (const bare of ['/v2', '/api']) expect((await keel.call(bare)).status).toBe(404);
  });

  it('still serves the console for other GET paths', async () => {
    const page = await keel.call('/prompts/lab', { key: null });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Keel console');
  });
});

describe('security headers', () => {
  const expectBaseline = (res: Response) => {
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  };

  it('sends them on API answers, errors and streams', async () => {
    const health = await keel.call('/health', { key: null });
    expectBaseline(health);
    expect(health.headers.get('content-security-policy')).toContain("default-src 'none'");
    expectBaseline(await keel.call('/v1/models'));
    expectBaseline(await keel.call('/v1/models', { key: 'wrong' }));
    expectBaseline(await keel.call('/v1/chat/completions', { json: { ...chat, stream: true } }));
    expectBaseline(await keel.call('/openapi.json', { key: null }));
  });

  it('gives the console and /docs a CSP that allows only their own scripts', async () => {
    const page = await keel.call('/', { key: null });
    expectBaseline(page);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    const docs = await keel.call('/docs', { key: null });
    expectBaseline(docs);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    // Every script of the page is a file the CSP allows: none inline.
    expect(await docs.text()).not.toMatch(/<script>/);
    const start = await keel.call('/docs/assets/start.js', { key: null });
    expect(start.status).toBe(200);
    expect(await start.text()).toContain('SwaggerUIBundle');
  });

  it('marks answers that carry secrets no-store', async () => {
    const created = await keel.call('/api/v1/keys', { json: { name: 'secret-holder' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expectBaseline(created);
    const signIn = await keel.call('/api/v1/auth/sign-in', {
      key: null,
      json: { email: 'edge@example.com', password: 'edge-password' },
    });
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get('cache-control')).toBe('no-store');
  });
});

describe('body limits per route', () => {
  it('answers 413 for a tokenization body over the model input limit, before reading it', async () => {
    const res = await keel.call('/ml/v1/text/tokenization?version=2024-05-31', {
      json: { model_id: 'echo:reverse', input: 'x'.repeat(5 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0].code).toBe('payload_too_large');
  });

  it('takes a few megabytes where a model reads them, one megabyte elsewhere', async () => {
    const big = 'word '.repeat(600_000); // 3 MB
    const chatted = await keel.call('/v1/chat/completions', {
      json: { model: 'echo:reverse', messages: [{ role: 'user', content: big }], max_tokens: 1 },
    });
    expect(chatted.status).toBe(200);
    const project = await keel.call('/api/v1/projects', { json: { name: 'big', description: big } });
    expect(project.status).toBe(413);
  });

  it('previews 2.8 MB of text with no separators without overflowing the stack', async () => {
    const res = await keel.call('/api/v1/collections/preview', {
      json: { text: 'z'.repeat(2_800_000), chunker: { strategy: 'recursive', size: 64, overlap: 0 } },
    });
    expect(res.status).toBeLessThan(500);
  });
});

describe('outbound URLs', () => {
  it('answers 400 invalid_request for a scoped IPv6 pull URL', async () => {
    const res = await keel.call('/api/v1/models/pulls', {
      json: { source: 'https://[fe80::1%25lo]/model.gguf' },
    });
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(/not a valid URL/i);
  });
});
