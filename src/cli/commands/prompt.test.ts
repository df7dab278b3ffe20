import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { captureIO, runKeelCli } from '../../testing/cli-io.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { runCli } from '../main.js';

let keel: TestKeel;
let server: ListeningServer;
let dir: string;

/** Runs `keel --url <server> --key <admin> …args`. */
const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: keel.adminKey }, args);

beforeAll(async () => {
  keel = await createTestKeel({
    providers: [
      createEchoProvider(),
      createEchoProvider({ name: 'other' }),
      createEchoProvider({ name: 'json', respond: () => '{"category":"weather"}' }),
    ],
  });
  server = await listen(keel.app);
  dir = await mkdtemp(path.join(tmpdir(), 'keel-cli-prompts-'));
});
afterAll(async () => {
  await server?.close(0);
  await keel?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('keel prompt (against a server)', () => {
  it('loads samples, lists and shows templates', async () => {
    const loaded = await keelCli(
      'prompt',
      'samples',
      '--load',
      '--language',
      'ko',
      '--model',
      'echo:reverse',
    );
    expect(loaded.code).toBe(0);
    expect(loaded.out).toContain('created complaint-triage-ko');
    const samples = await keelCli('--json', 'prompt', 'samples', '--task', 'rag');
    expect(JSON.parse(samples.out).map((sample: { id: string }) => sample.id)).toEqual([
      'rag-answer-ko',
      'rag-answer-en',
    ]);
    const list = await keelCli('prompt', 'list', '--task', 'summarize');
    expect(list.out).toMatch(/^NAME\s+TITLE\s+MODE/);
    expect(list.out).toContain('meeting-minutes-summary-ko');
    expect(list.out).toContain('회의록 요약');
    const json = JSON.parse((await keelCli('--json', 'prompt', 'list')).out);
    expect(json).toHaveLength(7);
    const show = await keelCli('prompt', 'show', 'meeting-minutes-summary-ko@1', '--versions');
    expect(show.code).toBe(0);
    expect(show.out).toContain('mode: chat');
    expect(show.out).toMatch(/max_points\s+integer\s+no\s+5/);
    expect(show.out).toContain('Loaded from the sample library');
  });

  it('warns about an unknown model and rebinds existing samples with --rebind', async () => {
    const unknown = await keelCli(
      'prompt',
      'samples',
      '--load',
      '--task',
      'classify',
      '--language',
      'ko',
      '--model',
      'nowhere:model',
    );
    expect(unknown.code).toBe(0);
    expect(unknown.err).toContain('warning: no provider knows the model nowhere:model');
    expect(unknown.err).toMatch(/skipped complaint-triage-ko: a template with this name already exists/);
    expect(unknown.err).toMatch(/add --rebind to point (it|them) at nowhere:model/);

    const rebound = await keelCli(
      'prompt',
      'samples',
      '--load',
      '--task',
      'classify',
      '--language',
      'ko',
      '--model',
      'other:reverse',
      '--rebind',
    );
    expect(rebound.code).toBe(0);
    expect(rebound.err).not.toContain('warning');
    expect(rebound.out).toContain(
      'rebound complaint-triage-ko to other:reverse (was echo:reverse): version 2',
    );
    const shown = JSON.parse((await keelCli('--json', 'prompt', 'show', 'complaint-triage-ko')).out);
    expect(shown.template.model_id).toBe('other:reverse');
    expect(shown.version.message).toBe('Rebound to other:reverse (was echo:reverse)');

    const again = await keelCli(
      'prompt',
      'samples',
      '--load',
      '--task',
      'classify',
      '--language',
      'ko',
      '--model',
      'other:reverse',
      '--rebind',
    );
    expect(again.err).toContain('skipped complaint-triage-ko: already bound to other:reverse');
    expect((await keelCli('prompt', 'samples', '--rebind')).code).toBe(2);
  });
  it('runs a template by label with typed --var values, plain, streamed and as JSON', async () => {
    await keel.call('/api/v1/prompts', {
      json: {
        name: 'count',
        template: {
          mode: 'freeform',
          text: 'count {{n}} {{what}}',
          variables: [{ name: 'n', type: 'integer' }],
          model_id: 'echo:reverse',
        },
      },
    });
    await keel.call('/api/v1/prompts/count/labels/production', { method: 'PUT', json: { version: 1 } });
    const plain = await keelCli('prompt', 'run', 'count@production', '--var', 'n=3', 'what=sheep');
    expect(plain).toMatchObject({ code: 0, out: 'sheep 3 count\n' });
    const streamed = await keelCli(
      'prompt',
      'run',
      'count',
      '--stream',
      '--var',
      'n=4',
      '--var',
      'what=cows',
    );
    expect(streamed.out).toBe('cows 4 count\n');
    const json = JSON.parse(
      (await keelCli('--json', 'prompt', 'run', 'count', '--var', 'n=1', 'what=x', '--max-new-tokens', '2'))
        .out,
    );
    expect(json).toMatchObject({
      output: 'x 1',
      variables: { n: 1, what: 'x' },
      parameters: { max_new_tokens: 2 },
      finish_reason: 'max_tokens',
    });
    const adHoc = await keelCli(
      'prompt',
      'run',
      '--text',
      'hello {{who}}',
      '--model',
      'other:reverse',
      '--var',
      'who=민지',
    );
    expect(adHoc.out).toBe('민지 hello\n');
  });

  it('fails with the error code, its issues and the exit code', async () => {
    const missing = await keelCli('prompt', 'run', 'count', '--var', 'n=3');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('error [missing_variable]: Missing template variable "what".');
    expect(missing.err).toContain('  - variables.what: "what" is required');
    const typed = await keelCli('prompt', 'run', 'count', '--var', 'n=three', 'what=x');
    expect(typed.code).toBe(2);
    expect(typed.err).toContain('n is an integer; "three" is not');
    const unknown = await keelCli('prompt', 'show', 'nope@production');
    expect(unknown.code).toBe(4);
    expect(unknown.err).toContain('error [not_found]');
    const invalid = await keelCli(
      'prompt',
      'run',
      '--text',
      'x',
      '--model',
      'json:reverse',
      '--var-json',
      'x=1',
    );
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain(
      'error [invalid_request]: Unknown template variable "x": the template has no variable "x" (it has: none).',
    );
  });

  it('exits non-zero when the output still misses its schema after the retry', async () => {
    await keel.call('/api/v1/prompts', {
      json: {
        name: 'strict',
        template: {
          mode: 'freeform',
          text: 'classify',
          model_id: 'json:reverse',
          output_schema: { type: 'object', required: ['urgency'] },
        },
      },
    });
    const result = await keelCli('prompt', 'run', 'strict');
    expect(result.code).toBe(6);
    expect(result.out).toBe('{"category":"weather"}\n');
    expect(result.err).toContain("  - urgency: must have required property 'urgency'");
  });

  it('compares templates across models over inputs from a file', async () => {
    const inputs = path.join(dir, 'inputs.jsonl');
    await writeFile(inputs, '{"n": 1, "what": "a"}\n{"n": 2, "what": "b"}\n');
    const result = await keelCli(
      'prompt',
      'compare',
      'count',
      '--model',
      'echo:reverse',
      'other:reverse',
      '--inputs',
      inputs,
      '--concurrency',
      '2',
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain('input 1: {"n":1,"what":"a"}');
    expect(result.out).toMatch(/echo:reverse\s+a 1 count\s+3\+3/);
    expect(result.out).toMatch(/other:reverse\s+b 2 count/);
    expect(result.err).toContain('4 runs in');
    const json = JSON.parse(
      (await keelCli('--json', 'prompt', 'compare', 'count', 'count@production', '--var', 'n=5', 'what=z'))
        .out,
    );
    expect(json.rows[0].cells.map((cell: { output: string }) => cell.output)).toEqual([
      'z 5 count',
      'z 5 count',
    ]);
  });

  it('scores a comparison against a dataset: quality per column and the difference from the first', async () => {
    for (const [name, text] of [
      ['city-bare', '{{city}}'],
      ['city-wordy', 'capital {{city}}'],
    ])
      await keel.call('/api/v1/prompts', {
        json: { name, template: { mode: 'freeform', text, model_id: 'echo:reverse' } },
      });
    await keel.call('/api/v1/datasets', {
      json: {
        name: 'cli-capitals',
        rows: ['Paris', 'Rome', 'Seoul', 'Oslo'].map((city) => ({ city, expected: city })),
        mapping: { input: ['city'], reference: 'expected' },
      },
    });
    const result = await keelCli(
      'prompt',
      'compare',
      'city-bare',
      'city-wordy',
      '--dataset',
      'cli-capitals@1',
      '--limit',
      '3',
      '--metric',
      'exact_match',
      'f1',
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain('Quality on cli-capitals@1 (3 items, 95% intervals)');
    // echo reverses the words: the bare template answers the city, the wordy one "<city> capital".
    expect(result.out).toMatch(/\nexact_match\s+1 \[1, 1\]\s+0 \[0, 0\]/);
    expect(result.out).toMatch(/\nf1\s+1 \[1, 1\]\s+0\.6667 \[0\.6667, 0\.6667\]/);
    expect(result.out).toMatch(
      /\ncity-wordy · echo:reverse\s+city-bare · echo:reverse\s+exact_match\s+-1\s+0\s+paired\s+worse\n/,
    );
    expect(result.err).toContain('6 runs in');
    const bad = await keelCli(
      'prompt',
      'compare',
      'city-bare',
      '--dataset',
      'cli-capitals',
      '--metric',
      'mrr',
    );
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('mrr');
  });

  it('diffs versions', async () => {
    await keel.call('/api/v1/prompts/count/versions', {
      json: {
        base_version: 1,
        template: {
          mode: 'freeform',
          text: 'please count {{n}} {{what}}',
          variables: [{ name: 'n', type: 'integer' }],
          model_id: 'echo:reverse',
        },
      },
    });
    const diff = await keelCli('prompt', 'diff', 'count', 'production', '2');
    expect(diff.out).toContain('count: version 1 → 2, 1 change');
    expect(diff.out).toContain('- count {{n}} {{what}}\n+ please count {{n}} {{what}}');
  });

  it("shows a version's few-shot pool as its settings and size, runs through it, and exports it", async () => {
    const examples = [
      { input: 'rainy morning', output: 'weather' },
      { input: 'late train', output: 'transport' },
      { input: 'sunny afternoon', output: 'weather' },
    ];
    const created = await keel.call('/api/v1/prompts', {
      json: {
        name: 'topics',
        template: {
          mode: 'structured',
          test_input: '{{text}}',
          model_id: 'echo:reverse',
          few_shot: { k: 1, examples, source: 'notes@1 train' },
        },
      },
    });
    expect(created.status).toBe(201);
    const show = await keelCli('prompt', 'show', 'topics');
    expect(show.code).toBe(0);
    expect(show.out).toContain(
      'few-shot pool: 1 of 3 examples picked per input (from notes@1 train); label balance on, diversity 0.3\n',
    );
    expect(show.out).not.toContain('rainy morning');
    const json = JSON.parse((await keelCli('--json', 'prompt', 'show', 'topics')).out);
    expect(json.template.few_shot.examples).toEqual(examples);
    // The echo model answers with the prompt reversed: the picked example is the train one.
    const run = JSON.parse(
      (await keelCli('--json', 'prompt', 'run', 'topics', '--var', 'text=late bus')).out,
    );
    expect(run.prompt.text).toBe('Input: late train\nOutput: transport\n\nInput: late bus\nOutput:');
    const out = path.join(dir, 'pool');
    expect((await keelCli('prompt', 'export', 'topics', '--out', out)).code).toBe(0);
    expect(await readFile(path.join(out, 'topics.prompt.yaml'), 'utf8')).toContain('source: notes@1 train');
  });

  it('exports YAML files and imports them into another project; a malformed file changes nothing', async () => {
    const out = path.join(dir, 'prompts');
    const exported = await keelCli('prompt', 'export', 'count', 'strict', '--out', out);
    expect(exported.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['count.prompt.yaml', 'strict.prompt.yaml']);
    expect(await readFile(path.join(out, 'count.prompt.yaml'), 'utf8')).toContain('production: 1');

    const project = await (await keel.call('/api/v1/projects', { json: { name: 'cli-import' } })).json();
    const broken = path.join(dir, 'broken');
    await rm(broken, { recursive: true, force: true });
    await keelCli('prompt', 'export', 'count', '--out', broken);
    await writeFile(
      path.join(broken, 'bad.prompt.yaml'),
      'format: keel.prompt-template/v1\nname: bad\nversions:\n  - version: 1\n    template:\n      mode: poem\n',
    );
    const refused = await keelCli('--project', project.id, 'prompt', 'import', broken);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      `error [invalid_request]: Cannot import ${path.join(broken, 'bad.prompt.yaml')} at versions.0.template.mode`,
    );
    expect(refused.err).toContain('(line 6)');
    expect(JSON.parse((await keelCli('--json', '--project', project.id, 'prompt', 'list')).out)).toEqual([]);

    const dry = await keelCli('--project', project.id, 'prompt', 'import', out, '--dry-run');
    expect(dry.err).toContain('Dry run: nothing was changed.');
    const imported = await keelCli('--project', project.id, 'prompt', 'import', out);
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/count\.prompt\.yaml\s+count\s+created\s+1 2\s+production/);
    const again = await keelCli('--project', project.id, 'prompt', 'import', out);
    expect(again.out).toMatch(/count\s+unchanged/);
  });
});

describe('keel prompt (local data directory)', () => {
  it('loads samples and exports them without a server', async () => {
    const dataDir = path.join(dir, 'data');
    const { io, out, err } = captureIO();
    expect(
      await runCli(['--data-dir', dataDir, 'prompt', 'samples', '--load', '--task', 'classify'], io),
    ).toBe(0);
    expect(out()).toContain('created complaint-triage-en');
    expect(err()).toContain('Keel created its first admin key');
    const listed = captureIO();
    expect(await runCli(['--json', '--data-dir', dataDir, 'prompt', 'list'], listed.io)).toBe(0);
    expect(
      JSON.parse(listed.out())
        .map((p: { name: string }) => p.name)
        .sort(),
    ).toEqual(['complaint-triage-en', 'complaint-triage-ko']);
  });
});
