import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TemplateBody } from '../../../api/prompts.js';
import type { KeelClient } from '../../../sdk/client.js';
import type { KeelApiError } from '../../../sdk/errors.js';
import { apiError, sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
let sdk: KeelClient;

const triage: TemplateBody = {
  mode: 'structured',
  instruction: '고객 불만을 분류하세요.',
  examples: [{ input: '배송이 늦어요', output: 'delivery' }],
  test_input: '{{complaint}}',
  variables: [{ name: 'complaint', type: 'string', description: '불만 원문' }],
  model_id: 'echo:reverse',
  parameters: { decoding_method: 'greedy', max_new_tokens: 50 },
};

const clientFor = (key: string) => sdkClient(keel, key);

beforeAll(async () => {
  keel = await createTestKeel();
  sdk = clientFor(keel.adminKey);
});
afterAll(async () => {
  await keel?.close();
});

describe('/api/v1/prompts templates and versions', () => {
  it('creates a template as version 1 and reads it by name, version and label', async () => {
    const created = await sdk.prompts.create({
      name: 'triage',
      title: '불만 분류',
      task: 'classify',
      template: triage,
      message: 'first cut',
    });
    expect(created).toMatchObject({
      name: 'triage',
      title: '불만 분류',
      task: 'classify',
      mode: 'structured',
      model_id: 'echo:reverse',
      latest_version: 1,
      version: { version: 1, message: 'first cut', labels: [] },
      variables: [{ name: 'complaint', type: 'string', required: true, description: '불만 원문' }],
    });
    await sdk.prompts.setLabel('triage', 'production', { version: 1 });
    const viaLabel = await sdk.prompts.get('triage@production');
    expect(viaLabel.resolved).toEqual({ ref: 'triage@production', version: 1, label: 'production' });
    expect((await sdk.prompts.get('triage@1')).template).toEqual(triage);
    expect((await sdk.prompts.list()).prompts.map((p) => p.name)).toContain('triage');
  });

  it('saves immutable versions with optimistic concurrency: a stale base is a 409 and changes nothing', async () => {
    const edited = { ...triage, instruction: '고객 불만을 유형별로 분류하세요.\n한 단어로 답하세요.' };
    const v2 = await sdk.prompts.saveVersion('triage', {
      template: edited,
      message: 'one word',
      base_version: 1,
    });
    expect(v2.version.version).toBe(2);
    // A second editor who also started from version 1 loses, and nothing is written.
    const stale = await apiError(
      sdk.prompts.saveVersion('triage', { template: { ...triage, instruction: 'other' }, base_version: 1 }),
    );
    expect(stale).toMatchObject({ status: 409, code: 'conflict', data: { latestVersion: 2 } });
    expect(stale.issues[0]!.path).toEqual(['base_version']);
    const versions = await sdk.prompts.versions('triage');
    expect(versions.versions.map((v) => [v.version, v.message, v.labels])).toEqual([
      [2, 'one word', []],
      [1, 'first cut', ['production']],
    ]);
    // Version 1 is unchanged and the label did not move on its own.
    expect((await sdk.prompts.get('triage@production')).template).toEqual(triage);
    expect((await sdk.prompts.get('triage')).version.version).toBe(2);
  });

  it('lets only one of two concurrent saves from the same base win', async () => {
    const base = (await sdk.prompts.get('triage')).latest_version;
    const results = await Promise.allSettled(
      ['a', 'b', 'c'].map((tag) =>
        sdk.prompts.saveVersion('triage', { template: { ...triage, instruction: tag }, base_version: base }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results
        .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
        .map((r) => (r.reason as KeelApiError).code),
    ).toEqual(['conflict', 'conflict']);
    expect((await sdk.prompts.get('triage')).latest_version).toBe(base + 1);
  });

  it('moves labels explicitly, conditionally, and reports a label that points nowhere', async () => {
    const moved = await sdk.prompts.setLabel('triage', 'production', { version: 2, expected_version: 1 });
    expect(moved).toEqual({ label: 'production', version: 2, previous_version: 1 });
    const raced = await apiError(
      sdk.prompts.setLabel('triage', 'production', { version: 3, expected_version: 1 }),
    );
    expect(raced).toMatchObject({ status: 409, code: 'conflict' });
    expect((await sdk.prompts.get('triage@production')).version.version).toBe(2);
    const nowhere = await apiError(sdk.prompts.get('triage@staging'));
    expect(nowhere).toMatchObject({ status: 404, code: 'not_found' });
    expect(nowhere.message).toContain('points nowhere');
    expect(nowhere.issues[0]!.code).toBe('unknown_label');
    expect(await apiError(sdk.prompts.setLabel('triage', 'latest', { version: 1 }))).toMatchObject({
      status: 400,
    });
    expect(await apiError(sdk.prompts.setLabel('triage', 'qa', { version: 99 }))).toMatchObject({
      status: 404,
    });
    expect(await sdk.prompts.deleteLabel('triage', 'production')).toMatchObject({ version: 2 });
    expect((await apiError(sdk.prompts.get('triage@production'))).code).toBe('not_found');
    expect((await apiError(sdk.prompts.get('triage@42'))).issues[0]!.code).toBe('unknown_version');
  });

  it('diffs two versions field by field, line by line for text', async () => {
    const diff = await sdk.prompts.diff('triage', 1, 2);
    expect(diff.from).toBe(1);
    expect(diff.to).toBe(2);
    expect(diff.changes).toEqual([
      {
        path: ['instruction'],
        kind: 'changed',
        from: '고객 불만을 분류하세요.',
        to: '고객 불만을 유형별로 분류하세요.\n한 단어로 답하세요.',
        lines: [
          { op: 'remove', text: '고객 불만을 분류하세요.' },
          { op: 'add', text: '고객 불만을 유형별로 분류하세요.' },
          { op: 'add', text: '한 단어로 답하세요.' },
        ],
      },
    ]);
    expect((await sdk.prompts.diff('triage', 2, 2)).changes).toEqual([]);
  });

  it('refuses bad templates with coded errors and issue paths, storing nothing', async () => {
    const before = await sdk.prompts.versions('triage');
    const schema = await apiError(
      sdk.prompts.saveVersion('triage', {
        template: { ...triage, output_schema: { type: 'objekt', properties: { a: { type: 'string' } } } },
        base_version: 3,
      }),
    );
    expect(schema).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(schema.issues[0]!.path.slice(0, 2)).toEqual(['template', 'output_schema']);
    const placeholder = await apiError(
      sdk.prompts.create({ name: 'broken', template: { mode: 'freeform', text: 'Hello {{ first name }}' } }),
    );
    expect(placeholder.issues[0]).toMatchObject({ code: 'invalid_placeholder', path: ['template', 'text'] });
    const badDefault = await apiError(
      sdk.prompts.create({
        name: 'broken',
        template: {
          mode: 'freeform',
          text: '{{n}}',
          variables: [{ name: 'n', type: 'integer', default: 'x' }],
        },
      }),
    );
    expect(badDefault.issues[0]!.path).toEqual(['template', 'variables', 0, 'default']);
    const range = await keel.call('/api/v1/prompts', {
      json: { name: 'broken', template: { mode: 'freeform', text: 'x', parameters: { temperature: 3 } } },
    });
    expect(range.status).toBe(400);
    expect((await range.json()).error.issues[0].path).toEqual(['template', 'parameters', 'temperature']);
    const huge = await apiError(
      sdk.prompts.create({ name: 'huge', template: { mode: 'freeform', text: 'x'.repeat(300 * 1024) } }),
    );
    expect(huge).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(await apiError(sdk.prompts.create({ name: 'triage', template: triage }))).toMatchObject({
      status: 409,
      code: 'conflict',
    });
    expect(await sdk.prompts.versions('triage')).toEqual(before);
    expect((await sdk.prompts.list()).prompts.map((p) => p.name)).not.toContain('broken');
  });

  it('keeps templates to their project: another project sees 404, a viewer cannot write', async () => {
    const project = await (await keel.call('/api/v1/projects', { json: { name: 'prompt-other' } })).json();
    const theirs = await (
      await keel.call('/api/v1/keys', {
        json: { name: 'theirs', role: 'admin' },
        headers: { 'x-keel-project': project.id },
      })
    ).json();
    const them = clientFor(theirs.key);
    expect(await apiError(them.prompts.get('triage'))).toMatchObject({ status: 404 });
    expect((await them.prompts.list()).prompts).toEqual([]);
    const ours = keel.services.installation.defaultProjectId;
    const crossed = await keel.call('/api/v1/prompts/triage', {
      key: theirs.key,
      headers: { 'x-keel-project': ours },
    });
    expect(crossed.status).toBe(404);
    // Same name, different project: independent templates.
    await them.prompts.create({ name: 'triage', template: { mode: 'freeform', text: 'theirs' } });
    expect((await sdk.prompts.get('triage')).mode).toBe('structured');
    const viewer = await (await keel.call('/api/v1/keys', { json: { name: 'v', role: 'viewer' } })).json();
    const viewing = clientFor(viewer.key);
    expect((await viewing.prompts.get('triage')).name).toBe('triage');
    expect(await apiError(viewing.prompts.setLabel('triage', 'x', { version: 1 }))).toMatchObject({
      status: 403,
    });
    expect(
      await apiError(viewing.prompts.run({ prompt: 'triage', variables: { complaint: 'x' } })),
    ).toMatchObject({
      status: 403,
    });
  });

  it('updates metadata and deletes a template, freeing its name', async () => {
    await sdk.prompts.create({ name: 'scratch', template: { mode: 'freeform', text: 'hi {{who}}' } });
    expect(await sdk.prompts.update('scratch', { description: '메모' })).toMatchObject({
      description: '메모',
    });
    await sdk.prompts.delete('scratch');
    expect(await apiError(sdk.prompts.get('scratch'))).toMatchObject({ status: 404 });
    expect(
      (
        await sdk.prompts.create({
          name: 'scratch',
          template: { mode: 'chat', messages: [{ role: 'user', content: 'x' }] },
        })
      ).latest_version,
    ).toBe(1);
    expect(await apiError(sdk.prompts.update('scratch@1', { title: 'x' }))).toMatchObject({ status: 400 });
  });

  it('describes every Prompt Lab route in the OpenAPI document', async () => {
    const document = await (await keel.call('/openapi.json')).json();
    const paths = Object.keys(document.paths);
    for (const path of [
      '/api/v1/prompts',
      '/api/v1/prompts/{prompt}/run',
      '/api/v1/prompt-runs',
      '/api/v1/prompt-sessions/{id}/lock',
      '/api/v1/compare',
      '/api/v1/prompt-samples/load',
      '/api/v1/prompt-files',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
