/**
 * LoRA adapter serving cost on llama.cpp (threads: 1): greedy generation on the tiny GGUF through
 * the provider, the base model against `tiny+<adapter>` (a rank-8 LoRA on q, v, up and down of both
 * layers), runs interleaved so that machine load hits both alike; and the first call of an adapter
 * (SHA-256 check and the adapted context) against a later one. The tiny model is small, so the
 * adapter's share of the work is larger than on a real model: read the ratio as an upper bound.
 *
 *   npx tsx bench/tuning/adapters.ts   (KEEL_BENCH_ROUNDS, default 8; KEEL_BENCH_TOKENS, default 64)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { hashFile } from '../../src/models/index.js';
import { createLlamaCppProvider } from '../../src/models/providers/llamacpp/index.js';
import type { ResolvedAdapter } from '../../src/spec/adapter-source.js';
import type { LanguageModelCallOptions } from '../../src/spec/language-model.js';
import { ensureTinyGguf } from '../../src/testing/tiny-gguf.js';
import { writeTinyLoraGguf } from '../../src/testing/tiny-lora-gguf.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const ROUNDS = Number(process.env.KEEL_BENCH_ROUNDS ?? 8);
const TOKENS = Number(process.env.KEEL_BENCH_TOKENS ?? 64);

const dir = await mkdtemp(path.join(tmpdir(), 'keel-adapter-bench-'));
await ensureTinyGguf(dir);
const adapters = new Map<string, ResolvedAdapter>();
for (const name of ['tone', 'fresh']) {
  const { file } = await writeTinyLoraGguf(path.join(dir, 'adapters', `${name}.gguf`), { rank: 8, seed: 1 });
  adapters.set(name, { key: name, file, sha256: await hashFile(file), scale: 1 });
}
const provider = createLlamaCppProvider({ modelsDir: dir, threads: 1, contextSize: 512, sequences: 1 });
provider.setAdapterSource({
  specificationVersion: 'v1',
  resolve: async ({ adapter }) => adapters.get(adapter)!,
});
const call: LanguageModelCallOptions = {
  prompt: { type: 'text', text: 'Write a long story about a lighthouse keeper.' },
  parameters: { temperature: 0, maxNewTokens: TOKENS, minNewTokens: TOKENS },
  context: { projectId: 'bench', keyId: null, endpoint: 'bench' },
};

async function timed(model: string): Promise<{ ms: number; tokens: number }> {
  const started = performance.now();
  const result = await provider.languageModel(model).doGenerate(call);
  return { ms: performance.now() - started, tokens: result.usage.outputTokens };
}

try {
  await timed('tiny'); // load the base model
  const firstAdapter = await timed('tiny+tone');
  const laterAdapter = await timed('tiny+tone');
  const totals = { base: { ms: 0, tokens: 0 }, adapter: { ms: 0, tokens: 0 } };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [key, model] of [
      ['base', 'tiny'],
      ['adapter', 'tiny+tone'],
    ] as const) {
      const run = await timed(model);
      totals[key].ms += run.ms;
      totals[key].tokens += run.tokens;
    }
  }
  const rate = (t: { ms: number; tokens: number }) => (t.tokens / t.ms) * 1000;
  const figures = {
    base_tokens_per_s: Math.round(rate(totals.base)),
    adapter_tokens_per_s: Math.round(rate(totals.adapter)),
    adapter_over_base: Number((rate(totals.adapter) / rate(totals.base)).toFixed(3)),
    first_adapter_call_ms: Math.round(firstAdapter.ms),
    later_adapter_call_ms: Math.round(laterAdapter.ms),
    rounds: ROUNDS,
    tokens_per_call: TOKENS,
    load_average: Number(loadavg()[0]!.toFixed(1)),
  };
  log('| figure | value |');
  log('|---|---|');
  for (const [key, value] of Object.entries(figures)) log(`| ${key} | ${value} |`);
  log(JSON.stringify({ bench: 'tuning/adapters', ...figures }));
} finally {
  await provider.close();
  await rm(dir, { recursive: true, force: true });
}
