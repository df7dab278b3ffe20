/**
 * LoRA adapters on the llama.cpp provider, against real llama.cpp: the tiny model and tiny LoRA
 * files the tests write (threads: 1). The adapter source here is a plain table of registered files
 * in the shape the tuning module's source answers with.
 */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import type { AdapterRequest, ResolvedAdapter } from '../../../spec/adapter-source.js';
import type { LanguageModelCallOptions } from '../../../spec/language-model.js';
import { ensureTinyGguf } from '../../../testing/tiny-gguf.js';
import { writeTinyLoraGguf } from '../../../testing/tiny-lora-gguf.js';
import { hashFile } from '../../pull-files.js';
import { createLlamaCppProvider, type LlamaCppProvider } from './index.js';

let dir: string;
let provider: LlamaCppProvider;
const registered = new Map<string, ResolvedAdapter>();
const asked: AdapterRequest[] = [];

async function register(name: string, options: Parameters<typeof writeTinyLoraGguf>[1], scale = 1) {
  const { file } = await writeTinyLoraGguf(path.join(dir, 'adapters', `${name}.gguf`), options);
  registered.set(name, { key: `${name}@1x${scale}`, file, sha256: await hashFile(file), scale });
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keel-llamacpp-lora-'));
  await ensureTinyGguf(dir);
  provider = createLlamaCppProvider({
    modelsDir: dir,
    threads: 1,
    contextSize: 256,
    sequences: 1,
    maxLoadedModels: 1,
    idleUnloadSeconds: 60,
  });
  await register('tone', { seed: 3 });
  await register('quiet', { seed: 3 }, 0);
  await register('zero', { seed: 3, zeroB: true });
  await register('tampered', { seed: 5 });
});

afterAll(async () => {
  await provider?.close();
  await rm(dir, { recursive: true, force: true });
});

const call = (text: string): LanguageModelCallOptions => ({
  prompt: { type: 'text', text },
  parameters: { temperature: 0, maxNewTokens: 12 },
  context: { projectId: 'p1', keyId: null, endpoint: 'test' },
});

async function keelError(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KeelError);
  return error as KeelError;
}

describe('llamacpp:<base>+<adapter>', () => {
  it('answers model_not_found while no adapter source is set', async () => {
    const error = await keelError(provider.languageModel('tiny+tone').doGenerate(call('Hello')));
    expect(error.code).toBe('model_not_found');
  });

  it('applies the adapter: the answer differs from the base, deterministically, and not at scale 0 or with B = 0', {
    timeout: 120_000,
  }, async () => {
    provider.setAdapterSource({
      specificationVersion: 'v1',
      async resolve(request) {
        asked.push(request);
        const found = registered.get(request.adapter);
        if (!found) throw new KeelError('model_not_found', `no adapter ${request.adapter}`);
        return found;
      },
    });
    const generate = async (id: string) =>
      (await provider.languageModel(id).doGenerate(call('Hello there'))).text;
    const base = await generate('tiny');
    const adapted = await generate('tiny+tone');
    expect(adapted).not.toBe(base);
    expect(await generate('tiny+tone')).toBe(adapted);
    expect(await generate('tiny')).toBe(base);
    expect(await generate('tiny+quiet')).toBe(base);
    expect(await generate('tiny+zero')).toBe(base);
    expect(asked.at(-1)).toEqual({ projectId: 'p1', baseModelId: 'tiny', adapter: 'zero' });
    // One base model in memory, whatever the adapters.
    expect(provider.loadedModels()).toEqual(['tiny']);
  });

  it('keeps at most a few adapted contexts: one dropped for a newer one is made again, with the same answers', {
    timeout: 240_000,
  }, async () => {
    const names = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];
    for (const [i, name] of names.entries()) await register(name, { seed: 100 + i });
    const answers = async () => {
      const out: string[] = [];
      for (const name of names) {
        out.push((await provider.languageModel(`tiny+${name}`).doGenerate(call('Hello there'))).text);
      }
      return out;
    };
    const first = await answers();
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await answers()).toEqual(first);
  });

  it('lists an adapter file dropped in the models directory as an adapter, not a model', async () => {
    await writeTinyLoraGguf(path.join(dir, 'dropped.gguf'), { seed: 9 });
    const listed = (await provider.listModels()).find((m) => m.modelId === 'dropped');
    expect(listed).toMatchObject({
      kinds: [],
      tasks: [],
      details: { adapter: 'lora', architecture: 'llama' },
    });
    expect(String(listed?.details?.hint)).toContain('keel tune adapter add dropped.gguf --in-models-dir');
    expect((await provider.listModels()).find((m) => m.modelId === 'tiny')?.kinds).toContain('language');
  });

  it('refuses an adapter file changed since registration, and an unknown adapter or base', {
    timeout: 120_000,
  }, async () => {
    await appendFile(registered.get('tampered')!.file, Buffer.from([0]));
    const changed = await keelError(provider.languageModel('tiny+tampered').doGenerate(call('Hello')));
    expect(changed.code).toBe('checksum_mismatch');
    const unknown = await keelError(provider.languageModel('tiny+nope').doGenerate(call('Hello')));
    expect(unknown.code).toBe('model_not_found');
    expect(() => provider.languageModel('absent+tone')).toThrow(/no local model "absent"/);
    expect(provider.baseModelFile('tiny')).toBe(path.join(dir, 'tiny.gguf'));
  });
});
