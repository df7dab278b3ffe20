/**
 * The zero-shot baseline: the tiny random-weight GGUF (the one the test suite writes) on llama.cpp,
 * asked each question greedily for a few tokens; the answer is the first label named in its
 * output, and an answer naming none counts as wrong (its share is reported). A random-weight model
 * is expected to land at or below chance: it is the floor a head must clear, not a competitor.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLlamaCppProvider } from '../../src/models/providers/llamacpp/index.js';
import { ensureTinyGguf } from '../../src/testing/tiny-gguf.js';
import type { LabelledText } from '../../src/tuning/index.js';

export interface ZeroShot {
  predictions: string[];
  unparsed: number;
  seconds: number;
}

export async function withTinyModel<T>(
  run: (ask: (prompt: string) => Promise<string>) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tuning-bench-tiny-'));
  await ensureTinyGguf(dir);
  const provider = createLlamaCppProvider({
    modelsDir: dir,
    threads: 1,
    contextSize: 1024,
    sequences: 1,
    maxLoadedModels: 1,
    idleUnloadSeconds: 600,
  });
  try {
    const model = provider.languageModel('tiny');
    return await run(async (prompt) => {
      const result = await model.doGenerate({
        prompt: { type: 'text', text: prompt },
        parameters: { decodingMethod: 'greedy', maxNewTokens: 6 },
      });
      return result.text;
    });
  } finally {
    await provider.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Labels longest first, so `non-hateful` is found before `hateful`. */
export async function zeroShot(
  ask: (prompt: string) => Promise<string>,
  items: LabelledText[],
  labels: string[],
  prompt: (item: LabelledText) => string,
): Promise<ZeroShot> {
  const byLength = [...labels].sort((a, b) => b.length - a.length);
  const started = performance.now();
  let unparsed = 0;
  const predictions: string[] = [];
  for (const item of items) {
    const answer = (await ask(prompt(item))).toLowerCase();
    const found = byLength.find((label) => answer.includes(label.toLowerCase()));
    if (!found) unparsed++;
    predictions.push(found ?? '(none)');
  }
  return { predictions, unparsed, seconds: (performance.now() - started) / 1000 };
}
