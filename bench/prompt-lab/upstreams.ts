/**
 * bench/prompt-lab upstreams: fake OpenAI-compatible servers in their own process, so they do
 * not share an event loop with the Keel being measured — one that answers at once (overhead), and
 * one per latency for the compare benchmark. Prints one JSON line with their URLs.
 *
 * Usage: npx tsx bench/prompt-lab/upstreams.ts 25 50 75 100
 */
import { startFakeOpenAI } from '../../src/testing/fake-upstreams/index.js';

const reply =
  'Keel benchmark reply: a fixed answer of about twenty words so that every call does the same amount of work.';
const delays = process.argv.slice(2).map(Number);
const immediate = await startFakeOpenAI({ reply, record: false, models: ['bench-model'] });
const delayed = await Promise.all(
  delays.map((delayMs) =>
    startFakeOpenAI({ reply, record: false, models: ['bench-model'], firstByteDelayMs: delayMs }),
  ),
);
process.stdout.write(
  `${JSON.stringify({ immediate: immediate.url, delayed: delayed.map((upstream, index) => ({ url: upstream.url, delayMs: delays[index] })) })}\n`,
);
process.on(
  'SIGTERM',
  () =>
    void Promise.all([immediate, ...delayed].map((upstream) => upstream.close())).then(() => process.exit(0)),
);
