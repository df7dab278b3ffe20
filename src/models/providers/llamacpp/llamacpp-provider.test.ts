/**
 * The llama.cpp provider against real llama.cpp, on the tiny random-weight GGUF the test suite
 * writes itself (threads: 1). The model writes nonsense; the tests check the plumbing around it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import type { LanguageModelCallOptions, StreamPart } from '../../../spec/language-model.js';
import {
  buildTinyVocabulary,
  byteToUnicode,
  ensureTinyGguf,
  writeTinyGguf,
} from '../../../testing/tiny-gguf.js';
import { createLlamaCppProvider, type LlamaCppProvider } from './index.js';

let dir: string;
let provider: LlamaCppProvider;
const vocabulary = buildTinyVocabulary();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keel-llamacpp-'));
  const tiny = await ensureTinyGguf(dir);
  await writeTinyGguf(path.join(dir, 'tiny-b.gguf'), { seed: 7 });
  const bytes = await readFile(tiny);
  await writeFile(path.join(dir, 'truncated.gguf'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
  await writeFile(path.join(dir, 'garbage.gguf'), 'this is not a model file, just some text'.repeat(20));
  provider = createLlamaCppProvider({
    modelsDir: dir,
    threads: 1,
    contextSize: 256,
    sequences: 1,
    maxLoadedModels: 2,
    idleUnloadSeconds: 60,
  });
});

afterAll(async () => {
  await provider?.close();
  await rm(dir, { recursive: true, force: true });
});

const text = (value: string): LanguageModelCallOptions['prompt'] => ({ type: 'text', text: value });

async function collect(stream: AsyncIterable<StreamPart>) {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

async function keelError(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KeelError);
  return error as KeelError;
}

/** logitBias banning every token whose text is not printable ASCII, \n or \t (and BOS). */
function asciiOnlyBias(): Record<string, number> {
  const decode = new Map(byteToUnicode().map((char, byte) => [char, byte]));
  const bias: Record<string, number> = {};
  vocabulary.tokens.forEach((token, id) => {
    if (id === vocabulary.eos || token === '<|im_end|>') return;
    const bytes = id >= vocabulary.bos ? [-1] : [...token].map((char) => decode.get(char) ?? -1);
    if (!bytes.every((byte) => byte === 9 || byte === 10 || (byte >= 0x20 && byte < 0x7f))) bias[id] = -100;
  });
  return bias;
}

describe('llamacpp provider', () => {
  it('lists every GGUF file with facts from its header, unreadable ones included', async () => {
    const models = await provider.listModels();
    const byId = new Map(models.map((model) => [model.modelId, model]));
    expect([...byId.keys()].sort()).toEqual(['garbage', 'tiny', 'tiny-b', 'truncated']);
    expect(byId.get('tiny')).toMatchObject({
      id: 'llamacpp:tiny',
      provider: 'llamacpp',
      kinds: ['language', 'embedding'],
      contextLength: 2048,
      details: { architecture: 'llama', quantization: 'F16', loaded: false },
    });
    expect(byId.get('tiny')?.tasks).toContain('chat');
    expect(byId.get('garbage')?.details?.error).toMatch(/not a readable GGUF/);
    expect(byId.get('truncated')?.details?.error).toMatch(/truncated/);
    expect((await provider.status()).reachable).toBe(true);
  });

  it('generates from a text prompt, up to max_new_tokens', async () => {
    const model = provider.languageModel('tiny');
    const result = await model.doGenerate({ prompt: text('Hello there'), parameters: { maxNewTokens: 24 } });
    expect(result.finishReason).toBe('max_tokens');
    expect(result.usage.outputTokens).toBe(24);
    expect(result.usage.inputTokens).toBe((await model.tokenize('Hello there')).tokens.length);
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.seed).toBeUndefined();
    expect(await model.contextLength()).toBe(256);
  });

  it('renders chat prompts with the model template', async () => {
    const result = await provider.languageModel('tiny').doGenerate({
      prompt: {
        type: 'chat',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: '안녕하세요' },
        ],
      },
      parameters: { maxNewTokens: 8 },
    });
    // <s><|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n안녕하세요<|im_end|>\n<|im_start|>assistant\n
    const expected = (
      await provider
        .languageModel('tiny')
        .tokenize(
          '<s><|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n안녕하세요<|im_end|>\n<|im_start|>assistant\n',
        )
    ).tokens.length;
    expect(result.usage.inputTokens).toBe(expected);
    expect(result.usage.outputTokens).toBe(8);
  });

  it('streams the same text it generates, ending with one finish part', async () => {
    const model = provider.languageModel('tiny');
    const options = { prompt: text('Stream this'), parameters: { maxNewTokens: 20 } };
    const { stream, warnings } = await model.doStream(options);
    expect(warnings).toEqual([]);
    const parts = await collect(stream);
    const last = parts.at(-1);
    expect(last).toMatchObject({ type: 'finish', finishReason: 'max_tokens', usage: { outputTokens: 20 } });
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
    const streamed = parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
    expect(streamed).toBe((await model.doGenerate(options)).text);
  });

  it('stops promptly on abort and frees the sequence', async () => {
    const model = provider.languageModel('tiny');
    const controller = new AbortController();
    const { stream } = await model.doStream({ prompt: text('Go on'), abortSignal: controller.signal });
    let deltas = 0;
    let finish: StreamPart | undefined;
    for await (const part of stream) {
      if (part.type === 'text-delta' && ++deltas === 5) controller.abort();
      if (part.type === 'finish') finish = part;
    }
    expect(finish).toMatchObject({ type: 'finish', finishReason: 'cancelled' });
    if (finish?.type === 'finish') expect(finish.usage.outputTokens).toBeLessThan(10);
    // Breaking out of the loop cancels too; the single sequence must be free again afterwards.
    const second = await model.doStream({ prompt: text('Go on') });
    for await (const part of second.stream) if (part.type === 'text-delta') break;
    const after = await model.doGenerate({ prompt: text('Still there?'), parameters: { maxNewTokens: 3 } });
    expect(after.usage.outputTokens).toBe(3);
  });

  it('reproduces sampled output for the same seed', async () => {
    const model = provider.languageModel('tiny');
    const sample = (seed: number) =>
      model.doGenerate({
        prompt: text('Once upon a time'),
        parameters: { decodingMethod: 'sample', temperature: 0.9, randomSeed: seed, maxNewTokens: 30 },
      });
    const first = await sample(7);
    const again = await sample(7);
    const other = await sample(8);
    expect(first.seed).toBe(7);
    expect(again.text).toBe(first.text);
    expect(other.text).not.toBe(first.text);
    const drawn = await model.doGenerate({
      prompt: text('Once upon a time'),
      parameters: { decodingMethod: 'sample', maxNewTokens: 5 },
    });
    expect(drawn.seed).toBeTypeOf('number');
  });

  it('stops at stop sequences, optionally keeping them, and holds them until min_new_tokens', async () => {
    const model = provider.languageModel('tiny');
    const parameters = { decodingMethod: 'sample' as const, randomSeed: 11, maxNewTokens: 40 };
    const full = (await model.doGenerate({ prompt: text('Stop test'), parameters })).text;
    const stop = full.slice(12, 15);
    const cut = full.indexOf(stop);
    const stopped = await model.doGenerate({
      prompt: text('Stop test'),
      parameters: { ...parameters, stopSequences: [stop] },
    });
    expect(stopped.finishReason).toBe('stop_sequence');
    expect(stopped.text).toBe(full.slice(0, cut));
    const kept = await model.doGenerate({
      prompt: text('Stop test'),
      parameters: { ...parameters, stopSequences: [stop], includeStopSequence: true },
    });
    expect(kept.text).toBe(full.slice(0, cut) + stop);
    const late = await model.doGenerate({
      prompt: text('Stop test'),
      parameters: { ...parameters, stopSequences: [stop], minNewTokens: 30 },
    });
    expect(late.usage.outputTokens).toBeGreaterThanOrEqual(30);
    expect(late.text.startsWith(full.slice(0, cut + stop.length))).toBe(true);
  });

  it('holds back the end-of-text token until min_new_tokens', async () => {
    const model = provider.languageModel('tiny');
    const favourEnd = { llamacpp: { logitBias: { [vocabulary.eos]: 100 } } };
    const eager = await model.doGenerate({ prompt: text('End now'), providerOptions: favourEnd });
    expect(eager).toMatchObject({ finishReason: 'eos_token', usage: { outputTokens: 0 } });
    const patient = await model.doGenerate({
      prompt: text('End now'),
      parameters: { minNewTokens: 6 },
      providerOptions: favourEnd,
    });
    expect(patient).toMatchObject({ finishReason: 'eos_token', usage: { outputTokens: 6 } });
  });

  it('round-trips Korean and any UTF-8 through tokenize and detokenize', async () => {
    const model = provider.languageModel('tiny');
    for (const sample of [
      '안녕하세요, 세계! 대한민국의 수도는 서울입니다.',
      'naïve café — 日本語 🚀 emoji',
      '<|im_start|>user',
    ]) {
      const { tokens, strings } = await model.tokenize(sample);
      expect(await model.detokenize(tokens)).toBe(sample);
      expect(strings).toHaveLength(tokens.length);
    }
    expect((await model.tokenize('<|im_start|>')).tokens).toEqual([vocabulary.bos + 2]);
  });

  it('embeds deterministically, one normalised vector per input', async () => {
    const model = provider.embeddingModel('tiny');
    expect(await model.dimensions()).toBe(64);
    const { embeddings, usage } = await model.doEmbed({
      values: ['hello world', '안녕하세요', 'hello world'],
    });
    expect(embeddings).toHaveLength(3);
    expect(embeddings[0]).toHaveLength(64);
    expect([...embeddings[0]!]).toEqual([...embeddings[2]!]);
    expect([...embeddings[0]!]).not.toEqual([...embeddings[1]!]);
    expect(Math.hypot(...embeddings[1]!)).toBeCloseTo(1, 5);
    expect(usage.inputTokens).toBeGreaterThan(0);
    const truncated = await model.doEmbed({
      values: ['one two three four five six'],
      truncateInputTokens: 2,
    });
    expect(truncated.usage.inputTokens).toBeLessThanOrEqual(4);
    expect((await keelError(model.doEmbed({ values: [''] }))).code).toBe('invalid_request');
  });

  it('decodes JSON that parses and matches the schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 12 },
        active: { type: 'boolean' },
        tags: { type: 'array', items: { type: 'string', maxLength: 6 }, maxItems: 3 },
        kind: { enum: ['person', 'place'] },
      },
      required: ['name', 'active', 'tags', 'kind'],
    };
    const model = provider.languageModel('tiny');
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = await model.doGenerate({
        prompt: { type: 'chat', messages: [{ role: 'user', content: 'Describe someone as JSON.' }] },
        responseFormat: { type: 'json', schema },
        parameters: { decodingMethod: 'sample', randomSeed: seed, maxNewTokens: 200 },
        providerOptions: { llamacpp: { logitBias: asciiOnlyBias() } },
      });
      expect(result.finishReason).toBe('eos_token');
      const value = JSON.parse(result.text) as Record<string, unknown>;
      expect(Object.keys(value).sort()).toEqual(['active', 'kind', 'name', 'tags']);
      expect(typeof value.name === 'string' && value.name.length <= 12).toBe(true);
      expect(typeof value.active).toBe('boolean');
      expect(['person', 'place']).toContain(value.kind);
      expect(Array.isArray(value.tags) && value.tags.length <= 3).toBe(true);
    }
  });

  it('keeps generic JSON mode to JSON', async () => {
    // Without a schema strings are unbounded and the random model may not close one in time, so
    // the check is: whatever ends on its own parses, and everything starts as JSON.
    const model = provider.languageModel('tiny');
    let finished = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const result = await model.doGenerate({
        prompt: text('JSON:'),
        responseFormat: { type: 'json' },
        parameters: { decodingMethod: 'sample', randomSeed: seed, maxNewTokens: 200 },
        providerOptions: { llamacpp: { logitBias: asciiOnlyBias() } },
      });
      expect(result.text.trimStart()[0]).toMatch(/[{[]/);
      if (result.finishReason === 'eos_token') {
        finished++;
        expect(() => JSON.parse(result.text)).not.toThrow();
      }
    }
    expect(finished).toBeGreaterThan(0);
  });

  it('reports a corrupt or truncated file clearly and keeps serving the others', async () => {
    const truncated = await keelError(provider.languageModel('truncated').doGenerate({ prompt: text('x') }));
    expect(truncated.code).toBe('model_load_failed');
    expect(truncated.message).toContain('truncated.gguf');
    const garbage = await keelError(provider.languageModel('garbage').doGenerate({ prompt: text('x') }));
    expect(garbage.code).toBe('model_load_failed');
    expect(garbage.message).toContain('garbage.gguf');
    const fine = await provider
      .languageModel('tiny')
      .doGenerate({ prompt: text('x'), parameters: { maxNewTokens: 2 } });
    expect(fine.usage.outputTokens).toBe(2);
  });

  it('answers model_not_found with a hint for unknown models', () => {
    for (const id of ['nope', '../tiny', 'granite-3.3-2b-instruct']) {
      let error: unknown;
      try {
        provider.languageModel(id);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(KeelError);
      expect((error as KeelError).code).toBe('model_not_found');
      expect(String((error as KeelError).data?.hint)).toContain('keel models');
    }
  });

  it('checks the context window and truncates input on request', async () => {
    const model = provider.languageModel('tiny');
    const long = text('word '.repeat(400));
    expect((await keelError(model.doGenerate({ prompt: long }))).code).toBe('context_length_exceeded');
    const kept = await model.doGenerate({
      prompt: long,
      parameters: { truncateInputTokens: 100, maxNewTokens: 2 },
    });
    expect(kept.usage.inputTokens).toBe(100);
    const filled = await model.doGenerate({ prompt: text('fill the window') });
    expect(filled.finishReason).toBe('token_limit');
    // The last sampled token never has to enter the window, so prompt + output fill it exactly.
    expect(filled.usage.inputTokens + filled.usage.outputTokens).toBe(256);
  });

  it('queues requests beyond the sequences it has, one after another', async () => {
    const model = provider.languageModel('tiny');
    const events: string[] = [];
    const run = async (label: string) => {
      const { stream } = await model.doStream({ prompt: text(label), parameters: { maxNewTokens: 30 } });
      for await (const part of stream) {
        if (part.type === 'text-delta' && !events.includes(`${label}:first`)) events.push(`${label}:first`);
        if (part.type === 'finish') events.push(`${label}:${part.finishReason}`);
      }
    };
    const controller = new AbortController();
    const abandoned = model
      .doStream({ prompt: text('c'), abortSignal: controller.signal })
      .then((result) => collect(result.stream));
    await Promise.all([run('a'), run('b'), (async () => controller.abort())()]);
    // Which of two requests started in the same tick reaches the queue first depends on the event
    // loop (FIFO order itself is tested in sequence-pool.test.ts); what matters here is that the
    // second waits for the first instead of sharing its sequence.
    const first = events[0]!.split(':')[0]!;
    const second = first === 'a' ? 'b' : 'a';
    expect(events).toEqual([
      `${first}:first`,
      `${first}:max_tokens`,
      `${second}:first`,
      `${second}:max_tokens`,
    ]);
    expect((await abandoned).at(-1)).toMatchObject({ finishReason: 'cancelled', usage: { outputTokens: 0 } });
  });

  it('says reranking is not something this model does', async () => {
    expect(
      (await keelError(provider.rerankModel('tiny').doRerank({ query: 'q', documents: ['d'] }))).code,
    ).toBe('not_implemented');
  });
});

describe('llamacpp model cache', () => {
  it('unloads idle models, keeps at most maxLoadedModels, and disposes all on close', async () => {
    const cached = createLlamaCppProvider({
      modelsDir: dir,
      threads: 1,
      contextSize: 128,
      sequences: 2,
      maxLoadedModels: 1,
      idleUnloadSeconds: 0.3,
    });
    try {
      const quick = { prompt: text('hi'), parameters: { maxNewTokens: 2 } };
      await cached.languageModel('tiny').doGenerate(quick);
      expect(cached.loadedModels()).toEqual(['tiny']);
      await cached.languageModel('tiny-b').doGenerate(quick);
      expect(cached.loadedModels()).toEqual(['tiny-b']);
      // Two sequences: two generations run side by side.
      const both = await Promise.all([
        cached.languageModel('tiny-b').doGenerate(quick),
        cached.languageModel('tiny-b').doGenerate(quick),
      ]);
      expect(both.map((result) => result.usage.outputTokens)).toEqual([2, 2]);
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(cached.loadedModels()).toEqual([]);
      await cached.languageModel('tiny').doGenerate(quick);
      expect(cached.loadedModels()).toEqual(['tiny']);
    } finally {
      await cached.close();
    }
    expect(cached.loadedModels()).toEqual([]);
  });
});
