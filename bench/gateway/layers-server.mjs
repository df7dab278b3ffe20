/**
 * Keel taken apart, one layer at a time, so the benchmark can say where the gateway's time goes.
 * Each mode serves `POST /v1/chat/completions` against the same fake upstream:
 *   - `raw-undici`: node:http + an undici pool, parsing the upstream's reply and writing a new one
 *     (the least any gateway that reads the answer must do);
 *   - `floor`: the spine's per-call duties written without a framework (see viaFloor);
 *   - `raw-generation`: node:http + Keel's generation service (provider registry, model-call
 *     middleware, the `openai-compatible` provider) — no framework, no validation, no auth;
 *   - `hono-generation`: the same in a one-route Hono app on @hono/node-server.
 * Full Keel (its direct lane or the framework, authentication, validation, the route) is the
 * `keel` target of the main run. Like it, this runs the built server from dist/.
 *
 * Usage: node bench/gateway/layers-server.mjs <upstream base URL> <mode>
 */

import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { Pool } from 'undici';
import { chatCompletionRequestSchema } from '../../dist/api/openai.js';
import { loadConfig } from '../../dist/core/config.js';
import { silentLogger } from '../../dist/core/logger.js';
import { chatRequestFromOpenAI } from '../../dist/server/routes/openai/mapping.js';
import { createRuntime } from '../../dist/server/runtime.js';

const [upstreamUrl, mode] = process.argv.slice(2);
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keel-bench-layers-'));
const config = loadConfig({
  env: {},
  cwd: dataDir,
  overrides: {
    dataDir,
    logging: { level: 'silent' },
    providers: [{ type: 'openai-compatible', name: 'mock', baseURL: `${upstreamUrl}/v1` }],
  },
});
const runtime = await createRuntime(config, { logger: silentLogger });
const projectId = runtime.services.installation.defaultProjectId;
const context = { projectId, keyId: null, endpoint: '/v1/chat/completions' };
const pool = new Pool(upstreamUrl, { connections: 64 });
const neverAborted = new AbortController().signal;

function completion(model, text, usage) {
  return JSON.stringify({
    id: 'chatcmpl-layers',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [
      { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null },
    ],
    usage,
  });
}

async function viaGeneration(body) {
  const { request } = chatRequestFromOpenAI(body, neverAborted);
  const outcome = await runtime.services.generation.generate(request, context);
  return completion(body.model, outcome.text, outcome.usage);
}

/** The body sent on to the upstream with the provider prefix taken off the model; its reply. */
async function forward(body) {
  const response = await pool.request({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, model: body.model.slice(body.model.indexOf(':') + 1) }),
  });
  return response.body.json();
}

async function viaUndici(body) {
  const reply = await forward(body);
  return completion(body.model, reply.choices[0].message.content, reply.usage);
}

function readBody(incoming) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString()));
    incoming.on('error', reject);
  });
}

function rawHandler(answer) {
  return (incoming, outgoing) => {
    readBody(incoming)
      .then((text) => answer(JSON.parse(text), incoming))
      .then((json) => {
        outgoing.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(json),
        });
        outgoing.end(json);
      })
      .catch((error) => {
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(error.message);
      });
  };
}

/**
 * `floor`: the least a gateway must do per call to meet the spine's requirements, written
 * without any framework: hash the bearer key and find it in a map, validate the body with Keel's
 * zod schema, forward with undici, parse the reply, persist one usage row (the usage meter, in
 * batches, as Keel does) and count the call in a Prometheus histogram.
 */
const keyHashes = new Map([
  [createHash('sha256').update('layers-key').digest('hex'), { projectId, keyId: 'k' }],
]);
const latency = runtime.services.metrics.modelLatency.labels('mock:fake-model');
async function viaFloor(body, incoming) {
  const token = (incoming.headers.authorization ?? '').slice(7);
  const principal = keyHashes.get(createHash('sha256').update(token).digest('hex'));
  if (!principal) throw new Error('unauthorised');
  const parsed = chatCompletionRequestSchema.parse(body);
  const started = performance.now();
  const reply = await forward(parsed);
  const latencyMs = performance.now() - started;
  latency.observe(latencyMs / 1000);
  runtime.services.usage.record({
    projectId: principal.projectId,
    keyId: principal.keyId,
    modelId: parsed.model,
    endpoint: '/v1/chat/completions',
    inputTokens: reply.usage.prompt_tokens,
    outputTokens: reply.usage.completion_tokens,
    latencyMs,
    status: 200,
    errorCode: null,
    streamed: false,
  });
  return completion(parsed.model, reply.choices[0].message.content, reply.usage);
}

let handler;
if (mode === 'hono-generation') {
  const app = new Hono();
  app.post('/v1/chat/completions', async (c) =>
    c.body(await viaGeneration(await c.req.json()), 200, { 'content-type': 'application/json' }),
  );
  handler = getRequestListener(app.fetch);
} else {
  handler = rawHandler(mode === 'raw-undici' ? viaUndici : mode === 'floor' ? viaFloor : viaGeneration);
}

const server = createServer({ keepAliveTimeout: 65_000 }, handler);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool
    .close()
    .then(() => runtime.close())
    .then(() => process.exit(0));
});
