/**
 * bench/gateway — what Keel's gateway costs over a direct call, beside Portkey's open-source
 * gateway, in one run:
 *   - a fake OpenAI upstream (fixed reply, no delay, JSON and 20-chunk SSE) in its own process;
 *   - direct to it / through Keel (`/v1/chat/completions` → `openai-compatible` provider, with
 *     authentication and usage metering on) / through Portkey (`x-portkey-custom-host`);
 *   - p50/p99 at concurrency 1 (sequential keep-alive requests from this process), req/s at
 *     concurrency 50 (autocannon in its own process), first streamed byte;
 *   - llama.cpp tokens/s through Keel vs node-llama-cpp called directly on the same GGUF.
 * Prints a table and one JSON line. Absolute times on shared machines move ±40%: read the ratios.
 *
 * Usage: npx tsx bench/gateway/run.ts [--quick]
 */
import { Pool } from 'undici';
import { autocannon, type Child, startLlamaDirect, startPortkey, startTsChild } from './processes.js';

const quick = process.argv.includes('--quick');
const sequential = quick ? 300 : 2000;
const warmup = quick ? 50 : 300;
const loadSeconds = quick ? 3 : 8;
const key = 'keel_bench_bootstrap_key_0123456789';

interface Target {
  name: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  model: string;
}

function chatBody(model: string, stream: boolean): string {
  return JSON.stringify({
    model,
    messages: [{ role: 'user', content: 'Say hello to the benchmark.' }],
    stream,
    ...(stream ? {} : {}),
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Sequential requests on one keep-alive connection: latency to the full body (JSON) or to the first byte (SSE). */
async function sequentialLatency(target: Target, stream: boolean): Promise<{ p50: number; p99: number }> {
  const pool = new Pool(target.url, { connections: 1, pipelining: 1 });
  const body = chatBody(target.model, stream);
  const headers = { 'content-type': 'application/json', ...target.headers };
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmup + sequential; i++) {
      const started = performance.now();
      const response = await pool.request({ method: 'POST', path: target.path, headers, body });
      if (response.statusCode !== 200)
        throw new Error(`${target.name}: HTTP ${response.statusCode} ${await response.body.text()}`);
      let elapsed: number | undefined;
      for await (const chunk of response.body) {
        if (stream && elapsed === undefined && (chunk as Buffer).includes('data:'))
          elapsed = performance.now() - started;
      }
      elapsed ??= performance.now() - started;
      if (i >= warmup) samples.push(elapsed);
    }
  } finally {
    await pool.close();
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

/** Generations through Keel's `/v1/completions`; the first `warmup` are not counted. */
async function llamaThroughKeel(
  keelUrl: string,
  maxTokens: number,
  warmup: number,
  runs = 1,
): Promise<number[]> {
  const rates: number[] = [];
  for (let run = 0; run < warmup + runs; run++) {
    const started = performance.now();
    const response = await fetch(`${keelUrl}/v1/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'llamacpp:tiny',
        prompt: 'Once upon a time',
        max_tokens: maxTokens,
        temperature: 0,
      }),
    });
    const result = (await response.json()) as { usage: { completion_tokens: number } };
    const seconds = (performance.now() - started) / 1000;
    if (run >= warmup) rates.push(result.usage.completion_tokens / seconds);
  }
  return rates;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

const children: Child[] = [];
try {
  const upstream = await startTsChild<{ url: string }>('bench/gateway/upstream.ts');
  children.push(upstream);
  const keel = await startTsChild<{ url: string }>('bench/gateway/keel-server.ts', [upstream.info.url, key]);
  children.push(keel);
  const portkey = await startPortkey(18787 + Math.floor(Math.random() * 1000));
  children.push(portkey);

  const targets: Target[] = [
    {
      name: 'direct',
      url: upstream.info.url,
      path: '/v1/chat/completions',
      headers: {},
      model: 'fake-model',
    },
    {
      name: 'keel',
      url: keel.info.url,
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key}` },
      model: 'mock:fake-model',
    },
    {
      name: 'portkey',
      url: portkey.url,
      path: '/v1/chat/completions',
      headers: {
        authorization: 'Bearer unused',
        'x-portkey-provider': 'openai',
        'x-portkey-custom-host': `${upstream.info.url}/v1`,
      },
      model: 'fake-model',
    },
  ];

  const results: Record<string, Record<string, number>> = {};
  for (const target of targets) {
    const json1 = await sequentialLatency(target, false);
    const sse1 = await sequentialLatency(target, true);
    const headers = { 'content-type': 'application/json', ...target.headers };
    const json50 = await autocannon({
      url: target.url + target.path,
      connections: 50,
      seconds: loadSeconds,
      body: chatBody(target.model, false),
      headers,
    });
    const sse50 = await autocannon({
      url: target.url + target.path,
      connections: 50,
      seconds: loadSeconds,
      body: chatBody(target.model, true),
      headers,
    });
    results[target.name] = {
      json_c1_p50_ms: round(json1.p50),
      json_c1_p99_ms: round(json1.p99),
      sse_first_byte_p50_ms: round(sse1.p50),
      sse_first_byte_p99_ms: round(sse1.p99),
      json_c50_rps: Math.round(json50.requests.average),
      json_c50_p50_ms: json50.latency.p50,
      json_c50_p99_ms: json50.latency.p99,
      json_c50_errors: json50.errors + json50.non2xx,
      sse_c50_rps: Math.round(sse50.requests.average),
      sse_c50_errors: sse50.errors + sse50.non2xx,
    };
  }

  // Generation long enough to swamp HTTP costs, alternating direct and Keel runs so that both
  // see the same machine.
  const maxTokens = 1500;
  const runs = quick ? 3 : 8;
  const direct = await startLlamaDirect(maxTokens);
  children.push(direct);
  await llamaThroughKeel(keel.info.url, maxTokens, 1, 0);
  const directRates: number[] = [];
  const keelRates: number[] = [];
  for (let run = 0; run < runs; run++) {
    directRates.push(await direct.generate());
    keelRates.push(...(await llamaThroughKeel(keel.info.url, maxTokens, 0, 1)));
  }
  const directRate = median(directRates);
  const keelRate = median(keelRates);

  const keelR = results.keel!;
  const directR = results.direct!;
  const portkeyR = results.portkey!;
  const summary = {
    keel_added_p50_ms_json_c1: round(keelR.json_c1_p50_ms! - directR.json_c1_p50_ms!),
    portkey_added_p50_ms_json_c1: round(portkeyR.json_c1_p50_ms! - directR.json_c1_p50_ms!),
    keel_added_first_byte_ms: round(keelR.sse_first_byte_p50_ms! - directR.sse_first_byte_p50_ms!),
    portkey_added_first_byte_ms: round(portkeyR.sse_first_byte_p50_ms! - directR.sse_first_byte_p50_ms!),
    keel_over_portkey_rps_json_c50: round(keelR.json_c50_rps! / portkeyR.json_c50_rps!, 2),
    keel_over_portkey_rps_sse_c50: round(keelR.sse_c50_rps! / portkeyR.sse_c50_rps!, 2),
    keel_over_direct_rps_json_c50: round(keelR.json_c50_rps! / directR.json_c50_rps!, 2),
    llamacpp_tokens_per_s_direct: Math.round(directRate),
    llamacpp_tokens_per_s_keel: Math.round(keelRate),
    llamacpp_keel_over_direct: round(keelRate / directRate, 3),
  };
  const targetsMet = {
    added_p50_le_0_5ms: summary.keel_added_p50_ms_json_c1 <= 0.5,
    added_first_byte_le_1ms: summary.keel_added_first_byte_ms <= 1,
    rps_ge_5x_portkey: summary.keel_over_portkey_rps_json_c50 >= 5,
    llamacpp_ge_95pct: summary.llamacpp_keel_over_direct >= 0.95,
  };

  const columns = Object.keys(directR);
  const pad = (text: string, width: number) => text.padEnd(width);
  process.stdout.write(`\n${pad('metric', 26)}${targets.map((target) => pad(target.name, 12)).join('')}\n`);
  for (const column of columns) {
    process.stdout.write(
      `${pad(column, 26)}${targets.map((target) => pad(String(results[target.name]![column]), 12)).join('')}\n`,
    );
  }
  process.stdout.write('\n');
  for (const [name, value] of Object.entries(summary)) process.stdout.write(`${pad(name, 34)}${value}\n`);
  for (const [name, value] of Object.entries(targetsMet))
    process.stdout.write(`${pad(`target ${name}`, 34)}${value ? 'met' : 'MISSED'}\n`);
  process.stdout.write(
    `${JSON.stringify({ bench: 'gateway', quick, results, summary, targets: targetsMet })}\n`,
  );
} finally {
  await Promise.all(children.map((child) => child.stop()));
}
