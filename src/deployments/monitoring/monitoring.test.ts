import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../core/errors.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { sdkClient } from '../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { deliverWebhook, signWebhook } from '../alerts/webhook.js';
import { MonitorStore } from './monitor-store.js';
import type { LoggedCall } from './request-log.js';

let keel: TestKeel;
let projectId: string;
let hook: Server;
let hookUrl: string;
const received: { headers: IncomingMessage['headers']; body: string }[] = [];
let hookPlan: ((response: ServerResponse) => void)[] = [];

beforeAll(async () => {
  keel = await createTestKeel({
    providers: [
      createEchoProvider({
        failOn: { text: 'explode', error: new KeelError('upstream_error', 'The upstream failed.') },
      }),
    ],
    // Webhooks on 127.0.0.1 are allowed here on purpose (the default refuses them; tested below).
    config: { security: { allowPrivateNetworkFetch: true } },
  });
  projectId = (await keel.services.keys.authenticate(keel.adminKey))!.defaultProjectId;
  hook = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      const next = hookPlan.shift();
      if (next) next(response);
      else response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  hook?.closeAllConnections();
  await new Promise((resolve) => hook?.close(resolve));
  await keel?.close();
});

const call = (overrides: Partial<LoggedCall>): LoggedCall => ({
  projectId,
  deploymentId: 'dep_watch',
  keyId: null,
  requestId: null,
  modelId: 'echo:reverse',
  endpoint: 'test',
  atMs: Date.now(),
  sampleRate: 1,
  status: 200,
  latencyMs: 10,
  inputTokens: 5,
  outputTokens: 5,
  cost: 0,
  input: 'hello',
  output: 'hi',
  finishReason: 'eos_token',
  attributes: {},
  ...overrides,
});

describe('monitoring', () => {
  it('measures traffic from the request log, raises an alert, opens an incident and delivers a signed webhook', async () => {
    const ask = (content: string) =>
      keel.call('/v1/chat/completions', {
        json: { model: 'echo:reverse', messages: [{ role: 'user', content }] },
      });
    // Plain model calls of a project no monitor watches are not logged (one cached lookup)…
    expect((await ask('before any monitor')).status).toBe(200);
    await keel.services.requestLog.flush();
    const unwatched = await keel.services.db.query('SELECT 1 FROM monitor_samples');
    expect(unwatched.rows).toHaveLength(0);

    const created = await keel.call('/api/v1/monitors', {
      json: {
        name: 'traffic',
        kind: 'traffic',
        thresholds: [
          { metric: 'error_rate', operator: '>', value: 0.1, severity: 'critical' },
          { metric: 'requests', operator: '>', value: 1000 },
        ],
        interval_seconds: 60,
        webhook_url: hookUrl,
      },
    });
    expect(created.status).toBe(201);
    const monitor = (await created.json()) as { id: string; webhook_secret: string };
    expect(monitor.webhook_secret).toMatch(/^whsec_/);

    // …and are from the moment a project-wide monitor exists (the cached answer is dropped on change).
    for (const content of ['one two', 'three four', 'five six', 'seven'])
      expect((await ask(content)).status).toBe(200);
    expect((await ask('please explode')).status).toBe(502);

    const ran = await keel.call(`/api/v1/monitors/${monitor.id}/run?wait=true`, { method: 'POST' });
    expect(ran.status).toBe(200);
    const run = (await ran.json()) as {
      result: { metrics: Record<string, number> };
      alerts: { metric: string; severity: string; delivery: string; incident_id: string }[];
    };
    expect(run.result.metrics).toMatchObject({ requests: 5, error_rate: 0.2, input_tokens: 7 });
    expect(run.result.metrics.latency_p50_ms).toBeGreaterThanOrEqual(0);
    expect(run.result.metrics.latency_p99_ms).toBeGreaterThanOrEqual(run.result.metrics.latency_p50_ms!);
    expect(run.alerts).toMatchObject([{ metric: 'error_rate', severity: 'critical', delivery: 'delivered' }]);

    const delivered = received.at(-1)!;
    const timestamp = String(delivered.headers['x-keel-timestamp']);
    expect(delivered.headers['x-keel-signature']).toBe(
      `sha256=${signWebhook(monitor.webhook_secret, timestamp, delivered.body)}`,
    );
    expect(JSON.parse(delivered.body)).toMatchObject({
      type: 'keel.alert',
      alerts: [{ metric: 'error_rate', value: 0.2 }],
    });

    const alerts = (await (await keel.call('/api/v1/alerts')).json()) as { alerts: unknown[] };
    expect(alerts.alerts).toHaveLength(1);
    const incidentId = run.alerts[0]!.incident_id;
    const incidents = (await (await keel.call('/api/v1/incidents?status=open')).json()) as {
      incidents: { id: string; severity: string }[];
    };
    expect(incidents.incidents).toMatchObject([{ id: incidentId, severity: 'critical' }]);

    // A second run joins the open incident instead of opening another.
    const again = (await (
      await keel.call(`/api/v1/monitors/${monitor.id}/run?wait=true`, { method: 'POST' })
    ).json()) as { alerts: { incident_id: string }[] };
    expect(again.alerts[0]!.incident_id).toBe(incidentId);

    const acknowledged = await keel.call(`/api/v1/incidents/${incidentId}`, {
      method: 'PATCH',
      json: { status: 'acknowledged', note: 'Looking at the upstream.' },
    });
    expect(await acknowledged.json()).toMatchObject({
      status: 'acknowledged',
      notes: [{ text: 'Looking at the upstream.' }],
    });
    const resolved = await keel.call(`/api/v1/incidents/${incidentId}`, {
      method: 'PATCH',
      json: { status: 'resolved' },
    });
    expect(await resolved.json()).toMatchObject({ status: 'resolved' });
    const reopen = await keel.call(`/api/v1/incidents/${incidentId}`, {
      method: 'PATCH',
      json: { status: 'acknowledged' },
    });
    expect(reopen.status).toBe(409);
    const results = (await (await keel.call(`/api/v1/monitors/${monitor.id}/results`)).json()) as {
      results: unknown[];
    };
    expect(results.results).toHaveLength(2);

    // The same through the SDK (what the console uses).
    const sdk = sdkClient(keel);
    expect((await sdk.monitors.list()).map((each) => each.name)).toContain('traffic');
    expect((await sdk.monitors.incidents({ status: 'resolved' })).map((each) => each.id)).toEqual([
      incidentId,
    ]);
    expect(await sdk.monitors.results(monitor.id, 1)).toHaveLength(1);
    expect(await sdk.limits.list()).toEqual([]);
  });

  it('detects a shift in language mix, input length and embedding against the baseline window', async () => {
    const log = keel.services.requestLog;
    const now = Date.now();
    const english = [
      'what is the weather like today',
      'tell me about the history of rome',
      'how do I bake bread',
    ];
    const korean = [
      '오늘 서울 날씨는 어때요',
      '로마의 역사에 대해 알려 주세요 자세히 길게 설명해 주세요',
      '빵은 어떻게 굽나요',
    ];
    for (let i = 0; i < 30; i++)
      log.record(call({ atMs: now - 90 * 60_000 + i * 1000, input: english[i % 3]!, output: 'sure' }));
    for (let i = 0; i < 30; i++) {
      const input = i % 3 === 0 ? english[i % 3]! : korean[i % 3]!;
      log.record(
        call({
          atMs: now - 30 * 60_000 + i * 1000,
          input,
          output: i % 5 === 0 ? "I'm sorry, I can't help with that." : 'sure',
        }),
      );
    }
    const { monitor } = await keel.services.monitoring.monitors.create(projectId, null, {
      name: 'drift',
      kind: 'drift',
      deploymentId: 'dep_watch',
      config: { windowSeconds: 3600, baselineSeconds: 3600 },
      thresholds: [{ metric: 'language_psi', operator: '>', value: 0.25, severity: 'warning' }],
    });
    const run = await keel.services.monitoring.run(projectId, monitor.id, new Date(now + 1000));
    const metrics = run.result.metrics as Record<string, number | Record<string, number>>;
    expect(metrics).toMatchObject({ baseline_samples: 30, samples: 30 });
    expect(metrics.language_mix).toEqual({ en: 0.3333, ko: 0.6667 });
    expect(metrics.baseline_language_mix).toEqual({ en: 1 });
    expect(metrics.language_psi).toBeGreaterThan(0.25);
    expect(metrics.embedding_psi).toBeGreaterThan(0.1);
    expect(metrics.centroid_distance).toBeGreaterThan(0.1);
    expect(metrics.refusal_rate).toBe(0.2);
    expect(metrics.refusal_rate_change).toBe(0.2);
    expect(run.alerts).toMatchObject([{ metric: 'language_psi', severity: 'warning', delivery: 'none' }]);
  });

  it('measures fairness of classifications across a protected attribute', async () => {
    const log = keel.services.requestLog;
    const now = Date.now();
    for (let i = 0; i < 20; i++) {
      log.record(
        call({
          deploymentId: 'dep_loans',
          atMs: now - 1000,
          output: i < 16 ? 'Approved' : 'denied',
          attributes: { group: 'a' },
        }),
      );
      log.record(
        call({
          deploymentId: 'dep_loans',
          atMs: now - 1000,
          output: i < 8 ? 'approved' : 'denied',
          attributes: { group: 'b' },
        }),
      );
    }
    const { monitor } = await keel.services.monitoring.monitors.create(projectId, null, {
      name: 'fairness',
      kind: 'fairness',
      deploymentId: 'dep_loans',
      config: { attribute: 'group', favourable: ['approved'], windowSeconds: 600 },
      thresholds: [{ metric: 'disparate_impact', operator: '<', value: 0.8, severity: 'critical' }],
    });
    const run = await keel.services.monitoring.run(projectId, monitor.id);
    expect(run.result.metrics).toMatchObject({
      samples: 40,
      reference_group: 'a',
      disparate_impact: 0.5,
      statistical_parity_difference: -0.4,
    });
    expect(run.alerts).toHaveLength(1);
    const missing = await keel.call('/api/v1/monitors', {
      json: { name: 'no attribute', kind: 'fairness' },
    });
    expect(missing.status).toBe(400);
  });

  it('runs due monitors as jobs from the scheduler tick, once', async () => {
    const { monitor } = await keel.services.monitoring.monitors.create(projectId, null, {
      name: 'scheduled',
      kind: 'guardrails',
      intervalSeconds: 60,
    });
    const jobs = await keel.services.monitoring.tick();
    expect(jobs.map((job) => job.kind)).toContain('monitors.run');
    expect(await keel.services.monitoring.tick()).toEqual([]);
    const job = jobs.find((each) => (each.payload as { monitorId: string }).monitorId === monitor.id)!;
    let status = job.status;
    for (let i = 0; i < 100 && status !== 'succeeded' && status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = (await keel.services.jobs.get(job.id)).status;
    }
    expect(status).toBe('succeeded');
    const results = await keel.services.monitoring.monitors.results(projectId, monitor.id);
    expect(results[0]!.metrics).toMatchObject({ blocked_rate: 0 });
  });

  it('refuses private webhook addresses unless allowed, and retries and times out deliveries', async () => {
    const strict = new MonitorStore(keel.services.db, keel.services.audit, { allowPrivateWebhooks: false });
    await expect(
      strict.create(projectId, null, {
        name: 'private hook',
        kind: 'traffic',
        webhookUrl: 'http://127.0.0.1:9/hook',
      }),
    ).rejects.toMatchObject({ issues: [{ path: ['webhook_url'] }] });
    await expect(
      strict.create(projectId, null, {
        name: 'metadata hook',
        kind: 'traffic',
        webhookUrl: 'https://169.254.169.254/',
      }),
    ).rejects.toBeInstanceOf(KeelError);

    hookPlan = [(response) => response.writeHead(503).end(), (response) => response.writeHead(500).end()];
    const retried = await deliverWebhook({
      url: hookUrl,
      secret: 's',
      payload: { ok: true },
      backoffMs: 5,
      allowPrivateNetwork: true,
    });
    expect(retried).toMatchObject({ delivered: true, attempts: 3, status: 204 });

    hookPlan = [() => {}, () => {}]; // never answers
    const timedOut = await deliverWebhook({
      url: hookUrl,
      secret: 's',
      payload: { ok: true },
      attempts: 2,
      backoffMs: 5,
      timeoutMs: 100,
      allowPrivateNetwork: true,
    });
    expect(timedOut).toMatchObject({ delivered: false, attempts: 2, error: 'timed out after 100 ms' });
    const refused = await deliverWebhook({
      url: 'http://127.0.0.1:9/',
      secret: 's',
      payload: {},
      backoffMs: 1,
    });
    expect(refused).toMatchObject({ delivered: false, attempts: 1 });
  });
});
