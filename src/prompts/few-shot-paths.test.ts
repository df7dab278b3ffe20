import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';
import type { Caller } from './prompt-lab.js';

/** Every path that serves a template version renders its few-shot pool's examples for the input. */
let keel: TestKeel;
let caller: Caller;
let templateId: string;

const examples = [
  { input: 'the parcel came late', output: 'delivery' },
  { input: 'I was charged twice', output: 'billing' },
];
const picked = 'Input: I was charged twice\nOutput: billing';

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider()] });
  caller = {
    projectId: keel.services.installation.defaultProjectId,
    keyId: null,
    actor: 'test',
    role: 'admin',
  };
  const created = await keel.services.prompts.create(caller, {
    name: 'routing',
    template: {
      mode: 'structured',
      instruction: 'Route the complaint.',
      test_input: '{{complaint}}',
      model_id: 'echo:reverse',
      few_shot: { k: 1, examples },
    },
  });
  templateId = created.id;
});
afterAll(async () => {
  await keel?.close();
});

describe('few-shot pools on every serving path', () => {
  it('compare: each input gets its own examples', async () => {
    const response = await keel.call('/api/v1/compare', {
      json: {
        variants: [{ prompt: 'routing@1' }],
        inputs: [{ complaint: 'charged twice again' }, { complaint: 'my parcel is late' }],
      },
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { rows: { cells: { run_id: string }[] }[] };
    const prompts: string[] = [];
    for (const row of result.rows) {
      const run = (await (await keel.call(`/api/v1/prompt-runs/${row.cells[0]!.run_id}`)).json()) as {
        prompt: { text: string };
      };
      prompts.push(run.prompt.text);
    }
    expect(prompts[0]).toContain(picked);
    expect(prompts[0]).not.toContain('parcel came late');
    expect(prompts[1]).toContain('Input: the parcel came late\nOutput: delivery');
    expect(prompts[1]).not.toContain('charged');
  });

  it('a deployment serving the version', async () => {
    await keel.services.deployments.create(caller, {
      name: 'router',
      servingName: 'router',
      asset: { type: 'prompt_template', ref: 'routing@1' },
    });
    const result = await keel.services.deployments.invoke(caller, 'router', {
      variables: { complaint: 'charged twice' },
      requestId: 'r1',
      endpoint: 'test',
    });
    expect(result.kind).toBe('prompt_template');
    if (result.kind === 'prompt_template') {
      const run = (await (await keel.call(`/api/v1/prompt-runs/${result.run.id}`)).json()) as {
        prompt: { text: string };
      };
      expect(run.prompt.text).toContain(picked);
    }
  });

  it("the watsonx prompt asset's rendered input", async () => {
    const response = await keel.call(`/v1/prompts/${templateId}/input?project_id=${caller.projectId}`, {
      json: { prompt_variables: { complaint: 'charged twice' } },
    });
    expect(response.status).toBe(200);
    const { input } = (await response.json()) as { input: string };
    expect(input).toBe(`Route the complaint.\n\n${picked}\n\nInput: charged twice\nOutput:`);
  });
});
