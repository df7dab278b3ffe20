/**
 * The anchor for llama.cpp throughput: node-llama-cpp called directly on the same GGUF with the
 * same settings Keel uses (one thread, greedy, the same context size): tokenize, then
 * `sequence.evaluate` token by token, detokenising as it goes — the least a caller can do.
 * Runs in its own process.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { ensureTinyGguf } from '../../src/testing/tiny-gguf.js';

const [tokensArg, runsArg] = process.argv.slice(2);
const maxTokens = Number(tokensArg ?? 512);
const runs = Number(runsArg ?? 5);
const dir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-llama-'));
const file = await ensureTinyGguf(dir, { fileName: 'tiny.gguf' });
const llama = await getLlama({ gpu: false, maxThreads: 1, logger: () => {} });
const model = await llama.loadModel({ modelPath: file });
const context = await model.createContext({ contextSize: 2048, threads: 1 });
const sequence = context.getSequence();
const rates: number[] = [];
for (let run = 0; run < runs + 1; run++) {
  await sequence.clearHistory();
  const started = performance.now();
  const prompt = model.tokenize('Once upon a time', true);
  let generated = 0;
  let text = '';
  for await (const token of sequence.evaluate(prompt, { temperature: 0 })) {
    generated++;
    text += model.detokenize([token]);
    if (generated >= maxTokens) break;
  }
  const seconds = (performance.now() - started) / 1000;
  if (run > 0) rates.push(generated / seconds);
  if (text.length === 0) throw new Error('nothing generated');
}
process.stdout.write(`${JSON.stringify({ tokensPerSecond: rates })}\n`);
await context.dispose();
await model.dispose();
process.exit(0);
