import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareEvent } from '../../../api/prompts.js';
import type { KeelClient } from '../../../sdk/client.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { apiError, sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
let sdk: KeelClient;

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider(), createEchoProvider({ name: 'other' })] });
  sdk = sdkClient(keel);
});
afterAll(async () => {
  await keel?.close();
});

describe('/api/v1/compare', () => {
  it('runs one prompt across models over inputs, side by side, and records every cell', async () => {
    const result = await sdk.prompts.compare({
      variants: [{ template: { mode: 'freeform', text: 'tell {{who}} hello' } }],
      models: ['echo:reverse', 'other:reverse'],
      inputs: [{ who: 'Mina' }, { who: 'Jun' }, {}],
    });
    expect(result.columns).toEqual([
      { index: 0, variant: 'variant 1', model: 'echo:reverse', template: null },
      { index: 1, variant: 'variant 1', model: 'other:reverse', template: null },
    ]);
    expect(result.rows.map((row) => row.cells.map((cell) => cell.output))).toEqual([
      ['hello Mina tell', 'hello Mina tell'],
      ['hello Jun tell', 'hello Jun tell'],
      ['', ''],
    ]);
    // A row that misses a variable fails in place; the others are unaffected.
    expect(result.rows[2]!.cells[0]).toMatchObject({
      status: 'error',
      run_id: null,
      error: { code: 'missing_variable' },
    });
    expect(result.summary[0]).toMatchObject({
      column: 0,
      ok: 2,
      errors: 1,
      input_tokens: 6,
      output_tokens: 6,
    });
    const runIds = result.rows.flatMap((row) => row.cells.map((cell) => cell.run_id)).filter(Boolean);
    expect(runIds).toHaveLength(4);
    expect((await sdk.prompts.runs.get(runIds[0]!)).status).toBe('ok');
  });

  it('compares stored variants on one model and streams each cell as it completes', async () => {
    await sdk.prompts.create({
      name: 'short',
      template: { mode: 'freeform', text: '{{q}}', model_id: 'echo:reverse' },
    });
    await sdk.prompts.create({
      name: 'polite',
      template: { mode: 'freeform', text: 'please {{q}}', model_id: 'echo:reverse' },
    });
    const events: CompareEvent[] = [];
    for await (const event of sdk.prompts.compareStream({
      variants: [{ prompt: 'short' }, { prompt: 'polite@1', name: '정중하게' }],
      inputs: [{ q: 'a b' }, { q: 'c d' }],
      concurrency: 2,
    })) {
      events.push(event);
    }
    expect(events[0]).toMatchObject({ type: 'start', cells: 4 });
    expect(events.filter((event) => event.type === 'cell')).toHaveLength(4);
    const last = events.at(-1)!;
    expect(last.type).toBe('result');
    if (last.type !== 'result') return;
    expect(last.result.columns.map((column) => [column.variant, column.template])).toEqual([
      ['short', { name: 'short', version: 1 }],
      ['정중하게', { name: 'polite', version: 1 }],
    ]);
    expect(last.result.rows[1]!.cells.map((cell) => cell.output)).toEqual(['d c', 'd c please']);
    expect(last.result.concurrency).toBe(2);
  });

  it('refuses ambiguous or unrunnable comparisons before running anything', async () => {
    const both = await apiError(
      sdk.prompts.compare({
        variants: [{ prompt: 'short', model: 'echo:reverse' }],
        models: ['echo:reverse'],
      }),
    );
    expect(both.issues[0]!.path).toEqual(['variants', 0, 'model']);
    const noModel = await apiError(
      sdk.prompts.compare({ variants: [{ template: { mode: 'freeform', text: 'x' } }] }),
    );
    expect(noModel.issues[0]!.code).toBe('missing_model');
    const missing = await apiError(sdk.prompts.compare({ variants: [{ prompt: 'nope' }] }));
    expect(missing.status).toBe(404);
    const tooMany = await apiError(
      sdk.prompts.compare({
        variants: [{ prompt: 'short' }],
        models: Array.from({ length: 10 }, () => 'echo:reverse'),
        inputs: Array.from({ length: 51 }, () => ({ q: 'x' })),
      }),
    );
    expect(tooMany.issues[0]!.code).toBe('too_big');
  });
});

describe('/api/v1/prompt-samples', () => {
  it('lists samples for every task in Korean and English', async () => {
    const { samples } = await sdk.prompts.samples.list();
    for (const task of ['generate', 'extract', 'summarize', 'classify', 'qa', 'rag'] as const) {
      for (const language of ['ko', 'en'] as const) {
        expect(
          samples.some((sample) => sample.task === task && sample.language === language),
          `${task}/${language}`,
        ).toBe(true);
      }
    }
    const korean = await sdk.prompts.samples.list({ language: 'ko', task: 'classify' });
    expect(korean.samples.map((sample) => sample.id)).toEqual(['complaint-triage-ko']);
  });

  it('loads samples into the project in one call, binds a model, skips taken names, and they run', async () => {
    const loaded = await sdk.prompts.samples.load({ model: 'echo:reverse' });
    const { samples } = await sdk.prompts.samples.list();
    expect(loaded.created).toHaveLength(samples.length);
    expect(
      loaded.created.every((summary) => summary.model_id === 'echo:reverse' && summary.latest_version === 1),
    ).toBe(true);
    const again = await sdk.prompts.samples.load({ ids: ['rag-answer-ko'] });
    expect(again).toEqual({
      created: [],
      skipped: [{ name: 'rag-answer-ko', reason: 'a template with this name already exists' }],
    });
    const prefixed = await sdk.prompts.samples.load({ ids: ['rag-answer-ko'], prefix: 'demo-' });
    expect(prefixed.created[0]!.name).toBe('demo-rag-answer-ko');
    expect(await apiError(sdk.prompts.samples.load({ ids: ['no-such-sample'] }))).toMatchObject({
      status: 404,
    });
    for (const sample of samples) {
      const run = await sdk.prompts.run({
        prompt: sample.id,
        variables: sample.example_variables,
        parameters: { max_new_tokens: 5 },
      });
      expect(run.status, sample.id).toBe('ok');
    }
  });
});

describe('/api/v1/prompt-files', () => {
  it('round-trips templates through YAML with every version and label', async () => {
    await sdk.prompts.create({
      name: 'memo',
      title: '메모 요약',
      template: { mode: 'freeform', text: '요약: {{memo}}' },
    });
    await sdk.prompts.saveVersion('memo', {
      template: { mode: 'freeform', text: '세 줄로 요약:\n{{memo}}' },
      base_version: 1,
      message: '세 줄',
    });
    await sdk.prompts.setLabel('memo', 'production', { version: 2 });
    const { files } = await sdk.prompts.files.export(['memo']);
    expect(files).toHaveLength(1);
    expect(files[0]!.path).toBe('memo.prompt.yaml');
    expect(files[0]!.content).toContain('format: keel.prompt-template/v1');
    expect(files[0]!.content).toContain('production: 2');
    expect(files[0]!.content).toContain('text: |-\n');

    // Importing the same file again changes nothing.
    const same = await sdk.prompts.files.import({ files });
    expect(same.results).toEqual([
      {
        path: 'memo.prompt.yaml',
        name: 'memo',
        created: false,
        versions_added: [],
        labels_moved: [],
        unchanged: true,
      },
    ]);

    // Into another project: created with both versions and the label.
    const project = await (await keel.call('/api/v1/projects', { json: { name: 'files-other' } })).json();
    const other = sdkClient(keel, keel.adminKey, project.id);
    const imported = await other.prompts.files.import({ files });
    expect(imported.results[0]).toMatchObject({
      created: true,
      versions_added: [1, 2],
      labels_moved: ['production'],
    });
    expect((await other.prompts.get('memo@production')).template).toEqual(
      (await sdk.prompts.get('memo@2')).template,
    );
    expect((await other.prompts.versions('memo')).versions.map((v) => v.message)).toEqual([
      '세 줄',
      'Created',
    ]);
  });

  it('appends new versions from a file but never rewrites a stored one', async () => {
    const [file] = (await sdk.prompts.files.export(['memo'])).files;
    const withV3 =
      file!.content.replace('labels:\n  production: 2', 'labels:\n  production: 3') +
      '  - version: 3\n    message: shorter\n    template:\n      mode: freeform\n      text: "한 줄 요약: {{memo}}"\n';
    const added = await sdk.prompts.files.import({ files: [{ path: file!.path, content: withV3 }] });
    expect(added.results[0]).toMatchObject({ versions_added: [3], labels_moved: ['production'] });
    const rewritten = withV3.replace('세 줄로 요약', '다섯 줄로 요약');
    const refused = await apiError(
      sdk.prompts.files.import({ files: [{ path: file!.path, content: rewritten }] }),
    );
    expect(refused).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(refused.issues[0]).toMatchObject({
      code: 'version_differs',
      path: ['memo.prompt.yaml', 'versions', 1],
    });
    expect((await sdk.prompts.get('memo@2')).template).toMatchObject({ text: '세 줄로 요약:\n{{memo}}' });
  });

  it('rejects malformed files naming the file, the path and the line, and imports nothing', async () => {
    const before = (await sdk.prompts.list()).prompts.length;
    const good = {
      path: 'prompts/good.prompt.yaml',
      content:
        'format: keel.prompt-template/v1\nname: good-one\nversions:\n  - version: 1\n    template:\n      mode: freeform\n      text: hi\n',
    };
    const badYaml = {
      path: 'prompts/broken.prompt.yaml',
      content: 'format: keel.prompt-template/v1\nname: [unclosed\n',
    };
    const yamlError = await apiError(sdk.prompts.files.import({ files: [good, badYaml] }));
    expect(yamlError.message).toContain('prompts/broken.prompt.yaml');
    expect(yamlError.issues[0]).toMatchObject({ code: 'invalid_yaml', path: ['prompts/broken.prompt.yaml'] });
    expect(yamlError.issues[0]!.message).toMatch(/line \d+/);
    const badField = {
      path: 'prompts/field.prompt.yaml',
      content:
        'format: keel.prompt-template/v1\nname: field\nversions:\n  - version: 1\n    template:\n      mode: freeform\n      text: hi\n      parameters:\n        top_k: 500\n',
    };
    const fieldError = await apiError(sdk.prompts.files.import({ files: [good, badField] }));
    expect(fieldError.issues[0]!.path).toEqual([
      'prompts/field.prompt.yaml',
      'versions',
      0,
      'template',
      'parameters',
      'top_k',
    ]);
    expect(fieldError.issues[0]!.message).toContain('(line 9)');
    expect((await sdk.prompts.list()).prompts.length).toBe(before);
    expect(await apiError(sdk.prompts.get('good-one'))).toMatchObject({ status: 404 });
    const dry = await sdk.prompts.files.import({ files: [good], dry_run: true });
    expect(dry).toMatchObject({ dry_run: true, results: [{ name: 'good-one', created: true }] });
    expect(await apiError(sdk.prompts.get('good-one'))).toMatchObject({ status: 404 });
  });
});
