/**
 * The anchor for llama.cpp throughput: node-llama-cpp called directly on the same GGUF with the
 * same settings Keel uses (one thread, greedy, the same context size): tokenize, then
 * `sequence.evaluate` token by token, detokenising as it goes — the least a caller can do.
 * Runs in its own process and generates once per line read on stdin (printing the rate), so the
 * benchmark can alternate it with Keel and both see the same machine.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { getLlama } from 'node-llama-cpp';
import { ensureTinyGguf } from '../../src/testing/tiny-gguf.js';

const maxTokens = Number(process.argv[2] ?? 1500);
const dir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-llama-'));
const file = await ensureTinyGguf(dir, { fileName: 'tiny.gguf' });
const llama = await getLlama({ gpu: false, maxThreads: 1, logger: () => {} });
const model = await llama.loadModel({ modelPath: file });
const context = await model.createContext({ contextSize: 2048, threads: 1 });
const sequence = context.getSequence();

async function generateOnce(): Promise<number> {
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
  if (text.length === 0) throw new Error('nothing generated');
  return generated / ((performance.now() - started) / 1000);
}

await generateOnce();
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'quit') break;
  process.stdout.write(`${JSON.stringify({ tokensPerSecond: await generateOnce() })}\n`);
}
await context.dispose();
await model.dispose();
process.exit(0);
