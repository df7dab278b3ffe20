import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeelClient } from '../../../sdk/client.js';
import type { GateResult } from '../../../spec/deployment-gate.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { apiError, sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
let sdk: KeelClient;

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider()] });
  sdk = sdkClient(keel);
  await sdk.prompts.create({
    name: 'greet',
    template: { mode: 'freeform', text: 'hello {{who}} from {{place}}', model_id: 'echo:reverse' },
  });
  await sdk.prompts.saveVersion('greet', {
    base_version: 1,
    template: { mode: 'freeform', text: 'bye {{who}} from {{place}}', model_id: 'echo:reverse' },
  });
  await sdk.prompts.create({
    name: 'ask',
    template: { mode: 'freeform', text: 'answer {{question}}', model_id: 'echo:reverse' },
  });
});
afterAll(async () => {
  await keel?.close();
});

describe('/api/v1/spaces and /api/v1/deployments', () => {
  it('creates spaces and deployments, invokes them and says which version served', async () => {
    const space = await sdk.spaces.create({ name: 'dev', stage: 'development' });
    expect(space).toMatchObject({ name: 'dev', stage: 'development' });
    expect((await sdk.spaces.list()).spaces.map((entry) => entry.name)).toContain('dev');

    const deployment = await sdk.deployments.create({
      space: 'dev',
      name: 'Greeter',
      serving_name: 'greeter',
      asset: { type: 'prompt_template', ref: 'greet@1' },
    });
    expect(deployment).toMatchObject({ current_version: 1, space: { name: 'dev' }, split: null });
    const result = await sdk.deployments.invoke('greeter', { variables: { who: 'kim', place: 'seoul' } });
    expect(result).toMatchObject({ output: 'seoul from kim hello', version: 1 });

    const listed = await sdk.deployments.list({ space: 'dev' });
    expect(listed.deployments.map((entry) => entry.id)).toEqual([deployment.id]);
  });

  it('rolls out a new version, rolls back, and splits traffic by request id', async () => {
    const updated = await sdk.deployments.update('greeter', {
      asset: { type: 'prompt_template', ref: 'greet@2' },
    });
    expect(updated.current_version).toBe(2);
    const variables = { who: 'a', place: 'b' };
    expect((await sdk.deployments.invoke('greeter', { variables })).output).toBe('b from a bye');
    const back = await sdk.deployments.rollback('greeter');
    expect(back.current_version).toBe(1);
    expect((await sdk.deployments.invoke('greeter', { variables })).output).toBe('b from a hello');

    await sdk.deployments.split('greeter', {
      versions: [
        { version: 1, weight: 1 },
        { version: 2, weight: 1 },
      ],
    });
    const versions = new Set<number>();
    for (let i = 0; i < 16; i++) {
      const requestId = `split-${i}`;
      const first = await sdk.deployments.invoke('greeter', { variables }, { requestId });
      const again = await sdk.deployments.invoke('greeter', { variables }, { requestId });
      expect(again.version).toBe(first.version);
      expect(first.output).toBe(first.version === 1 ? 'b from a hello' : 'b from a bye');
      versions.add(first.version);
    }
    expect([...versions].sort()).toEqual([1, 2]);
    const ended = await sdk.deployments.split('greeter', null);
    expect(ended.split).toBeNull();
  });

  it("logs the caller's attributes with each served call, for fairness monitors", async () => {
    await sdk.deployments.invoke('greeter', {
      variables: { who: 'lee', place: 'busan' },
      attributes: { group: 'b' },
    });
    await keel.services.requestLog.flush();
    const { rows } = await keel.services.db.query<{ attributes: Record<string, string> }>(
      "SELECT attributes FROM monitor_samples WHERE attributes->>'group' = 'b'",
    );
    // The caller's attribute, beside the version that served.
    expect(rows).toHaveLength(1);
    expect(rows[0]!.attributes).toMatchObject({ group: 'b' });
    expect(Object.keys(rows[0]!.attributes).length).toBeGreaterThan(1);
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`a${i}`, 'x']));
    for (const attributes of [{ group: 7 }, tooMany]) {
      const refused = await keel.call('/api/v1/deployments/greeter/invoke', {
        json: { variables: { who: 'lee', place: 'busan' }, attributes },
      });
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    }
  });

  it("logs the caller's attributes with streamed calls too, and a fairness monitor reads them", async () => {
    await sdk.prompts.create({
      name: 'verdict',
      template: { mode: 'freeform', text: '{{verdict}}', model_id: 'echo:reverse' },
    });
    await sdk.deployments.create({
      space: 'dev',
      name: 'Loans',
      serving_name: 'loans',
      asset: { type: 'prompt_template', ref: 'verdict@1' },
    });
    // Group a is approved 3 times in 4, group b once in 4: every call streamed.
    const calls = [
      ['a', 'approved'],
      ['a', 'approved'],
      ['a', 'approved'],
      ['a', 'denied'],
      ['b', 'approved'],
      ['b', 'denied'],
      ['b', 'denied'],
      ['b', 'denied'],
    ] as const;
    for (const [group, verdict] of calls) {
      const response = await keel.call('/api/v1/deployments/loans/invoke', {
        json: { variables: { verdict }, stream: true, attributes: { group } },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      expect(await response.text()).toContain(verdict);
    }
    await keel.services.requestLog.flush();
    const projectId = keel.services.installation.defaultProjectId;
    const { rows } = await keel.services.db.query<{ group: string; n: number }>(
      `SELECT attributes->>'group' AS group, count(*)::int AS n FROM monitor_samples s
         JOIN deployments d ON d.id = s.deployment_id WHERE d.serving_name = 'loans' GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual([
      { group: 'a', n: 4 },
      { group: 'b', n: 4 },
    ]);
    const { monitor } = await keel.services.monitoring.monitors.create(projectId, null, {
      name: 'loans fairness',
      kind: 'fairness',
      deploymentId: (await sdk.deployments.get('loans')).id,
      config: { attribute: 'group', favourable: ['approved'], windowSeconds: 600 },
    });
    const run = await keel.services.monitoring.run(projectId, monitor.id);
    expect(run.result.metrics).toMatchObject({ samples: 8, reference_group: 'a' });
    expect(run.result.metrics.disparate_impact).toBeCloseTo(1 / 3, 3);
  });

  it('answers bad input with coded errors', async () => {
    const badSplit = await apiError(
      sdk.deployments.split('greeter', {
        versions: [
          { version: 1, weight: 1 },
          { version: 7, weight: 1 },
        ],
      }),
    );
    expect(badSplit.status).toBe(400);
    expect(badSplit.issues?.[0]?.path).toEqual(['versions', 1, 'version']);

    const noSpace = await apiError(
      sdk.deployments.create({
        space: 'nowhere',
        name: 'x',
        asset: { type: 'prompt_template', ref: 'greet' },
      }),
    );
    expect(noSpace.status).toBe(404);

    const noTemplate = await apiError(
      sdk.deployments.create({ name: 'x', asset: { type: 'prompt_template', ref: 'missing' } }),
    );
    expect(noTemplate.status).toBe(404);

    const badServingName = await apiError(
      sdk.deployments.create({
        name: 'x',
        serving_name: 'Has Spaces',
        asset: { type: 'prompt_template', ref: 'greet' },
      }),
    );
    expect(badServingName.status).toBe(400);
    expect(badServingName.issues?.[0]?.path).toEqual(['serving_name']);

    const taken = await apiError(
      sdk.deployments.create({
        name: 'x',
        serving_name: 'greeter',
        asset: { type: 'prompt_template', ref: 'greet' },
      }),
    );
    expect(taken.status).toBe(409);

    const noPrevious = await sdk.deployments.create({
      name: 'single',
      serving_name: 'single',
      asset: { type: 'prompt_template', ref: 'greet' },
    });
    expect((await apiError(sdk.deployments.rollback(noPrevious.id))).status).toBe(400);

    const missing = await apiError(sdk.deployments.invoke('greeter', { variables: { who: 'a' } }));
    expect(missing.status).toBe(400);
    expect(missing.code).toBe('missing_variable');
    expect(missing.issues?.[0]?.path).toEqual(['variables', 'place']);
  });

  it('refuses unapproved assets in production spaces and stops serving a revoked one', async () => {
    const deployments = keel.services.deployments;
    const previous = deployments.gate;
    let approved = false;
    deployments.setGate({
      specificationVersion: 'v1',
      check: (): GateResult =>
        approved
          ? { ok: true }
          : { ok: false, issues: [{ code: 'not_approved', path: ['asset'], message: 'no approval' }] },
    });
    try {
      await sdk.spaces.create({ name: 'prod', stage: 'production' });
      const refused = await apiError(
        sdk.deployments.create({
          space: 'prod',
          name: 'p',
          asset: { type: 'prompt_template', ref: 'greet@1' },
        }),
      );
      expect(refused.status).toBe(403);
      expect(refused.code).toBe('asset_not_approved');

      approved = true;
      await sdk.deployments.create({
        space: 'prod',
        name: 'p',
        serving_name: 'prod-greeter',
        asset: { type: 'prompt_template', ref: 'greet@1' },
      });
      const variables = { who: 'a', place: 'b' };
      await sdk.deployments.invoke('prod-greeter', { variables });
      approved = false;
      const revoked = await apiError(sdk.deployments.invoke('prod-greeter', { variables }));
      expect(revoked.status).toBe(403);
      expect(revoked.code).toBe('asset_not_approved');

      // Promoting a space checks what it serves.
      const promote = await apiError(sdk.spaces.update('dev', { stage: 'production' }));
      expect(promote.code).toBe('asset_not_approved');
    } finally {
      deployments.setGate(previous);
    }
  });

  it('deploys a RAG collection: question is its one variable', async () => {
    const collection = await sdk.rag.create({ name: 'manuals' });
    const deployment = await sdk.deployments.create({
      name: 'Manuals',
      serving_name: 'manuals',
      asset: { type: 'rag_collection', ref: collection.name },
      model: 'echo:reverse',
    });
    expect(deployment.versions[0]!.asset).toMatchObject({ type: 'rag_collection', id: collection.id });
    const answered = await sdk.deployments.invoke('manuals', {
      variables: { question: 'how long is the warranty?' },
    });
    expect(answered.answer).toBeDefined();
    expect(answered.version).toBe(1);
    const missing = await apiError(sdk.deployments.invoke('manuals', { variables: {} }));
    expect(missing.code).toBe('missing_variable');
    expect(missing.issues?.[0]?.path).toEqual(['variables', 'question']);
    const unknown = await apiError(
      sdk.deployments.invoke('manuals', { variables: { question: 'x', topic: 'y' } }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.issues?.[0]).toMatchObject({ code: 'unknown_variable', path: ['variables', 'topic'] });
  });

  it('serves deployment:<name> on the OpenAI-compatible routes', async () => {
    const response = await keel.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${keel.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'deployment:greeter',
        messages: [{ role: 'user', content: 'kim' }],
        prompt_variables: { place: 'busan' },
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-keel-deployment-version')).toBe('1');
    const body = (await response.json()) as { choices: { message: { content: string } }[]; model: string };
    expect(body.model).toBe('deployment:greeter');
    expect(body.choices[0]!.message.content).toBe('busan from kim hello');

    await sdk.deployments.create({
      name: 'Asker',
      serving_name: 'asker',
      asset: { type: 'prompt_template', ref: 'ask' },
    });
    const completion = await keel.app.request('/v1/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${keel.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'deployment:asker', prompt: 'one two', stream: true }),
    });
    const text = await completion.text();
    expect(text).toContain('"text":"two"');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);

    const unknown = await keel.app.request('/v1/chat/completions', {
      method: 'POST',
      headers: { authorization: `Bearer ${keel.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'deployment:nope', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('deployment_not_found');
  });
});
