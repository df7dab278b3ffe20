/**
 * Three `keel serve` replicas on one PostgreSQL (a fresh database on KEEL_TEST_DATABASE_URL),
 * started at once against the empty database: a guardrail policy saved on one is enforced on
 * another within a second, a document ingested through one is found through another within two,
 * a head trained through one is served by the others, a replica killed mid-job leaves the job to
 * another that finishes it once, and SIGTERM under load loses no usage record. Models are fake
 * OpenAI-compatible servers on 127.0.0.1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseV1 } from '../../src/spec/database.js';
import { createTestPostgresDatabase, testPostgresUrl } from '../../src/testing/database.js';
import { type FakeUpstream, startFakeOpenAI } from '../../src/testing/fake-upstreams/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bootstrapKey = 'keel_replicas_bootstrap_key_0123456789abcdef';
const secretKey = 'replicas-share-this-secret-key-0123456789';

interface Replica {
  name: string;
  process: ChildProcess;
  url: string;
  output: () => string;
}

let db: DatabaseV1;
let databaseUrl: string;
let drop: () => Promise<void>;
let work: string;
let fast: FakeUpstream;
let slow: FakeUpstream;
const replicas: Replica[] = [];

async function startReplica(name: string): Promise<Replica> {
  const dataDir = path.join(work, name);
  const child = spawn(process.execPath, [path.join(root, 'bin', 'keel'), 'serve', '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      KEEL_FROM_SOURCE: '1',
      KEEL_CONFIG: path.join(work, 'keel.yaml'),
      KEEL_DATA_DIR: dataDir,
      KEEL_DATABASE_URL: databaseUrl,
      KEEL_BOOTSTRAP_KEY: bootstrapKey,
      KEEL_SECRET_KEY: secretKey,
      KEEL_JOB_LEASE_MS: '4000',
      KEEL_LOG_LEVEL: 'error',
    },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 150_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
  return { name, process: child, url, output: () => output };
}

function call(replica: Replica, method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(`${replica.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${bootstrapKey}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function json<T>(response: Promise<Response>): Promise<T> {
  const settled = await response;
  const text = await settled.text();
  if (!settled.ok) throw new Error(`${settled.status}: ${text}`);
  return JSON.parse(text) as T;
}

function chat(replica: Replica, content: string, model = 'fast:chat'): Promise<Response> {
  return call(replica, 'POST', '/v1/chat/completions', { model, messages: [{ role: 'user', content }] });
}

/**
 * Polls `check` until it is true; returns when the successful check started, in milliseconds
 * after the call (a request sent then saw the change, however long the busy machine took to answer).
 */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    const attempt = performance.now() - started;
    if (await check()) return attempt;
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

const suite = testPostgresUrl ? describe : describe.skip;

suite('three replicas on one PostgreSQL', () => {
  beforeAll(async () => {
    ({ db, url: databaseUrl, drop } = await createTestPostgresDatabase());
    work = await mkdtemp(path.join(tmpdir(), 'keel-replicas-'));
    fast = await startFakeOpenAI({
      reply: 'All fine here.',
      firstByteDelayMs: 100,
      models: ['chat', 'load'],
    });
    // Every embedding call takes 250 ms: an ingestion job runs in one-document waves for seconds.
    slow = await startFakeOpenAI({
      firstByteDelayMs: 250,
      embeddingModels: ['embed'],
      embeddingDimensions: 16,
    });
    await writeFile(
      path.join(work, 'keel.yaml'),
      `providers:\n  - type: openai-compatible\n    name: fast\n    baseURL: ${fast.url}/v1\n  - type: openai-compatible\n    name: slow\n    baseURL: ${slow.url}/v1\n`,
    );
    // All three at once against the empty database: migrations and bootstrap must not collide.
    replicas.push(...(await Promise.all(['a', 'b', 'c'].map(startReplica))));
  }, 240_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => stop(replica.process)));
    await fast?.close();
    await slow?.close();
    await drop?.();
    if (work) await rm(work, { recursive: true, force: true });
  }, 60_000);

  it('started together: every migration applied once, one organisation, one bootstrap key', async () => {
    const migrations = await db.query<{ n: number; distinct: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT id)::int AS distinct FROM keel_migrations',
    );
    expect(migrations.rows[0]!.n).toBe(migrations.rows[0]!.distinct);
    expect((await db.query('SELECT 1 FROM organizations')).rows).toHaveLength(1);
    expect((await db.query("SELECT 1 FROM api_keys WHERE name = 'bootstrap'")).rows).toHaveLength(1);
  });

  it('enforces a guardrail policy saved on A on B within a second', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const message = 'Write to kim@example.com please';
    // B has looked the policy up (none) and cached that before A saves one.
    expect((await chat(b, message)).status).toBe(200);
    await json(
      call(a, 'PUT', '/api/v1/guardrails/policies/default', { input: { pii: { action: 'block' } } }),
    );
    const took = await within(1000, async () => (await chat(b, message)).status === 422);
    expect(took).toBeLessThan(1000);
    await json(call(a, 'DELETE', '/api/v1/guardrails/policies/default')).catch(() => undefined);
    await within(1000, async () => (await chat(b, message)).status === 200);
  });

  it('finds a document ingested through A on B within two seconds', async () => {
    const [a, b] = replicas as [Replica, Replica];
    await json(call(a, 'POST', '/api/v1/collections', { name: 'shared' }));
    // B builds its index before the document exists.
    await json(call(b, 'POST', '/api/v1/collections/shared/search', { query: 'anything', mode: 'keyword' }));
    const added = await json<{ job: { id: string } }>(
      call(a, 'POST', '/api/v1/collections/shared/documents', {
        documents: [{ name: 'okapi.txt', text: 'The okapi lives in the Ituri rainforest.' }],
      }),
    );
    await within(30_000, async () => {
      const job = await json<{ status: string }>(
        call(a, 'GET', `/api/v1/collections/shared/jobs/${added.job.id}`),
      );
      return job.status === 'succeeded';
    });
    const took = await within(2000, async () => {
      const result = await json<{ hits: unknown[] }>(
        call(b, 'POST', '/api/v1/collections/shared/search', { query: 'okapi rainforest', mode: 'keyword' }),
      );
      return result.hits.length > 0;
    });
    expect(took).toBeLessThan(2000);
  }, 60_000);

  it('serves a head trained through A from B and C', async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    const examples = Array.from({ length: 30 }, (_, i) =>
      i % 2 === 0
        ? { text: `refund my order ${i} please`, label: 'billing' }
        : { text: `the app crashes on start ${i}`, label: 'bug' },
    );
    const job = await json<{ id: string }>(
      call(a, 'POST', '/api/v1/tuning/jobs', {
        type: 'head',
        name: 'router',
        examples,
        features: { dimensions: 1024 },
        options: { seed: 1 },
      }),
    );
    await within(60_000, async () => {
      const state = await json<{ status: string }>(call(a, 'GET', `/api/v1/jobs/${job.id}`));
      if (state.status === 'failed') throw new Error(JSON.stringify(state));
      return state.status === 'succeeded';
    });
    for (const replica of [b, c]) {
      const classified = await json<{ predictions: { label: string }[] }>(
        call(replica, 'POST', '/api/v1/heads/router/classify', { texts: ['please refund my order'] }),
      );
      expect(classified.predictions.map((p) => p.label)).toEqual(['billing']);
    }
  }, 90_000);

  it('finishes a job once when the replica running it is killed', async () => {
    const [a] = replicas as [Replica];
    await json(call(a, 'POST', '/api/v1/collections', { name: 'slow', config: { embedder: 'slow:embed' } }));
    const documents = Array.from({ length: 16 }, (_, n) => ({
      name: `doc-${n}.txt`,
      text: `Document ${n} is about topic ${n * 7} and nothing else.`,
    }));
    const added = await json<{ job: { id: string } }>(
      call(a, 'POST', '/api/v1/collections/slow/documents', { documents }),
    );
    const jobId = added.job.id;
    // Whichever replica claimed it: kill it once a document or two are in.
    let owner = '';
    await within(30_000, async () => {
      const { rows } = await db.query<{ lease_owner: string | null; done: number }>(
        'SELECT lease_owner, progress_done AS done FROM jobs WHERE id = $1',
        [jobId],
      );
      owner = rows[0]?.lease_owner ?? '';
      return owner !== '' && rows[0]!.done >= 1;
    });
    const victim = replicas.find((replica) => owner.includes(`:${replica.process.pid}:`))!;
    expect(victim).toBeDefined();
    await stop(victim.process, 'SIGKILL');
    const survivor = replicas.find((replica) => replica !== victim)!;
    await within(60_000, async () => {
      const { rows } = await db.query<{ status: string }>('SELECT status FROM jobs WHERE id = $1', [jobId]);
      return rows[0]?.status === 'succeeded';
    });
    const { rows } = await db.query<{ lease_owner: string | null; status: string }>(
      'SELECT lease_owner, status FROM jobs WHERE id = $1',
      [jobId],
    );
    expect(rows[0]!.status).toBe('succeeded');
    const docs = await db.query<{ status: string; chunk_count: number; chunks: number }>(
      `SELECT d.status, d.chunk_count, (SELECT count(*)::int FROM rag_chunks k WHERE k.document_id = d.id) AS chunks
         FROM rag_documents d JOIN rag_collections c ON c.id = d.collection_id WHERE c.name = 'slow'`,
    );
    expect(docs.rows).toHaveLength(documents.length);
    for (const doc of docs.rows) {
      expect(doc.status).toBe('ready');
      expect(doc.chunks).toBe(doc.chunk_count);
    }
    const search = await json<{ hits: unknown[] }>(
      call(survivor, 'POST', '/api/v1/collections/slow/search', { query: 'topic 77', mode: 'keyword' }),
    );
    expect(search.hits.length).toBeGreaterThan(0);
    replicas.splice(replicas.indexOf(victim), 1);
  }, 120_000);

  it('loses no usage record when a replica is stopped with SIGTERM under load', async () => {
    const target = replicas.at(-1)!;
    const statuses: number[] = [];
    let refused = 0;
    const requests = Array.from({ length: 40 }, async (_, n) => {
      await new Promise((resolve) => setTimeout(resolve, n * 10));
      try {
        const response = await chat(target, `load ${n}`, 'fast:load');
        await response.text();
        statuses.push(response.status);
      } catch {
        refused++; // the listener had closed: never served, never metered
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await stop(target.process, 'SIGTERM');
    await Promise.all(requests);
    expect(target.process.exitCode).toBe(0);
    expect(statuses.length + refused).toBe(40);
    expect(statuses.length).toBeGreaterThan(0);
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM usage_events WHERE model_id LIKE '%load'",
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(rows[0]!.n).toBe(statuses.length);
    replicas.splice(replicas.indexOf(target), 1);
  }, 60_000);
});
