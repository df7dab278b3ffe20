import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  getLlama,
  type Llama,
  LlamaCompletion,
  LlamaLogLevel,
  type LlamaModel,
  readGgufFileInfo,
} from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyGguf, tinyGgufShape } from './tiny-gguf.js';
import { buildTinyLoraGguf, writeTinyLoraGguf } from './tiny-lora-gguf.js';

let dir: string;
let llama: Llama;
let model: LlamaModel;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keel-tiny-lora-'));
  llama = await getLlama({
    gpu: false,
    maxThreads: 1,
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.error,
    logger: () => undefined,
  });
  model = await llama.loadModel({ modelPath: await ensureTinyGguf(dir) });
});
afterAll(async () => {
  await model?.dispose();
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

/** Greedy completion on a fresh context, with the adapter applied when one is given. */
async function complete(adapter?: { filePath: string; scale: number }): Promise<string> {
  const context = await model.createContext({
    contextSize: 256,
    threads: 1,
    ...(adapter ? { lora: { adapters: [adapter] } } : {}),
  });
  try {
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    return await completion.generateCompletion('Hello there', { maxTokens: 12, temperature: 0 });
  } finally {
    await context.dispose();
  }
}

describe('tiny LoRA GGUF', () => {
  it('is deterministic for its options', () => {
    const first = buildTinyLoraGguf({ seed: 3 });
    expect(Buffer.compare(Buffer.from(first), Buffer.from(buildTinyLoraGguf({ seed: 3 })))).toBe(0);
    expect(Buffer.compare(Buffer.from(first), Buffer.from(buildTinyLoraGguf({ seed: 4 })))).not.toBe(0);
    expect(new TextDecoder().decode(first.subarray(0, 4))).toBe('GGUF');
  });

  it('declares an adapter of type lora for the tiny architecture, with A and B pairs', async () => {
    const { file } = await writeTinyLoraGguf(path.join(dir, 'meta.gguf'), { rank: 2, alpha: 16 });
    const info = await readGgufFileInfo(file, { logWarnings: false });
    const metadata = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(metadata.general).toMatchObject({ architecture: 'llama', type: 'adapter' });
    expect(metadata.adapter).toMatchObject({ type: 'lora', lora: { alpha: 16 } });
    const tensors = new Map(info.tensorInfo?.map((t) => [t.name, t.dimensions.map(Number)]));
    expect(tensors.size).toBe(tinyGgufShape.blockCount * 4 * 2);
    const n = tinyGgufShape.embeddingLength;
    expect(tensors.get('blk.0.attn_q.weight.lora_a')).toEqual([n, 2]);
    expect(tensors.get('blk.0.attn_q.weight.lora_b')).toEqual([2, n]);
    expect(tensors.get('blk.1.ffn_down.weight.lora_a')).toEqual([tinyGgufShape.feedForwardLength, 2]);
    expect(tensors.get('blk.1.ffn_down.weight.lora_b')).toEqual([2, n]);
  });

  it('is applied by llama.cpp: it changes the output, and changes nothing at scale 0 or with B = 0', {
    timeout: 120_000,
  }, async () => {
    const adapter = (await writeTinyLoraGguf(path.join(dir, 'tone.gguf'))).file;
    const zero = (await writeTinyLoraGguf(path.join(dir, 'zero.gguf'), { zeroB: true })).file;
    const base = await complete();
    expect(base.length).toBeGreaterThan(0);
    const adapted = await complete({ filePath: adapter, scale: 1 });
    expect(adapted).not.toBe(base);
    expect(await complete({ filePath: adapter, scale: 1 })).toBe(adapted);
    expect(await complete({ filePath: adapter, scale: 0 })).toBe(base);
    expect(await complete({ filePath: zero, scale: 1 })).toBe(base);
  });

  it('is refused by llama.cpp when written for another base model', { timeout: 120_000 }, async () => {
    const wide = (await writeTinyLoraGguf(path.join(dir, 'wide.gguf'), { embeddingLength: 128 })).file;
    await expect(complete({ filePath: wide, scale: 1 })).rejects.toThrow();
    const other = (await writeTinyLoraGguf(path.join(dir, 'qwen.gguf'), { architecture: 'qwen2' })).file;
    await expect(complete({ filePath: other, scale: 1 })).rejects.toThrow();
  });
});
