import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import { startWatsonxTestKeel, type WatsonxTestKeel, watsonxFailure } from '../../../testing/watsonx-sdk.js';

let keel: TestKeel;
let wx: WatsonxTestKeel;
let watsonx: WatsonXAI;
let other: WatsonXAI;
let projectId: string;

const sdk = (key: string) => wx.sdk(key);

beforeAll(async () => {
  wx = await startWatsonxTestKeel({ providers: [createEchoProvider()] });
  ({ keel, projectId } = wx);
  watsonx = sdk(keel.adminKey);
  other = await wx.sdkAs('editor', 'second editor');
});
afterAll(() => wx?.close());

describe('watsonx prompt assets on Keel templates', () => {
  it('creates, reads, renders, updates, locks, lists and deletes a prompt', async () => {
    const created = await watsonx.createPrompt({
      name: 'Support triage',
      description: 'Sorts complaints',
      prompt: {
        model_id: 'echo:reverse',
        model_parameters: { max_new_tokens: 20, decoding_method: 'greedy' },
        data: { instruction: 'Classify the complaint.', input_prefix: 'Complaint:', output_prefix: 'Class:' },
        input: [['{complaint}', '']],
      },
      promptVariables: { complaint: 'late delivery' },
      inputMode: 'structured',
    });
    const id = created.result.id!;
    expect(created.result.name).toBe('Support triage');
    expect(created.result.prompt.input?.[0]?.[0]).toBe('{complaint}');

    // The same template through Keel's own dialect.
    const keelName = (created.result as unknown as { keel: { name: string } }).keel.name;
    const native = await keel.call(`/api/v1/prompts/${keelName}`);
    expect((await native.json()).template.test_input).toBe('{{complaint}}');

    const input = await watsonx.getPromptInput({
      promptId: id,
      promptVariables: { complaint: 'broken box' },
    });
    expect(input.result.input).toContain('Complaint: broken box');
    expect(input.result.input).toContain('Classify the complaint.');

    const updated = await watsonx.updatePrompt({
      promptId: id,
      name: 'Support triage v2',
      prompt: { model_id: 'echo:reverse', data: { instruction: 'Sort it.' }, input: [['{complaint}', '']] },
      promptVariables: { complaint: '' },
    });
    expect(updated.result.name).toBe('Support triage v2');
    expect(updated.result.prompt.data.instruction).toBe('Sort it.');

    await watsonx.createPromptChatItem({ promptId: id, chatItem: [{ type: 'question', content: 'hi' }] });
    const fetched = await watsonx.getPrompt({ promptId: id });
    expect(fetched.result.prompt.chat_items?.[0]?.content).toBe('hi');

    const lock = await watsonx.updatePromptLock({ promptId: id, locked: true });
    expect(lock.result.locked).toBe(true);
    const blocked = await watsonxFailure(other.deletePrompt({ promptId: id }));
    expect(blocked.status).toBe(409);
    expect(blocked.body.errors[0]!.code).toBe('locked');
    expect(blocked.body.status_code).toBe(409);
    expect((await other.getPromptLock({ promptId: id })).result.locked).toBe(true);
    await watsonx.updatePromptLock({ promptId: id, locked: false });

    const list = await watsonx.listPrompts({});
    expect(list.result.results?.map((asset) => asset.metadata.asset_id)).toContain(id);

    await other.deletePrompt({ promptId: id });
    const gone = await watsonxFailure(watsonx.getPrompt({ promptId: id }));
    expect(gone.status).toBe(404);
    expect(gone.body.errors[0]!.code).toBe('not_found');
  });

  it('keeps what watsonx cannot say (few-shot pool, output schema, policy) through an update', async () => {
    const created = await watsonx.createPrompt({
      name: 'Review labels',
      prompt: { model_id: 'echo:reverse', data: { instruction: 'Label it.' }, input: [['{review}', '']] },
      promptVariables: { review: '' },
      inputMode: 'structured',
    });
    const id = created.result.id!;
    const keelName = (created.result as unknown as { keel: { name: string } }).keel.name;
    const policy = await keel.call('/api/v1/guardrails/policies/wx-kept', {
      method: 'PUT',
      json: { input: { pii: { action: 'mask' } }, output: { pii: { action: 'mask' } } },
    });
    expect(policy.status).toBeLessThan(300);
    const native = await (await keel.call(`/api/v1/prompts/${keelName}`)).json();
    const kept = {
      output_schema: { type: 'object', properties: { label: { type: 'string' } } },
      guardrail_policy: 'wx-kept',
      few_shot: {
        k: 1,
        examples: [
          { input: 'great phone', output: 'positive', label: 'positive' },
          { input: 'it broke', output: 'negative', label: 'negative' },
        ],
      },
    };
    const saved = await keel.call(`/api/v1/prompts/${keelName}/versions`, {
      json: { template: { ...native.template, ...kept }, base_version: native.version.version },
    });
    expect(saved.status).toBe(201);

    await watsonx.updatePrompt({
      promptId: id,
      name: 'Review labels v2',
      prompt: {
        model_id: 'echo:reverse',
        data: { instruction: 'Label the review.' },
        input: [['{review}', '']],
      },
      promptVariables: { review: '' },
    });
    const after = await (await keel.call(`/api/v1/prompts/${keelName}`)).json();
    expect(after.template.instruction).toBe('Label the review.');
    expect(after.template).toMatchObject(kept);
  });

  it('answers /v1/prompts errors in the watsonx shape and requires a project', async () => {
    const res = await keel.call('/v1/prompts/nope');
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[0].code).toBe('project_required');
    expect(body.trace).toBeTruthy();
  });
});

describe('watsonx prompt sessions on Prompt Lab sessions', () => {
  it('creates a session, adds entries and chat items, and honours the lock', async () => {
    const session = await watsonx.createPromptSession({ name: 'exploring', description: 'first try' });
    const sessionId = session.result.id!;
    expect(session.result.description).toBe('first try');
    const entry = await watsonx.createPromptSessionEntry({
      sessionId,
      name: 'attempt 1',
      createdAt: Date.now(),
      prompt: { model_id: 'echo:reverse', data: { instruction: 'Say hi' } },
    });
    const entryId = entry.result.id!;
    await watsonx.createPromptSessionEntryChatItem({
      sessionId,
      entryId,
      chatItem: [{ type: 'question', content: 'hello' }],
    });
    const fetched = await watsonx.getPromptSessionEntry({ sessionId, entryId });
    expect(fetched.result.prompt.chat_items?.[0]?.content).toBe('hello');
    const list = await watsonx.listPromptSessionEntries({ sessionId });
    expect(list.result.results?.map((item) => item.id)).toEqual([entryId]);
    const renamed = await watsonx.updatePromptSession({ sessionId, name: 'exploring more' });
    expect(renamed.result.name).toBe('exploring more');
    expect((await keel.services.prompts.sessions.get(projectId, sessionId, null)).name).toBe(
      'exploring more',
    );

    await watsonx.updatePromptSessionLock({ sessionId, locked: true });
    expect((await other.getPromptSessionLock({ sessionId })).result.locked).toBe(true);
    const blocked = await watsonxFailure(other.deletePromptSessionEntry({ sessionId, entryId }));
    expect(blocked.status).toBe(409);
    expect(blocked.body.errors[0]!.code).toBe('locked');
    await watsonx.updatePromptSessionLock({ sessionId, locked: false });

    await other.deletePromptSessionEntry({ sessionId, entryId });
    await watsonx.deletePromptSession({ sessionId });
    const gone = await watsonxFailure(watsonx.getPromptSession({ sessionId }));
    expect(gone.status).toBe(404);
  });
});
