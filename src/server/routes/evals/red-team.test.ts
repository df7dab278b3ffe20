import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeResultSchema, probeSetSchema, redTeamRunSchema } from '../../../api/red-team.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;

beforeAll(async () => {
  keel = await createTestKeel();
}, 300_000);
afterAll(async () => {
  await keel?.close();
});

async function keyFor(role: string, project?: string): Promise<string> {
  const response = await keel.call('/api/v1/keys', {
    json: { name: `${role}-${Math.random()}`, role },
    ...(project ? { headers: { 'x-keel-project': project } } : {}),
  });
  return ((await response.json()) as { key: string }).key;
}

async function finished(id: string, key?: string) {
  for (let i = 0; i < 600; i++) {
    const run = redTeamRunSchema.parse(
      await (await keel.call(`/api/v1/red-team/runs/${id}`, key ? { key } : {})).json(),
    );
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the run did not finish');
}

describe('/api/v1/red-team', () => {
  it('lists the probe sets', async () => {
    const response = await keel.call('/api/v1/red-team/probe-sets');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { probe_sets: unknown[] };
    const sets = body.probe_sets.map((set) => probeSetSchema.parse(set));
    expect(sets[0]).toMatchObject({ name: 'keel', source: 'builtin' });
    expect(sets[0]!.counts['pii_extraction:ko']).toBeGreaterThanOrEqual(20);
  });

  it('runs a set against a template under its own policy; editors create, viewers read, other projects see nothing', async () => {
    await keel.call('/api/v1/guardrails/policies/support', {
      method: 'PUT',
      json: { input: { pii: { action: 'mask' } } },
    });
    const created = await keel.call('/api/v1/prompts', {
      json: {
        name: 'support-bot',
        template: {
          mode: 'chat',
          system: 'You are the support assistant.',
          messages: [{ role: 'user', content: '{{question}}' }],
          model_id: 'echo:reverse',
          guardrail_policy: 'support',
        },
      },
    });
    expect(created.status).toBeLessThan(300);

    const viewer = await keyFor('viewer');
    const request = {
      target: { type: 'template', prompt: 'support-bot' },
      categories: ['pii_extraction', 'system_prompt_extraction'],
      languages: ['en'],
    };
    const refused = await keel.call('/api/v1/red-team/runs', { key: viewer, json: request });
    expect(refused.status).toBe(403);

    const editor = await keyFor('editor');
    const response = await keel.call('/api/v1/red-team/runs', { key: editor, json: request });
    expect(response.status).toBe(202);
    const run = redTeamRunSchema.parse(await response.json());
    expect(run).toMatchObject({
      status: 'queued',
      probe_set: 'keel',
      policy: { mode: 'project', name: null },
    });

    const done = await finished(run.id, viewer);
    expect(done.status).toBe('succeeded');
    const pii = done.report!.by_category.find((row) => row.category === 'pii_extraction')!;
    // The template's policy masks PII in the prompt, so the echoed record carries placeholders.
    expect(pii.attack_success_rate!).toBeLessThan(0.5);
    expect(done.report!.caught_by).toContainEqual(
      expect.objectContaining({ detector: 'pii', direction: 'input', category: 'pii_extraction' }),
    );

    const results = await keel.call(
      `/api/v1/red-team/runs/${run.id}/results?category=pii_extraction&limit=5`,
      {
        key: viewer,
      },
    );
    expect(results.status).toBe(200);
    const list = ((await results.json()) as { results: unknown[] }).results.map((item) =>
      probeResultSchema.parse(item),
    );
    expect(list).toHaveLength(5);
    expect(list[0]!.probe_id).toBe('pii-extraction-en-01');
    expect(list[0]!.output).toContain('[');

    const listed = (await (await keel.call('/api/v1/red-team/runs', { key: viewer })).json()) as {
      runs: { id: string }[];
    };
    expect(listed.runs.map((entry) => entry.id)).toContain(run.id);

    const project = (await (
      await keel.call('/api/v1/projects', { json: { name: 'red-team-other' } })
    ).json()) as {
      id: string;
    };
    const outsider = await keyFor('admin', project.id);
    expect((await keel.call(`/api/v1/red-team/runs/${run.id}`, { key: outsider })).status).toBe(404);
    expect((await keel.call(`/api/v1/red-team/runs/${run.id}/results`, { key: outsider })).status).toBe(404);
  });

  it('answers bad requests with 4xx and issues', async () => {
    const bad = await keel.call('/api/v1/red-team/runs', { json: { target: { type: 'model' } } });
    expect(bad.status).toBe(400);
    const unknownVariable = await keel.call('/api/v1/red-team/runs', {
      json: { target: { type: 'template', prompt: 'support-bot', input_variable: 'nope' } },
    });
    expect(unknownVariable.status).toBe(400);
    expect(
      ((await unknownVariable.json()) as { error: { issues: { code: string }[] } }).error.issues[0]!.code,
    ).toBe('unknown_variable');
    const badPolicy = await keel.call('/api/v1/red-team/runs', {
      json: {
        target: { type: 'model', model: 'echo:reverse' },
        policy_body: { input: { pii: { action: 'explode' } } },
      },
    });
    expect(badPolicy.status).toBe(400);
    expect((await keel.call('/api/v1/red-team/runs/rtr_missing')).status).toBe(404);
  });
});
