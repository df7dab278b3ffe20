/**
 * `/api/v1/adapters` and `llamacpp:<base>+<adapter>` end to end on real llama.cpp: the tiny model
 * and tiny LoRA files the tests write (threads: 1). Registration checks the file against the base;
 * a refused file leaves nothing behind; the official OpenAI SDK gets different, deterministic
 * answers from the base and the adapter; Prompt Lab compares them and an evaluation run scores the
 * adapter.
 */
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterVersionJson } from '../../../api/adapters.js';
import { sdkClient } from '../../../testing/sdk.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import { buildTinyGguf } from '../../../testing/tiny-gguf.js';
import { startTinyLlamaKeel, type TinyLlamaKeel } from '../../../testing/tiny-llamacpp-keel.js';
import { buildTinyLoraGguf, type TinyLoraOptions } from '../../../testing/tiny-lora-gguf.js';
import { type ListeningServer, listen } from '../../listen.js';

/** A registered version, or Keel's error. */
type Answer = AdapterVersionJson & { error: { code: string; issues: { code: string }[] } };

let tiny: TinyLlamaKeel;
let keel: TestKeel;
let server: ListeningServer;
let openai: OpenAI;

beforeAll(async () => {
  tiny = await startTinyLlamaKeel('keel-adapters-');
  keel = tiny.keel;
  server = await listen(keel.app);
  openai = new OpenAI({ apiKey: keel.adminKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
  await tiny?.close();
});

async function upload(
  fields: Record<string, string>,
  bytes: Uint8Array,
): Promise<{ status: number; body: Answer }> {
  const form = new FormData();
  form.set('file', new File([bytes as BlobPart], 'adapter.gguf'));
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  const res = await keel.call('/api/v1/adapters', { method: 'POST', body: form });
  return { status: res.status, body: await res.json() };
}

const lora = (options: TinyLoraOptions = {}) => buildTinyLoraGguf({ seed: 3, ...options });
const adapterFiles = async () =>
  readdir(path.join(keel.dataDir, 'adapters'), { recursive: true }).catch(() => [] as string[]);

const chat = (model: string) =>
  openai.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Write a greeting.' }],
    temperature: 0,
    seed: 1,
    max_tokens: 10,
  });

describe('/api/v1/adapters', () => {
  it('registers an upload with its header facts, hashes and lineage; lists, shows and removes it', async () => {
    const bytes = lora({ rank: 2, alpha: 16 });
    const created = await upload(
      {
        name: 'tone',
        base_model: 'llamacpp:tiny',
        metadata: JSON.stringify({
          hyper_parameters: { learning_rate: 0.0002, epochs: 3 },
          dataset: { name: 'support-replies', version: '2' },
        }),
      },
      bytes,
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { createHash } = await import('node:crypto');
    const baseBytes = await readFile(path.join(tiny.dir, 'tiny.gguf'));
    expect(created.body).toMatchObject({
      name: 'tone',
      version: 1,
      model: 'llamacpp:tiny+tone',
      base_model: 'tiny',
      base_sha256: createHash('sha256').update(baseBytes).digest('hex'),
      sha256: createHash('sha256').update(bytes).digest('hex'),
      size_bytes: bytes.length,
      architecture: 'llama',
      method: 'lora',
      alpha: 16,
      rank: 2,
      scale: 1,
      hyper_parameters: { learning_rate: 0.0002, epochs: 3 },
      dataset: { name: 'support-replies', version: '2' },
      source: 'adapter.gguf',
    });
    expect(created.body.targets).toContain('blk.0.attn_q.weight');

    const again = await upload({ name: 'tone', base_model: 'tiny', scale: '0.5' }, lora({ seed: 9 }));
    expect(again.body).toMatchObject({ version: 2, scale: 0.5 });
    const list = await (await keel.call('/api/v1/adapters')).json();
    expect(list.adapters.map((a: { name: string; version: number }) => [a.name, a.version])).toEqual([
      ['tone', 2],
    ]);
    const shown = await (await keel.call('/api/v1/adapters/tone')).json();
    expect(shown.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);

    const removed = await keel.call('/api/v1/adapters/tone?version=2', { method: 'DELETE' });
    expect((await removed.json()).removed.map((v: { version: number }) => v.version)).toEqual([2]);
    expect(await adapterFiles()).toContain(
      path.join(keel.services.installation.defaultProjectId, 'tone', 'v1.gguf'),
    );
    expect(await adapterFiles()).not.toContain(
      path.join(keel.services.installation.defaultProjectId, 'tone', 'v2.gguf'),
    );
    expect((await keel.call('/api/v1/adapters/nope')).status).toBe(404);
  });

  it('gives two registrations of one adapter at once consecutive versions, each with its own file', async () => {
    const [a, b] = [lora({ seed: 61 }), lora({ seed: 62 })];
    const answers = await Promise.all([
      upload({ name: 'twin', base_model: 'tiny' }, a),
      upload({ name: 'twin', base_model: 'tiny' }, b),
    ]);
    expect(answers.map((x) => x.status)).toEqual([201, 201]);
    expect(answers.map((x) => x.body.version).sort()).toEqual([1, 2]);
    const { createHash } = await import('node:crypto');
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    for (const answer of answers) {
      const stored = await readFile(
        path.join(
          keel.dataDir,
          'adapters',
          keel.services.installation.defaultProjectId,
          'twin',
          `v${answer.body.version}.gguf`,
        ),
      );
      expect(sha(stored)).toBe(answer.body.sha256);
    }
    expect(new Set(answers.map((x) => x.body.sha256))).toEqual(new Set([sha(a), sha(b)]));
  });

  it('registers a file under the models directory, and nothing outside it', async () => {
    await writeFile(path.join(tiny.dir, 'style.lora'), lora({ seed: 11 }));
    const res = await keel.call('/api/v1/adapters', {
      json: { name: 'style', base_model: 'tiny', path: 'style.lora' },
    });
    expect(res.status).toBe(201);
    expect((await res.json()).source).toBe('style.lora');
    const outside = await keel.call('/api/v1/adapters', {
      json: { name: 'escape', base_model: 'tiny', path: '../escape.gguf' },
    });
    expect(outside.status).toBe(400);
    expect((await outside.json()).error.issues[0].code).toBe('path_outside_models_dir');
  });

  it('refuses what is not a LoRA for this base with coded errors, leaving no file and no row', async () => {
    const before = await adapterFiles();
    const cases: [Uint8Array, string, string][] = [
      [buildTinyGguf(), 'adapter_not_lora', 'not_an_adapter'],
      [new TextEncoder().encode('not a gguf file at all'), 'adapter_not_lora', 'not_gguf'],
      [lora({ adapterType: 'control_vector' }), 'adapter_not_lora', 'not_lora'],
      [lora({ architecture: 'qwen2' }), 'adapter_architecture_mismatch', 'architecture_mismatch'],
      [lora({ embeddingLength: 128 }), 'adapter_base_mismatch', 'shape_mismatch'],
    ];
    for (const [bytes, code, issue] of cases) {
      const refused = await upload({ name: 'bad', base_model: 'tiny' }, bytes);
      expect(refused.status, code).toBe(422);
      expect(refused.body.error.code).toBe(code);
      expect(refused.body.error.issues[0]?.code).toBe(issue);
    }
    const unknownBase = await upload({ name: 'bad', base_model: 'llamacpp:absent' }, lora());
    expect(unknownBase.body.error.code).toBe('model_not_found');
    const badName = await upload({ name: 'Bad+Name', base_model: 'tiny' }, lora());
    expect(badName.status).toBe(400);
    expect((await keel.call('/api/v1/adapters/bad')).status).toBe(404);
    // Neither the stored versions nor the upload area changed.
    expect((await adapterFiles()).sort()).toEqual(before.sort());
    expect((await adapterFiles()).filter((f) => f.startsWith(`.uploads${path.sep}`))).toEqual([]);
  });
});

describe('llamacpp:<base>+<adapter> through the gateway', () => {
  it('answers differently from the base, deterministically, with the official OpenAI SDK', {
    timeout: 240_000,
  }, async () => {
    await upload({ name: 'greeter', base_model: 'tiny' }, lora({ seed: 21 }));
    await upload({ name: 'muted', base_model: 'tiny', scale: '0' }, lora({ seed: 21 }));
    const base = (await chat('llamacpp:tiny')).choices[0]!.message.content;
    const adapted = (await chat('llamacpp:tiny+greeter')).choices[0]!.message.content;
    expect(adapted).not.toBe(base);
    expect((await chat('llamacpp:tiny+greeter')).choices[0]!.message.content).toBe(adapted);
    expect((await chat('llamacpp:tiny+greeter@1')).choices[0]!.message.content).toBe(adapted);
    expect((await chat('llamacpp:tiny+muted')).choices[0]!.message.content).toBe(base);
    expect((await chat('llamacpp:tiny')).choices[0]!.message.content).toBe(base);
    // Streamed, the adapted answer is the same text.
    const stream = await openai.chat.completions.create({
      model: 'llamacpp:tiny+greeter',
      messages: [{ role: 'user', content: 'Write a greeting.' }],
      temperature: 0,
      seed: 1,
      max_tokens: 10,
      stream: true,
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(adapted);

    const unknown = await chat('llamacpp:tiny+nope').catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(APIError);
    expect((unknown as APIError).status).toBe(404);
  });

  it('refuses an adapter whose file changed on disk since registration', { timeout: 120_000 }, async () => {
    const created = await upload({ name: 'tampered', base_model: 'tiny' }, lora({ seed: 33 }));
    const file = path.join(
      keel.dataDir,
      'adapters',
      keel.services.installation.defaultProjectId,
      'tampered',
      'v1.gguf',
    );
    await appendFile(file, Buffer.from([1, 2, 3]));
    expect(created.status).toBe(201);
    const refused = await chat('llamacpp:tiny+tampered').catch((error: unknown) => error);
    expect((refused as APIError).status).toBe(422);
    expect(JSON.stringify((refused as APIError).error)).toContain('checksum_mismatch');
  });

  it('is compared against its base in Prompt Lab and scored in an evaluation run', {
    timeout: 240_000,
  }, async () => {
    await upload({ name: 'lab', base_model: 'tiny' }, lora({ seed: 44 }));
    const sdk = sdkClient(keel);
    const result = await sdk.prompts.compare({
      variants: [
        {
          template: {
            mode: 'freeform',
            text: 'Reply to {{who}}',
            parameters: { decoding_method: 'greedy', max_new_tokens: 8 },
          },
        },
      ],
      models: ['llamacpp:tiny', 'llamacpp:tiny+lab'],
      inputs: [{ who: 'Mina' }, { who: '지훈' }],
      concurrency: 1,
    });
    expect(result.columns.map((c) => c.model)).toEqual(['llamacpp:tiny', 'llamacpp:tiny+lab']);
    for (const row of result.rows) {
      expect(row.cells.map((c) => c.status)).toEqual(['ok', 'ok']);
      expect(row.cells[0]!.output).not.toBe(row.cells[1]!.output);
    }

    const caller = { projectId: keel.services.installation.defaultProjectId, actor: null };
    await keel.services.evals.datasets.add(caller, {
      name: 'greetings',
      mapping: { input: ['who'], reference: 'reply' },
      rows: [
        { who: 'Mina', reply: 'Hello Mina' },
        { who: 'Jun', reply: 'Hello Jun' },
      ],
    });
    const outputs: (string | null)[][] = [];
    for (const model of ['llamacpp:tiny', 'llamacpp:tiny+lab']) {
      const created = await keel.services.evals.runs.create(caller, {
        target: {
          kind: 'model',
          model,
          prompt: 'Reply to {{who}}',
          parameters: { decoding_method: 'greedy', max_new_tokens: 8 },
        },
        dataset: 'greetings',
        metrics: ['rougeL', 'tokens'],
        options: { concurrency: 1 },
      });
      const run = await keel.services.evals.runs.wait(caller.projectId, created.id);
      expect(run.status).toBe('succeeded');
      expect(run.aggregates!.items).toMatchObject({ total: 2, succeeded: 2 });
      outputs.push(
        (await keel.services.evals.runs.items(caller.projectId, run.id)).items.map((i) => i.output),
      );
    }
    expect(outputs[1]).not.toEqual(outputs[0]);
  });
});
