/**
 * bench/gateway — what Keel's gateway costs over a direct call, beside Portkey's open-source
 * gateway, in one run:
 *   - a fake OpenAI upstream (fixed reply, no delay, JSON and 20-chunk SSE) in its own process;
 *   - direct to it / through a bare `node:http` keep-alive forwarding proxy (the floor for any
 *     Node gateway) / through Keel (`/v1/chat/completions` → `openai-compatible` provider, with
 *     authentication and usage metering on) / through Portkey (`x-portkey-custom-host`);
 *   - again with a 1 KB input, direct / bare / Keel with a project `default` policy that masks
 *     PII both ways and screens the input for injection;
 *   - p50/p99 at concurrency 1 (sequential keep-alive requests from this process), req/s at
 *     concurrency 50 (autocannon in its own process), first streamed byte;
 *   - llama.cpp tokens/s through Keel vs node-llama-cpp called directly on the same GGUF.
 *   - Keel taken apart (bench/gateway/layers-server.mjs): node:http + undici; the `floor` — the
 *     spine's per-call duties (key lookup, schema validation, a persisted usage row, a metric)
 *     with no framework; node:http + Keel's generation service, a one-route Hono app + the generation service — so the table shows what
 *     each layer costs; and every target's CPU time per request at concurrency 50 (its whole
 *     process tree, database thread included), which holds up better than req/s on a busy machine.
 * Prints a table and one JSON line. Absolute times on shared machines move ±40%: read the ratios.
 *
 * Usage: npx tsx bench/gateway/run.ts [--quick]
 */
import { execFileSync } from 'node:child_process';
import { Pool } from 'undici';
import {
  autocannon,
  type Child,
  cpuMs,
  root,
  startJsonChild,
  startLlamaDirect,
  startPortkey,
  startTsChild,
} from './processes.js';

/** Creates (body) or removes (null) the default guardrail policy of Keel's default project. */
async function setDefaultPolicy(keelUrl: string, body: unknown): Promise<void> {
  const response = await fetch(`${keelUrl}/api/v1/guardrails/policies/default`, {
    method: body === null ? 'DELETE' : 'PUT',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === null ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`policy: HTTP ${response.status} ${await response.text()}`);
  await response.arrayBuffer().catch(() => undefined);
}

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
  /** The user message; a short greeting by default. */
  content?: string;
  /** The serving process, for its CPU time per request. */
  pid?: number | undefined;
  /** Serves JSON only (the layer targets). */
  jsonOnly?: boolean;
}

/** About 1 KB of ordinary text with some PII in it (masked by the policy), no injection. */
const oneKilobyte = (() => {
  const sentence =
    '고객 김민수 님의 연락처는 010-2345-6789 이고 메일은 kim@example.com 입니다. Please summarise the order history for the quarterly report. ';
  let text = '';
  while (Buffer.byteLength(text) < 1024) text += sentence;
  return text;
})();

function chatBody(model: string, stream: boolean, content = 'Say hello to the benchmark.'): string {
  return JSON.stringify({ model, messages: [{ role: 'user', content }], stream });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Sequential requests on one keep-alive connection: latency to the full body (JSON) or to the first byte (SSE). */
async function sequentialLatency(target: Target, stream: boolean): Promise<{ p50: number; p99: number }> {
  const pool = new Pool(target.url, { connections: 1, pipelining: 1 });
  const body = chatBody(target.model, stream, target.content);
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

// Keel runs as `npm start` runs it, from dist/ (built here when older than the sources), not
// through a TypeScript loader.
execFileSync(process.execPath, ['scripts/build.mjs', '--if-needed'], { cwd: root, stdio: ['ignore', 2, 2] });

const children: Child[] = [];
try {
  const upstream = await startTsChild<{ url: string }>('bench/gateway/upstream.ts');
  children.push(upstream);
  // A fresh embedded database is migrated at start: slow on a busy machine.
  const keel = await startJsonChild<{ url: string }>(
    process.execPath,
    ['bench/gateway/keel-server.mjs', upstream.info.url, key],
    240_000,
  );
  children.push(keel);
  const portkey = await startPortkey(18787 + Math.floor(Math.random() * 1000));
  children.push(portkey);
  const bare = await startTsChild<{ url: string }>('bench/gateway/bare-proxy.ts', [upstream.info.url]);
  children.push(bare);
  const layerModes = ['raw-undici', 'floor', 'raw-generation', 'hono-generation'] as const;
  const layers = [];
  for (const mode of layerModes) {
    const layer = await startJsonChild<{ url: string }>(
      process.execPath,
      ['bench/gateway/layers-server.mjs', upstream.info.url, mode],
      240_000,
    );
    children.push(layer);
    layers.push({ mode, layer });
  }

  const targets: Target[] = [
    {
      name: 'direct',
      url: upstream.info.url,
      path: '/v1/chat/completions',
      headers: {},
      model: 'fake-model',
      pid: upstream.process.pid,
    },
    {
      name: 'bare',
      url: bare.info.url,
      path: '/v1/chat/completions',
      headers: {},
      model: 'fake-model',
      pid: bare.process.pid,
    },
    {
      name: 'keel',
      url: keel.info.url,
      path: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key}` },
      model: 'mock:fake-model',
      pid: keel.process.pid,
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
      pid: portkey.process.pid,
    },
    ...layers.map(({ mode, layer }) => ({
      name: mode.replace('-', '_'),
      url: layer.info.url,
      path: '/v1/chat/completions',
      headers: { authorization: 'Bearer layers-key' },
      model: 'mock:fake-model',
      pid: layer.process.pid,
      jsonOnly: true,
    })),
  ];

  const policyTargets: Target[] = [
    { ...targets[0]!, name: 'direct_1k', content: oneKilobyte },
    { ...targets[1]!, name: 'bare_1k', content: oneKilobyte },
    { ...targets[2]!, name: 'keel_policy_1k', content: oneKilobyte },
  ];

  const results: Record<string, Record<string, number>> = {};
  const measure = async (target: Target) => {
    const json1 = await sequentialLatency(target, false);
    const sse1 = target.jsonOnly
      ? { p50: Number.NaN, p99: Number.NaN }
      : await sequentialLatency(target, true);
    const headers = { 'content-type': 'application/json', ...target.headers };
    const cpuBefore = cpuMs(target.pid);
    const json50 = await autocannon({
      url: target.url + target.path,
      connections: 50,
      seconds: loadSeconds,
      body: chatBody(target.model, false, target.content),
      headers,
    });
    const cpuPerRequestUs = ((cpuMs(target.pid) - cpuBefore) * 1000) / Math.max(1, json50.requests.total);
    const sse50 = target.jsonOnly
      ? { requests: { average: Number.NaN }, errors: 0, non2xx: 0 }
      : await autocannon({
          url: target.url + target.path,
          connections: 50,
          seconds: loadSeconds,
          body: chatBody(target.model, true, target.content),
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
      json_c50_cpu_us_per_request: Math.round(cpuPerRequestUs),
      sse_c50_rps: Math.round(sse50.requests.average),
      sse_c50_errors: sse50.errors + sse50.non2xx,
    };
  };
  for (const target of targets) await measure(target);
  await setDefaultPolicy(keel.info.url, {
    input: { pii: { action: 'mask' }, hap: { enabled: false }, injection: { enabled: true } },
    output: { pii: { action: 'mask' }, hap: { enabled: false }, injection: { enabled: false } },
  });
  for (const target of policyTargets) await measure(target);
  await setDefaultPolicy(keel.info.url, null);

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
  const bareR = results.bare!;
  const policyR = results.keel_policy_1k!;
  const bare1kR = results.bare_1k!;
  const direct1kR = results.direct_1k!;
  const summary = {
    keel_over_bare_rps_json_c50: round(keelR.json_c50_rps! / bareR.json_c50_rps!, 2),
    keel_over_bare_rps_sse_c50: round(keelR.sse_c50_rps! / bareR.sse_c50_rps!, 2),
    bare_added_p50_ms_json_c1: round(bareR.json_c1_p50_ms! - directR.json_c1_p50_ms!),
    keel_added_p50_ms_json_c1: round(keelR.json_c1_p50_ms! - directR.json_c1_p50_ms!),
    portkey_added_p50_ms_json_c1: round(portkeyR.json_c1_p50_ms! - directR.json_c1_p50_ms!),
    keel_added_first_byte_ms: round(keelR.sse_first_byte_p50_ms! - directR.sse_first_byte_p50_ms!),
    portkey_added_first_byte_ms: round(portkeyR.sse_first_byte_p50_ms! - directR.sse_first_byte_p50_ms!),
    keel_over_portkey_rps_json_c50: round(keelR.json_c50_rps! / portkeyR.json_c50_rps!, 2),
    keel_over_portkey_rps_sse_c50: round(keelR.sse_c50_rps! / portkeyR.sse_c50_rps!, 2),
    keel_over_direct_rps_json_c50: round(keelR.json_c50_rps! / directR.json_c50_rps!, 2),
    policy_1k_keel_over_bare_rps_json_c50: round(policyR.json_c50_rps! / bare1kR.json_c50_rps!, 2),
    policy_1k_keel_over_bare_rps_sse_c50: round(policyR.sse_c50_rps! / bare1kR.sse_c50_rps!, 2),
    policy_1k_keel_added_p50_ms_json_c1: round(policyR.json_c1_p50_ms! - direct1kR.json_c1_p50_ms!),
    policy_1k_keel_added_first_byte_ms: round(
      policyR.sse_first_byte_p50_ms! - direct1kR.sse_first_byte_p50_ms!,
    ),
    keel_cpu_us_per_request_json_c50: keelR.json_c50_cpu_us_per_request!,
    bare_cpu_us_per_request_json_c50: bareR.json_c50_cpu_us_per_request!,
    layers_rps_over_bare_json_c50: Object.fromEntries(
      layerModes.map((mode) => [
        mode,
        round(results[mode.replace('-', '_')]!.json_c50_rps! / bareR.json_c50_rps!, 2),
      ]),
    ),
    layers_cpu_us_per_request_json_c50: Object.fromEntries(
      layerModes.map((mode) => [mode, results[mode.replace('-', '_')]!.json_c50_cpu_us_per_request!]),
    ),
    llamacpp_tokens_per_s_direct: Math.round(directRate),
    llamacpp_tokens_per_s_keel: Math.round(keelRate),
    llamacpp_keel_over_direct: round(keelRate / directRate, 3),
  };
  const targetsMet = {
    rps_ge_70pct_bare: summary.keel_over_bare_rps_json_c50 >= 0.7,
    added_p50_le_0_5ms: summary.keel_added_p50_ms_json_c1 <= 0.5,
    added_first_byte_le_1ms: summary.keel_added_first_byte_ms <= 1,
    rps_ge_5x_portkey: summary.keel_over_portkey_rps_json_c50 >= 5,
    llamacpp_ge_95pct: summary.llamacpp_keel_over_direct >= 0.95,
  };

  const columns = Object.keys(directR);
  const pad = (text: string, width: number) => text.padEnd(width);
  const shown = [...targets, ...policyTargets];
  process.stdout.write(`\n${pad('metric', 26)}${shown.map((target) => pad(target.name, 15)).join('')}\n`);
  for (const column of columns) {
    process.stdout.write(
      `${pad(column, 26)}${shown.map((target) => pad(String(results[target.name]![column]), 15)).join('')}\n`,
    );
  }
  process.stdout.write('\n');
  for (const [name, value] of Object.entries(summary))
    process.stdout.write(`${pad(name, 36)}${typeof value === 'object' ? JSON.stringify(value) : value}\n`);
  for (const [name, value] of Object.entries(targetsMet))
    process.stdout.write(`${pad(`target ${name}`, 34)}${value ? 'met' : 'MISSED'}\n`);
  process.stdout.write(
    `${JSON.stringify({ bench: 'gateway', quick, results, summary, targets: targetsMet })}\n`,
  );
} finally {
  await Promise.all(children.map((child) => child.stop()));
}
