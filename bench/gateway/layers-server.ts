/**
 * Keel's gateway taken apart, for bench/gateway: the same chat completion served three ways, each
 * in its own process, so the table shows what each layer costs per request.
 *   - `raw-undici`: node:http, JSON parse, forward with undici, parse the reply, answer — the least
 *     any gateway that reads the reply (for usage) can do;
 *   - `raw-generation`: node:http + Keel's generation service (provider registry, model-call
 *     middleware, the `openai-compatible` provider) — no framework, no validation, no auth;
 *   - `hono-generation`: the same in a one-route Hono app on @hono/node-server.
 * Full Keel (framework, edge middleware, authentication, validation, response schema) is the
 * `keel` target of the main run.
 *
 * Usage: tsx bench/gateway/layers-server.ts <upstream base URL> <mode>
 */
import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { Pool } from 'undici';
import { loadConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';
import { chatRequestFromOpenAI } from '../../src/server/routes/openai/mapping.js';
import { createRuntime } from '../../src/server/runtime.js';

const [upstreamUrl, mode] = process.argv.slice(2) as [
  string,
  'raw-undici' | 'raw-generation' | 'hono-generation',
];
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

interface ChatBody {
  model: string;
  messages: unknown[];
}

function completion(model: string, text: string, usage: unknown): string {
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

async function viaGeneration(body: ChatBody): Promise<string> {
  const { request } = chatRequestFromOpenAI(body as never, neverAborted);
  const outcome = await runtime.services.generation.generate(request, context);
  return completion(body.model, outcome.text, outcome.usage);
}

async function viaUndici(body: ChatBody): Promise<string> {
  const response = await pool.request({
    method: 'POST',
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, model: body.model.slice(body.model.indexOf(':') + 1) }),
  });
  const reply = (await response.body.json()) as {
    choices: { message: { content: string } }[];
    usage: unknown;
  };
  return completion(body.model, reply.choices[0]!.message.content, reply.usage);
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString()));
    incoming.on('error', reject);
  });
}

function rawHandler(answer: (body: ChatBody) => Promise<string>) {
  return (incoming: IncomingMessage, outgoing: ServerResponse) => {
    readBody(incoming)
      .then((text) => answer(JSON.parse(text) as ChatBody))
      .then((json) => {
        outgoing.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(json),
        });
        outgoing.end(json);
      })
      .catch((error: Error) => {
        outgoing.writeHead(500, { 'content-type': 'text/plain' });
        outgoing.end(error.message);
      });
  };
}

let handler: (incoming: IncomingMessage, outgoing: ServerResponse) => void;
if (mode === 'hono-generation') {
  const app = new Hono();
  app.post('/v1/chat/completions', async (c) =>
    c.body(await viaGeneration(await c.req.json<ChatBody>()), 200, {
      'content-type': 'application/json',
    }),
  );
  handler = getRequestListener(app.fetch);
} else {
  handler = rawHandler(mode === 'raw-undici' ? viaUndici : viaGeneration);
}

const server = createServer({ keepAliveTimeout: 65_000 }, handler);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool
    .close()
    .then(() => runtime.close())
    .then(() => process.exit(0));
});
