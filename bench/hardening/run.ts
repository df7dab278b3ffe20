/**
 * @module bench/hardening/run
 * Does one large request stall the server? A worker thread polls `GET /health` on a listening
 * Keel (its own event loop, so its clock runs while the server's is blocked) while the main
 * thread serves, one at a time:
 * - nothing (the baseline);
 * - a 10 MB `/ml/v1/text/tokenization` body (refused with 413 from its Content-Length);
 * - a tokenization of KEEL_BENCH_MB (default 1) MB on llama.cpp (the tiny generated GGUF), sliced;
 * - the anchor: the same text tokenized by ONE native call in the server process, as before;
 * - an embedding of the same text with the built-in hashing embedder (sliced).
 * Reports /health p50/p99/max during each and the ratio of its p99 to the baseline's p99.
 * Target: p99 under 100 ms. Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/hardening/run.ts        (KEEL_BENCH_MB=<n> for another size)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { silentLogger } from '../../src/core/logger.js';
import { createHashingProvider } from '../../src/models/providers/hashing/index.js';
import { createLlamaCppProvider } from '../../src/models/providers/llamacpp/index.js';
import { attachSharedLlama } from '../../src/models/providers/llamacpp/shared-llama.js';
import { listen } from '../../src/server/listen.js';
import { createEchoProvider } from '../../src/testing/echo-provider.js';
import { createTestKeel } from '../../src/testing/test-keel.js';
import { ensureTinyGguf } from '../../src/testing/tiny-gguf.js';

const MEGABYTES = Number(process.env.KEEL_BENCH_MB ?? 1);
const log = (line: string) => process.stdout.write(`${line}\n`);

// The poller: sequential GETs, one every 5 ms, recording the latency of each between a 'start'
// and a 'stop' message; a few warm-up requests first (the worker's first fetch is slow).
const pollerSource = `
const { parentPort, workerData } = require('node:worker_threads');
let recording = false;
let latencies = [];
parentPort.on('message', (message) => {
  if (message === 'start') { latencies = []; recording = true; }
  else if (message === 'stop') { recording = false; parentPort.postMessage(latencies); }
  else if (message === 'exit') process.exit(0);
});
(async () => {
  for (let i = 0; i < 5; i++) await (await fetch(workerData.url + '/health')).arrayBuffer();
  parentPort.postMessage('ready');
  for (;;) {
    const started = performance.now();
    try { await (await fetch(workerData.url + '/health')).arrayBuffer(); } catch {}
    if (recording) latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
})();
`;

// The client: sends one request per message, building its large text itself, so that neither
// building nor uploading the body runs on the server's thread.
const clientSource = `
const { parentPort, workerData } = require('node:worker_threads');
parentPort.on('message', async ({ route, body, fill }) => {
  if (fill) {
    const text = fill.unit.repeat(Math.ceil(fill.bytes / Buffer.byteLength(fill.unit)));
    body[fill.key] = fill.key === 'inputs' ? [text] : text;
  }
  try {
    const res = await fetch(workerData.url + route, { method: 'POST', headers: workerData.headers, body: JSON.stringify(body) });
    await res.arrayBuffer();
    parentPort.postMessage(res.status);
  } catch (error) {
    parentPort.postMessage(String(error));
  }
});
`;

interface Figures {
  scenario: string;
  status: number | string;
  seconds: number;
  polls: number;
  p50: number;
  p99: number;
  max: number;
}

async function startPoller(url: string): Promise<Worker> {
  const worker = new Worker(pollerSource, { eval: true, workerData: { url } });
  await new Promise((resolve) => worker.once('message', resolve));
  return worker;
}

async function duringHealth(
  poller: Worker,
  scenario: string,
  work: () => Promise<number | string>,
): Promise<Figures> {
  poller.postMessage('start');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const started = performance.now();
  const status = await work();
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 50));
  const latencies: number[] = await new Promise((resolve) => {
    poller.once('message', resolve);
    poller.postMessage('stop');
  });
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
  return {
    scenario,
    status,
    seconds,
    polls: latencies.length,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? 0,
  };
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-hardening-'));
  await ensureTinyGguf(dir, { fileName: 'tiny.gguf' });
  const keel = await createTestKeel({
    providers: [
      createEchoProvider(),
      createHashingProvider(),
      createLlamaCppProvider({ modelsDir: dir, threads: 1, contextSize: 256, sequences: 1 }),
    ],
  });
  const server = await listen(keel.app);
  const client = new Worker(clientSource, {
    eval: true,
    workerData: {
      url: server.url,
      headers: { authorization: `Bearer ${keel.adminKey}`, 'content-type': 'application/json' },
    },
  });
  const post = (route: string, body: Record<string, unknown>, fill?: { key: string; bytes: number }) =>
    new Promise<number | string>((resolve) => {
      client.once('message', resolve);
      client.postMessage({ route, body, fill: fill ? { ...fill, unit: sentence } : undefined });
    });
  const sentence = 'Keel tokenizes 한국어 and English text, line after line.\n';
  const bytes = MEGABYTES * 1024 * 1024;
  const text = sentence.repeat(Math.ceil(bytes / Buffer.byteLength(sentence)));
  const tokenization = '/ml/v1/text/tokenization?version=2024-05-31';
  await post(tokenization, { model_id: 'llamacpp:tiny', input: 'warm up' });

  // The anchor tokenizes in the server's process with one native call, as the route did before.
  const shared = await attachSharedLlama({ gpu: 'off', threads: 1, logger: silentLogger });
  const native = await shared.llama.loadModel({ modelPath: path.join(dir, 'tiny.gguf') });

  const poller = await startPoller(server.url);
  const rows: Figures[] = [];
  rows.push(
    await duringHealth(poller, 'idle (baseline)', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return '-';
    }),
  );
  rows.push(
    await duringHealth(poller, '10 MB tokenization body', () =>
      post(tokenization, { model_id: 'llamacpp:tiny' }, { key: 'input', bytes: 10 * 1024 * 1024 }),
    ),
  );
  rows.push(
    await duringHealth(poller, `${MEGABYTES} MB tokenization (sliced)`, () =>
      post(tokenization, { model_id: 'llamacpp:tiny' }, { key: 'input', bytes }),
    ),
  );
  rows.push(
    await duringHealth(poller, `${MEGABYTES} MB one native call (anchor)`, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return native.tokenize(text, true).length > 0 ? 'ok' : 'empty';
    }),
  );
  rows.push(
    await duringHealth(poller, `${MEGABYTES} MB hashing embedding (sliced)`, () =>
      post(
        '/ml/v1/text/embeddings?version=2024-05-31',
        { model_id: 'hashing:ngram-v1' },
        { key: 'inputs', bytes },
      ),
    ),
  );

  const baseline = rows[0]!.p99 || 1;
  log('scenario                               status  seconds  polls  p50 ms  p99 ms  max ms  p99/baseline');
  for (const row of rows) {
    log(
      `${row.scenario.padEnd(38)} ${String(row.status).padStart(6)} ${row.seconds.toFixed(2).padStart(8)} ${String(row.polls).padStart(6)} ${row.p50.toFixed(1).padStart(7)} ${row.p99.toFixed(1).padStart(7)} ${row.max.toFixed(1).padStart(7)} ${(row.p99 / baseline).toFixed(1).padStart(13)}`,
    );
  }
  log(
    JSON.stringify({
      bench: 'hardening',
      megabytes: MEGABYTES,
      targetP99Ms: 100,
      scenarios: rows.map((row) => ({
        scenario: row.scenario,
        status: row.status,
        seconds: Number(row.seconds.toFixed(3)),
        healthP50Ms: Number(row.p50.toFixed(2)),
        healthP99Ms: Number(row.p99.toFixed(2)),
        healthMaxMs: Number(row.max.toFixed(2)),
        p99OverBaseline: Number((row.p99 / baseline).toFixed(2)),
      })),
    }),
  );
  await poller.terminate();
  await client.terminate();
  await native.dispose();
  shared.detach();
  await server.close(100);
  await keel.close();
  await rm(dir, { recursive: true, force: true });
}

await main();
