/**
 * Fitting the answer prompt to the model's context window, and what counts as answered: unit
 * checks of fitContexts, then the whole ask path on the tiny GGUF with a small window (llama.cpp's
 * own tokenizer counts, and the tiny model's nonsense cites nothing).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppProvider } from '../../models/providers/llamacpp/index.js';
import { sdkClient } from '../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { ensureTinyGguf } from '../../testing/tiny-gguf.js';
import type { RetrievedChunk } from '../retrieval/retrieve.js';
import { answerPromptText, CHAT_OVERHEAD_TOKENS, estimateTokens, fitContexts } from './answer.js';
import { parseCollectionConfig } from './collection-store.js';

const config = parseCollectionConfig({});
const passage = (id: string, words: number): RetrievedChunk =>
  ({
    chunk: {
      id,
      documentId: `doc-${id}`,
      text: Array.from({ length: words }, (_, i) => `warranty${i}`).join(' '),
      metadata: { document: `${id}.md` },
    },
    score: 1,
    scores: {},
  }) as unknown as RetrievedChunk;

const words = async (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('fitContexts', () => {
  const contexts = [passage('a', 100), passage('b', 100), passage('c', 100), passage('d', 100)];

  it('keeps everything when the window is unknown or large enough', async () => {
    const unknown = await fitContexts('warranty?', contexts, config, {
      window: undefined,
      answerTokens: 512,
    });
    expect(unknown.kept).toHaveLength(4);
    expect(unknown.dropped).toEqual([]);
    const large = await fitContexts('warranty?', contexts, config, {
      window: 100_000,
      answerTokens: 512,
      count: words,
    });
    expect(large.dropped).toEqual([]);
    expect(large.counted).toBe('tokenizer');
  });

  it('drops the lowest-ranked passages first until the prompt and the answer fit', async () => {
    const skeleton = await words(answerPromptText('warranty?', [], config));
    // Room for the template, two passages of ~103 words and the answer: not three.
    const window = skeleton + 2 * 104 + 10 + 64 + CHAT_OVERHEAD_TOKENS;
    const fitted = await fitContexts('warranty?', contexts, config, {
      window,
      answerTokens: 64,
      count: words,
    });
    expect(fitted.kept.map((c) => c.chunk.id)).toEqual(['a', 'b']);
    expect(fitted.dropped.map((d) => [d.chunk.chunk.id, d.rank])).toEqual([
      ['c', 3],
      ['d', 4],
    ]);
    expect(fitted.promptTokens + 64 + CHAT_OVERHEAD_TOKENS).toBeLessThanOrEqual(window);
  });

  it('drops every passage when not even the first fits', async () => {
    const fitted = await fitContexts('warranty?', contexts, config, {
      window: 200,
      answerTokens: 64,
      count: words,
    });
    expect(fitted.kept).toEqual([]);
    expect(fitted.dropped).toHaveLength(4);
  });

  it('estimates high without a tokenizer (Korean at a token a syllable)', () => {
    expect(estimateTokens('abcdef')).toBe(2);
    expect(estimateTokens('보증 기간')).toBe(5);
    expect(estimateTokens('😀')).toBe(1);
  });
});

describe('ask on the tiny GGUF with a small context window', () => {
  let keel: TestKeel;
  let modelsDir: string;

  beforeAll(async () => {
    modelsDir = await mkdtemp(path.join(tmpdir(), 'keel-answer-window-'));
    await ensureTinyGguf(modelsDir, { fileName: 'tiny.gguf' });
    keel = await createTestKeel({
      providers: [createLlamaCppProvider({ modelsDir, threads: 1, contextSize: 512, sequences: 1 })],
    });
  }, 120_000);
  afterAll(async () => {
    await keel?.close();
    await rm(modelsDir, { recursive: true, force: true });
  });

  it('leaves out what does not fit, says so, and does not report an answer without citations as answered', async () => {
    const sdk = sdkClient(keel);
    await sdk.rag.create({
      name: 'small',
      config: {
        chunker: { strategy: 'fixed', size: 600, overlap: 0 },
        answer: { model: 'llamacpp:tiny', max_new_tokens: 8 },
      },
    });
    const text = (topic: string) =>
      Array.from(
        { length: 3 },
        (_, i) => `The warranty period for ${topic} part ${i} is two years from the date of purchase.`,
      ).join(' ');
    const added = await sdk.rag.addDocuments('small', [
      { name: 'one.txt', text: text('engines') },
      { name: 'two.txt', text: text('wheels') },
      { name: 'three.txt', text: text('doors') },
      { name: 'four.txt', text: text('seats') },
    ]);
    await sdk.rag.waitForJob('small', added.job!.id);

    const result = await sdk.rag.ask('small', { question: 'What is the warranty period?', top_k: 4 });
    expect(result.contexts.length, JSON.stringify(result.warnings)).toBeGreaterThan(0);
    expect(result.dropped.length).toBeGreaterThan(0);
    expect(result.contexts.length + result.dropped.length).toBe(4);
    expect(result.dropped[0]!.rank).toBe(result.contexts.length + 1);
    expect(result.warnings.map((w) => w.code)).toContain('context_window');
    expect(result.warnings.find((w) => w.code === 'context_window')?.message).toMatch(/tokenizer/);
    // The tiny model writes nonsense with no [n] markers.
    expect(result.citations).toEqual([]);
    expect(result).toMatchObject({ status: 'unsupported', answered: false });
    expect(result.warnings.map((w) => w.code)).toContain('no_citations');
  });
});
