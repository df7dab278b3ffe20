/**
 * bench/deployments — what serving through a deployment adds over calling the model route:
 *   - a fake OpenAI upstream (fixed reply, no delay) in its own process, Keel in this process
 *     (embedded PGlite, authentication and usage metering on, logging off);
 *   - the same prompt three ways: `/ml/v1/text/generation` with the text already rendered (the
 *     model route), `/ml/v1/deployments/{name}/text/generation` with `prompt_variables` on a
 *     development space (no gate) and on a production space (the gate on every request);
 *   - then with limits on the project (a request rate and a token budget, both roomy: every call
 *     reserves and settles on the ledger, from this replica's lease), on the model route and the
 *     production deployment; then that deployment with a guardrail policy too (PII masked, the
 *     injection detector on, in and out);
 *   - p50/p99 at concurrency 1 (sequential keep-alive requests), req/s at concurrency 20
 *     (autocannon in its own process);
 *   - the gate alone, the whole per-request resolution (directory, version pick, gate) and the
 *     ledger (reserve + settle on the project's limits, with leases and with them off: a database
 *     round trip per reservation) timed in process, so each cost shows apart from Prompt Lab's
 *     render, run and run record. Target: gate + limits + ledger ≤ 0.3 ms p50.
 * The ledger/limits section is `bench/deployments/ledger.ts`; drift detection time in real time,
 * over HTTP, is `bench/deployments/drift.ts`. Prints a table and ONE JSON line.
 * Absolute times on shared machines move ±40%: read the differences.
 *
 * Usage: npx tsx bench/deployments/run.ts [--quick]
 */
import { Pool } from 'undici';
import { Ledger } from '../../src/deployments/ledger/index.js';
import { autocannon } from '../gateway/processes.js';
import { benchKey as key, serveOnFakeUpstream } from './serve.js';

const quick = process.argv.includes('--quick');
const sequential = quick ? 200 : 1000;
const warmup = quick ? 30 : 150;
const loadSeconds = quick ? 3 : 6;
const inProcess = quick ? 5_000 : 20_000;
const log = (line: string) => process.stdout.write(`${line}\n`);

const variables = { audience: 'the board', text: 'Quarterly revenue rose while costs held steady.' };
const rendered = `Summarise for ${variables.audience}: ${variables.text}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

async function sequentialLatency(url: string, requestPath: string, body: string) {
  const pool = new Pool(url, { connections: 1, pipelining: 1 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmup + sequential; i++) {
      const started = performance.now();
      const response = await pool.request({ method: 'POST', path: requestPath, headers, body });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${requestPath}: HTTP ${response.statusCode} ${text}`);
      if (i >= warmup) samples.push(performance.now() - started);
    }
  } finally {
    await pool.close();
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

async function timeInProcess(run: () => unknown): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < inProcess; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return percentile(samples, 0.5);
}

const server = await serveOnFakeUpstream('deploy');
try {
  const { services } = server;
  const projectId = services.installation.defaultProjectId;
  const caller = { projectId, keyId: null, actor: 'bench', role: 'admin' };
  await services.prompts.create(caller, {
    name: 'summary',
    template: { mode: 'freeform', text: 'Summarise for {{audience}}: {{text}}', model_id: 'mock:fake-model' },
  });
  await services.deployments.createSpace(projectId, 'bench', { name: 'prod', stage: 'production' });
  await services.deployments.create(caller, {
    name: 'dev',
    servingName: 'bench-dev',
    asset: { type: 'prompt_template', ref: 'summary@1' },
  });
  await services.deployments.create(caller, {
    space: 'prod',
    name: 'prod',
    servingName: 'bench-prod',
    asset: { type: 'prompt_template', ref: 'summary@1' },
  });

  const modelBody = JSON.stringify({ model_id: 'mock:fake-model', input: rendered, project_id: projectId });
  const deploymentBody = JSON.stringify({ parameters: { prompt_variables: variables } });
  const targets = [
    { name: 'model route (/ml/v1/text/generation)', path: '/ml/v1/text/generation', body: modelBody },
    {
      name: 'deployment, development space',
      path: '/ml/v1/deployments/bench-dev/text/generation',
      body: deploymentBody,
    },
    {
      name: 'deployment, production space (gate)',
      path: '/ml/v1/deployments/bench-prod/text/generation',
      body: deploymentBody,
    },
  ];

  const rows: { name: string; p50: number; p99: number; rps: number | null }[] = [];
  const measure = async (targetsNow: typeof targets) => {
    for (const target of targetsNow) {
      const latency = await sequentialLatency(server.url, target.path, target.body);
      const load = await autocannon({
        url: `${server.url}${target.path}`,
        connections: 20,
        seconds: loadSeconds,
        body: target.body,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      });
      rows.push({
        name: target.name,
        ...latency,
        rps: load.non2xx || load.errors ? Number.NaN : load.requests.average,
      });
    }
  };
  await measure(targets);

  // Limits and the ledger on every call: roomy, so nothing is refused and every call reserves.
  for (const metric of ['requests_per_minute', 'token_budget'] as const)
    await services.limits.set(projectId, { scopeType: 'project', scopeId: projectId, metric, limit: 1e12 });
  await measure([
    { ...targets[0]!, name: 'model route + limits and ledger' },
    { ...targets[2]!, name: 'deployment, production (gate + limits and ledger)' },
  ]);
  await services.guardrails.putPolicy(
    projectId,
    'default',
    {
      input: { pii: { action: 'mask' }, hap: { enabled: false }, injection: { enabled: true } },
      output: { pii: { action: 'mask' }, hap: { enabled: false }, injection: { enabled: false } },
    },
    null,
  );
  await measure([{ ...targets[2]!, name: 'deployment, production (gate + limits + guardrails on)' }]);
  await services.guardrails.deletePolicy(projectId, 'default');

  const scope = { projectId, keyId: null, deploymentId: null };
  const ledgerCost = (ledger: Ledger) =>
    timeInProcess(async () => {
      const reservation = await ledger.reserve(scope, { tokens: 40, cost: 0 });
      ledger.settleInBackground(reservation, { tokens: 36, cost: 0 });
    });
  const ledgerLeased = await ledgerCost(services.ledger);
  await services.ledger.drain();
  const unleased = new Ledger({ db: services.db, limits: services.limits, lease: { fraction: 0 } });
  const ledgerUnleased = await ledgerCost(unleased);
  await unleased.drain();
  for (const limit of await services.limits.list(projectId))
    await services.limits.remove(projectId, limit.id);

  const gateOnly = await timeInProcess(() =>
    services.deployments.gate.check(projectId, {
      type: 'prompt_template',
      id: 'x',
      name: 'summary',
      version: 1,
    }),
  );
  const prepareDev = await timeInProcess(() => services.deployments.prepare(projectId, 'bench-dev', 'r'));
  const prepareProd = await timeInProcess(() => services.deployments.prepare(projectId, 'bench-prod', 'r'));

  const model = rows[0]!;
  log('');
  log('| path | p50 ms | p99 ms | req/s (c=20) | added p50 ms |');
  log('|---|---|---|---|---|');
  for (const row of rows)
    log(
      `| ${row.name} | ${round(row.p50, 2)} | ${round(row.p99, 2)} | ${Math.round(row.rps ?? Number.NaN)} | ${round(row.p50 - model.p50, 2)} |`,
    );
  log('');
  log('| in process (p50) | ms |');
  log('|---|---|');
  log(`| gate check alone (the wired gate, an untracked asset) | ${round(gateOnly, 4)} |`);
  log(`| resolve + pick version, development space | ${round(prepareDev, 4)} |`);
  log(`| resolve + pick version + gate, production space | ${round(prepareProd, 4)} |`);
  log(`| limits + ledger: reserve + settle, rate + budget, leases (PGlite) | ${round(ledgerLeased, 4)} |`);
  log(`| limits + ledger, leases off: a round trip per reservation (PGlite) | ${round(ledgerUnleased, 4)} |`);
  log(`| gate + limits + ledger (target ≤ 0.3) | ${round(gateOnly + ledgerLeased, 4)} |`);
  log('');
  log(
    JSON.stringify({
      bench: 'deployments',
      quick,
      sequential,
      model_p50_ms: round(model.p50),
      deployment_dev_p50_ms: round(rows[1]!.p50),
      deployment_prod_p50_ms: round(rows[2]!.p50),
      added_p50_ms: round(rows[1]!.p50 - model.p50),
      added_with_gate_p50_ms: round(rows[2]!.p50 - model.p50),
      model_rps: Math.round(model.rps ?? 0),
      deployment_dev_rps: Math.round(rows[1]!.rps ?? 0),
      deployment_prod_rps: Math.round(rows[2]!.rps ?? 0),
      model_limits_p50_ms: round(rows[3]!.p50),
      deployment_prod_limits_p50_ms: round(rows[4]!.p50),
      deployment_prod_limits_guardrails_p50_ms: round(rows[5]!.p50),
      added_gate_limits_p50_ms: round(rows[4]!.p50 - model.p50),
      added_guardrails_p50_ms: round(rows[5]!.p50 - rows[4]!.p50),
      model_limits_rps: Math.round(rows[3]!.rps ?? 0),
      deployment_prod_limits_rps: Math.round(rows[4]!.rps ?? 0),
      deployment_prod_limits_guardrails_rps: Math.round(rows[5]!.rps ?? 0),
      gate_check_p50_ms: round(gateOnly, 5),
      ledger_leased_p50_ms: round(ledgerLeased, 5),
      ledger_unleased_p50_ms: round(ledgerUnleased, 5),
      gate_limits_ledger_p50_ms: round(gateOnly + ledgerLeased, 5),
      prepare_dev_p50_ms: round(prepareDev, 5),
      prepare_prod_p50_ms: round(prepareProd, 5),
    }),
  );
} finally {
  await server.close();
}
