import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getLlama, LlamaLogLevel, readGgufFileInfo, resolveChatWrapper } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTinyGguf,
  buildTinyVocabulary,
  byteToUnicode,
  ensureTinyGguf,
  tinyGgufChatTemplate,
  tinyGgufShape,
  writeTinyGguf,
} from './tiny-gguf.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keel-tiny-gguf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tiny GGUF', () => {
  it('is deterministic for a seed, small, and starts with the GGUF v3 header', () => {
    const first = buildTinyGguf({ seed: 5 });
    expect(Buffer.compare(Buffer.from(first), Buffer.from(buildTinyGguf({ seed: 5 })))).toBe(0);
    expect(Buffer.compare(Buffer.from(first), Buffer.from(buildTinyGguf({ seed: 6 })))).not.toBe(0);
    expect(first.length).toBeLessThan(400 * 1024);
    expect(new TextDecoder().decode(first.subarray(0, 4))).toBe('GGUF');
    expect(new DataView(first.buffer).getUint32(4, true)).toBe(3);
  });

  it('maps all 256 bytes to distinct printable characters, as GPT-2 does', () => {
    const table = byteToUnicode();
    expect(new Set(table).size).toBe(256);
    expect(table[0x20]).toBe('Ġ');
    expect(table[0x0a]).toBe('Ċ');
    expect(table[0x41]).toBe('A');
  });

  it('has byte tokens, merges whose results are tokens, and the special tokens', () => {
    const vocabulary = buildTinyVocabulary();
    expect(new Set(vocabulary.tokens).size).toBe(vocabulary.tokens.length);
    expect(vocabulary.merges.length).toBeGreaterThan(20);
    for (const merge of vocabulary.merges) expect(vocabulary.tokens).toContain(merge.replace(' ', ''));
    expect(vocabulary.tokens.slice(vocabulary.bos)).toEqual(['<s>', '</s>', '<|im_start|>', '<|im_end|>']);
  });

  it('declares the llama shape, tokenizer and chat template in its metadata', async () => {
    const { file } = await writeTinyGguf(path.join(dir, 'meta.gguf'), {
      contextLength: 1024,
      name: 'meta-test',
    });
    const info = await readGgufFileInfo(file, { logWarnings: false });
    const metadata = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(metadata.general).toMatchObject({ architecture: 'llama', name: 'meta-test' });
    expect(metadata.llama).toMatchObject({
      context_length: 1024,
      embedding_length: tinyGgufShape.embeddingLength,
      block_count: tinyGgufShape.blockCount,
      feed_forward_length: tinyGgufShape.feedForwardLength,
      attention: { head_count: tinyGgufShape.headCount, head_count_kv: tinyGgufShape.headCountKv },
    });
    expect(metadata.tokenizer).toMatchObject({ chat_template: tinyGgufChatTemplate });
    expect((metadata.tokenizer as { ggml: { model: string } }).ggml.model).toBe('gpt2');
    expect(info.tensorInfo).toHaveLength(2 + tinyGgufShape.blockCount * 9);
  });

  it('writes once per directory', async () => {
    const file = await ensureTinyGguf(dir);
    const before = (await stat(file)).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await ensureTinyGguf(dir)).toBe(file);
    expect((await stat(file)).mtimeMs).toBe(before);
  });

  it('loads in llama.cpp with a tokenizer that round-trips any UTF-8 and a ChatML template', async () => {
    const llama = await getLlama({
      gpu: false,
      maxThreads: 1,
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.error,
      logger: () => undefined,
    });
    try {
      const model = await llama.loadModel({ modelPath: await ensureTinyGguf(dir), vocabOnly: true });
      for (const sample of ['안녕하세요, 세계!', 'Grüße 👋 — ok', '{"a": [1, 2]}\n\tend']) {
        const tokens = model.tokenize(sample);
        expect(model.detokenize(tokens)).toBe(sample);
      }
      expect(model.tokenize('<|im_end|>', true)).toHaveLength(1);
      expect(model.isEogToken(model.tokenize('<|im_end|>', true)[0])).toBe(true);
      expect(resolveChatWrapper(model).wrapperName).toBe('ChatML');
      await model.dispose();
    } finally {
      await llama.dispose();
    }
  });
});
