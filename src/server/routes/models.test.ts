import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppProvider } from '../../models/providers/llamacpp/index.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { sdkClient } from '../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { buildTinyGguf } from '../../testing/tiny-gguf.js';

let keel: TestKeel;
let mirror: Server;
let mirrorUrl: string;
const model = buildTinyGguf();

beforeAll(async () => {
  keel = await createTestKeel({
    config: { security: { allowPrivateNetworkFetch: true } },
    providers: (config) => [
      createEchoProvider(),
      createLlamaCppProvider({ modelsDir: path.join(config.dataDir, 'models'), threads: 1 }),
    ],
  });
  mirror = createServer((request, response) => {
    if (request.url === '/tiny.gguf') {
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': model.byteLength,
      });
      response.end(Buffer.from(model));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => mirror?.close(resolve));
  await keel?.close();
});

const client = (key = keel.adminKey) => sdkClient(keel, key);

describe('/api/v1/models', () => {
  it('lists the catalog with presence, provider models and provider status', async () => {
    const overview = await client().models.overview();
    expect(overview.catalog[0]!.id).toMatch(/^granite/);
    expect(overview.catalog.every((entry) => entry.present === false)).toBe(true);
    expect(overview.models.map((entry) => entry.id)).toContain('echo:reverse');
    expect(overview.providers).toEqual([
      expect.objectContaining({ name: 'echo', type: 'echo', reachable: true }),
      expect.objectContaining({ name: 'llamacpp', type: 'llamacpp', reachable: true }),
      // Trained task heads (tuning), served as `head:<name>`.
      expect.objectContaining({ name: 'head', type: 'head', reachable: true }),
    ]);
  });

  it('pulls a model with live progress and leaves the file in the models directory', async () => {
    const sdk = client();
    const job = await sdk.models.pulls.start({ source: `${mirrorUrl}/tiny.gguf`, name: 'tiny-pulled' });
    expect(['queued', 'running']).toContain(job.status);
    const seen: string[] = [];
    let last = job;
    for await (const update of sdk.models.pulls.follow(job.id)) {
      seen.push(update.status);
      last = update;
    }
    expect(last.status).toBe('succeeded');
    expect(last.bytes_done).toBe(model.byteLength);
    expect(last.model_id).toBe('llamacpp:tiny-pulled');
    expect(existsSync(path.join(keel.dataDir, 'models', 'tiny-pulled.gguf'))).toBe(true);
    expect((await sdk.models.pulls.list()).pulls.map((pull) => pull.id)).toContain(job.id);
    // Listed at once: a finished pull forgets the cached model list.
    expect((await sdk.models.overview()).models.map((entry) => entry.id)).toContain('llamacpp:tiny-pulled');
    expect((await sdk.listModels()).data.map((entry) => entry.id)).toContain('llamacpp:tiny-pulled');
  });

  it('reports a failed pull with its code', async () => {
    const sdk = client();
    const job = await sdk.models.pulls.start({ source: `${mirrorUrl}/missing.gguf` });
    let last = job;
    for await (const update of sdk.models.pulls.follow(job.id)) last = update;
    expect(last.status).toBe('failed');
    expect(last.error?.code).toBe('not_found');
  });

  it('keeps pulls to their project and never shows credentials of a source', async () => {
    const secretSource = `${mirrorUrl.replace('http://', 'http://alice:hunter2@')}/missing.gguf?token=tok-123&X-Amz-Signature=sig-456&rev=1`;
    const shown = `${mirrorUrl.replace('http://', 'http://***@')}/missing.gguf?token=***&X-Amz-Signature=***&rev=1`;
    const ours = await client().models.pulls.start({ source: secretSource, name: 'secret-pull' });
    expect(ours.source).toBe(shown);
    let last = ours;
    for await (const update of client().models.pulls.follow(ours.id)) {
      expect(update.source).toBe(shown);
      last = update;
    }
    expect(last.status).toBe('failed');
    const listed = JSON.stringify(await client().models.pulls.list());
    for (const secret of ['hunter2', 'tok-123', 'sig-456']) {
      expect(listed).not.toContain(secret);
      expect(JSON.stringify(last)).not.toContain(secret);
    }
    const generic = await (await keel.call(`/api/v1/jobs/${ours.id}`)).text();
    for (const secret of ['hunter2', 'tok-123', 'sig-456']) expect(generic).not.toContain(secret);

    // An administrator of another project sees none of it.
    const project = await (await keel.call('/api/v1/projects', { json: { name: 'pull-other' } })).json();
    const theirs = await (
      await keel.call('/api/v1/keys', {
        json: { name: 'theirs', role: 'admin' },
        headers: { 'x-keel-project': project.id },
      })
    ).json();
    const them = client(theirs.key);
    expect((await them.models.pulls.list()).pulls).toEqual([]);
    await expect(them.models.pulls.get(ours.id)).rejects.toMatchObject({ status: 404 });
    await expect(them.models.pulls.cancel(ours.id)).rejects.toMatchObject({ status: 404 });
    const their = await them.models.pulls.start({ source: `${mirrorUrl}/missing.gguf`, name: 'their-pull' });
    for await (const _ of them.models.pulls.follow(their.id));
    expect((await them.models.pulls.list()).pulls.map((pull) => pull.id)).toEqual([their.id]);
    // The organisation administrator sees every project's pulls.
    const all = (await client().models.pulls.list()).pulls.map((pull) => pull.id);
    expect(all).toEqual(expect.arrayContaining([ours.id, their.id]));
  });

  it('refuses pulls to non-admins and validates the request', async () => {
    const editor = await client().keys.create({ name: 'ed', role: 'editor' });
    await expect(
      client(editor.key).models.pulls.start({ source: 'granite-3.3-2b-instruct' }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(client().models.pulls.start({ source: 'x', sha256: 'not-hex' })).rejects.toMatchObject({
      status: 400,
      issues: [expect.objectContaining({ path: ['sha256'] })],
    });
    await expect(client().models.pulls.get('pull_nothing')).rejects.toMatchObject({ status: 404 });
  });
});
