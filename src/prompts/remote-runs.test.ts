/**
 * Prompt Lab over the wire: an OpenAI-compatible provider against a local fake upstream gets the
 * output schema as `response_format` (native structured output), and streamed runs pass through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../api/prompts.js';
import { createOpenAICompatibleProvider } from '../models/providers/openai-compatible/index.js';
import { type FakeUpstream, startFakeOpenAI } from '../testing/fake-upstreams/index.js';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';
import type { Caller } from './prompt-lab.js';
import { runPrompt, streamPrompt } from './prompt-runner.js';

let upstream: FakeUpstream;
let keel: TestKeel;
const schema = {
  type: 'object',
  properties: { category: { enum: ['delivery', 'billing'] }, summary: { type: 'string' } },
  required: ['category', 'summary'],
};

beforeAll(async () => {
  upstream = await startFakeOpenAI({ models: ['granite'], reply: 'Parcel late again' });
  keel = await createTestKeel({
    providers: [
      createOpenAICompatibleProvider({ name: 'remote', baseURL: `${upstream.url}/v1`, models: ['granite'] }),
    ],
  });
});
afterAll(async () => {
  await keel?.close();
  await upstream?.close();
});

describe('Prompt Lab on an OpenAI-compatible provider', () => {
  it('sends the schema as response_format and validates the answer', async () => {
    const lab = keel.services.prompts;
    const caller: Caller & { endpoint: string } = {
      projectId: keel.services.installation.defaultProjectId,
      keyId: null,
      actor: 't',
      endpoint: '/test',
    };
    const source = await lab.source(caller.projectId, {
      template: {
        mode: 'chat',
        messages: [{ role: 'user', content: 'Classify: {{c}}' }],
        model_id: 'remote:granite',
        output_schema: schema,
      },
    });
    const run = await runPrompt(lab, caller, { source, variables: { c: 'late parcel' } });
    expect(run).toMatchObject({
      structured_output: 'native',
      attempts: 1,
      issues: [],
      json: { category: 'delivery', summary: 'Parcel' },
    });
    expect(run.tokens).toMatchObject({ method: 'estimate', exact: false });
    const sent = upstream.requests.at(-1)!.body as {
      response_format: { type: string; json_schema: { schema: unknown } };
      messages: unknown[];
    };
    expect(sent.response_format.type).toBe('json_schema');
    expect(sent.response_format.json_schema.schema).toEqual(schema);
    expect(sent.messages).toEqual([{ role: 'user', content: 'Classify: late parcel' }]);

    const events: RunEvent[] = [];
    const streamed = await streamPrompt(lab, caller, {
      source: await lab.source(caller.projectId, {
        template: { mode: 'freeform', text: 'Hi {{c}}', model_id: 'remote:granite' },
      }),
      variables: { c: 'there' },
    });
    for await (const event of streamed.events) events.push(event);
    const result = events.at(-1)!;
    expect(result.type === 'result' && result.run.output).toBe('Parcel late again');
  });
});
