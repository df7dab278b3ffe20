import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import { startWatsonxTestKeel, type WatsonxTestKeel, watsonxFailure } from '../../../testing/watsonx-sdk.js';

let keel: TestKeel;
let wx: WatsonxTestKeel;
let watsonx: WatsonXAI;
let projectId: string;
let spaceId: string;
let deploymentId: string;

/** The watsonx error, with Keel's `issues` beside `errors`. */
const sdkError = (promise: Promise<unknown>) => watsonxFailure<Record<string, unknown>>(promise);

beforeAll(async () => {
  wx = await startWatsonxTestKeel({
    providers: [createEchoProvider(), createEchoProvider({ name: 'slow', delayMs: 40 })],
  });
  ({ keel, projectId } = wx);
  watsonx = wx.sdk();
  const caller = { projectId, keyId: null, actor: 'test', role: 'admin' };
  await keel.services.prompts.create(caller, {
    name: 'greet',
    template: { mode: 'freeform', text: 'hello {{who}} from {{place}}', model_id: 'echo:reverse' },
  });
  await keel.services.prompts.saveVersion(caller, 'greet', {
    base_version: 1,
    template: { mode: 'freeform', text: 'bye {{who}} from {{place}}', model_id: 'echo:reverse' },
  });
  await keel.services.prompts.create(caller, {
    name: 'ask',
    template: { mode: 'freeform', text: 'answer {{question}}', model_id: 'echo:reverse' },
  });
});
afterAll(() => wx?.close());

describe('deployments through the official @ibm-cloud/watsonx-ai SDK', () => {
  it('creates, lists, reads and patches spaces', async () => {
    const created = await watsonx.createSpace({
      name: 'staging',
      stage: { production: false, name: 'staging' },
    });
    spaceId = created.result.metadata.id;
    expect(created.result.entity).toMatchObject({
      name: 'staging',
      stage: { production: false, name: 'staging' },
    });
    const listed = await watsonx.listSpaces();
    expect(listed.result.resources!.map((space) => space.metadata.id)).toContain(spaceId);
    const patched = await watsonx.updateSpace({
      spaceId,
      jsonPatch: [{ op: 'replace', path: '/description', value: 'pre-release' }],
    });
    expect(patched.result.entity.description).toBe('pre-release');
    const read = await watsonx.getSpace({ spaceId });
    expect(read.result.entity.name).toBe('staging');
    const missing = await sdkError(watsonx.getSpace({ spaceId: 'spc_missing' }));
    expect(missing.status).toBe(404);
  });

  it('creates, lists, reads and updates a deployment of a template version', async () => {
    const created = await watsonx.createDeployment({
      name: 'Greeter',
      online: { parameters: { serving_name: 'greeter' } },
      asset: { id: 'greet', rev: '1' },
      spaceId,
    });
    deploymentId = created.result.metadata!.id!;
    expect(created.result.entity).toMatchObject({
      asset: { id: 'greet', rev: '1' },
      online: { parameters: { serving_name: 'greeter' } },
      space_id: spaceId,
    });
    const listed = await watsonx.listDeployments({ spaceId });
    expect(listed.result.resources!.map((deployment) => deployment.metadata!.id)).toContain(deploymentId);
    const read = await watsonx.getDeployment({ deploymentId, spaceId });
    expect(read.result.metadata!.name).toBe('Greeter');
    const updated = await watsonx.updateDeployment({
      deploymentId,
      spaceId,
      jsonPatch: [
        { op: 'replace', path: '/asset', value: { id: 'greet', rev: '2' } },
        { op: 'replace', path: '/description', value: 'v2' },
      ],
    });
    expect(updated.result.entity!.asset).toEqual({ id: 'greet', rev: '2' });
    expect(updated.result.metadata!.rev).toBe('2');
  });

  it('generates text with prompt_variables, by serving name and by id, and streams it', async () => {
    const byName = await watsonx.deploymentGenerateText({
      idOrName: 'greeter',
      parameters: { prompt_variables: { who: 'kim', place: 'seoul' } },
    });
    expect(byName.result.results[0]!.generated_text).toBe('seoul from kim bye');
    expect(byName.headers['x-keel-deployment-version']).toBe('2');
    const byId = await watsonx.deploymentGenerateText({
      idOrName: deploymentId,
      parameters: { prompt_variables: { who: 'a', place: 'b' }, max_new_tokens: 2 },
    });
    expect(byId.result.results[0]!.generated_text).toBe('b from');
    expect(byId.result.results[0]!.stop_reason).toBe('max_tokens');

    const stream = await watsonx.deploymentGenerateTextStream({
      idOrName: 'greeter',
      parameters: { prompt_variables: { who: 'x', place: 'y' } },
      returnObject: true,
    });
    let text = '';
    let stopReason = '';
    for await (const chunk of stream) {
      const result = (chunk as { data: { results: { generated_text: string; stop_reason: string }[] } }).data
        .results[0]!;
      text += result.generated_text;
      stopReason = result.stop_reason;
    }
    expect(text).toBe('y from x bye');
    expect(stopReason).toBe('eos_token');
  });

  it("logs Keel's attributes with a streamed generation, for fairness monitors", async () => {
    const response = await keel.call(`/ml/v1/deployments/${deploymentId}/text/generation_stream`, {
      json: {
        parameters: { prompt_variables: { who: 'x', place: 'y' } },
        attributes: { group: 'wx-stream' },
      },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('"stop_reason":"eos_token"');
    await keel.services.requestLog.flush();
    const { rows } = await keel.services.db.query<{ attributes: Record<string, string>; endpoint: string }>(
      "SELECT attributes, endpoint FROM monitor_samples WHERE attributes->>'group' = 'wx-stream'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.endpoint).toBe('/ml/v1/deployments/text/generation_stream');
    // Beside the version that served.
    expect(rows[0]!.attributes).toMatchObject({ group: 'wx-stream', deployment_version: '2' });
    const refused = await keel.call(`/ml/v1/deployments/${deploymentId}/text/generation_stream`, {
      json: { parameters: { prompt_variables: { who: 'x', place: 'y' } }, attributes: { group: 7 } },
    });
    expect(refused.status).toBe(400);
  });

  it('chats on a deployment: the last user message fills the open variable', async () => {
    await watsonx.createDeployment({
      name: 'Asker',
      online: { parameters: { serving_name: 'asker' } },
      asset: { id: 'ask' },
      spaceId,
    });
    const chat = await watsonx.deploymentsTextChat({
      idOrName: 'asker',
      messages: [{ role: 'user', content: 'why sky blue' }],
    });
    expect(chat.result.choices[0]!.message!.content).toBe('blue sky why answer');
    expect(chat.result.usage!.total_tokens).toBeGreaterThan(0);
    const stream = await watsonx.deploymentsTextChatStream({
      idOrName: 'asker',
      messages: [{ role: 'user', content: 'one two' }],
      returnObject: true,
    });
    let text = '';
    for await (const chunk of stream) {
      const choice = (chunk as { data: { choices: { delta: { content?: string } }[] } }).data.choices[0];
      text += choice?.delta.content ?? '';
    }
    expect(text).toBe('two one answer');
  });

  it('names a missing or unknown prompt variable in a coded 400', async () => {
    const missing = await sdkError(
      watsonx.deploymentGenerateText({
        idOrName: 'greeter',
        parameters: { prompt_variables: { who: 'kim' } },
      }),
    );
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([expect.objectContaining({ code: 'missing_variable' })]);
    expect(missing.body.issues).toEqual([expect.objectContaining({ path: ['variables', 'place'] })]);
    const unknown = await sdkError(
      watsonx.deploymentGenerateText({
        idOrName: 'greeter',
        parameters: { prompt_variables: { who: 'kim', place: 'x', tone: 'dry' } },
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.issues).toEqual([
      expect.objectContaining({ code: 'unknown_variable', path: ['variables', 'tone'] }),
    ]);
    const nowhere = await sdkError(
      watsonx.deploymentGenerateText({ idOrName: 'no-such', parameters: { prompt_variables: {} } }),
    );
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.errors).toEqual([expect.objectContaining({ code: 'deployment_not_found' })]);
  });

  it('deletes a deployment with a request in flight: it finishes, later requests get 410', async () => {
    const slow = await watsonx.createDeployment({
      name: 'Slow',
      online: { parameters: { serving_name: 'slow-greeter' } },
      asset: { id: 'greet', rev: '1' },
      baseModelId: 'slow:reverse',
      spaceId,
    });
    const id = slow.result.metadata!.id!;
    // The slow echo model streams one word every 40 ms: the stream is still running at the delete.
    const stream = await watsonx.deploymentGenerateTextStream({
      idOrName: id,
      parameters: { prompt_variables: { who: 'a b c d e f', place: 'g h i j' } },
      returnObject: true,
    });
    expect(keel.services.deployments.inFlight(id)).toBe(1);
    await watsonx.deleteDeployment({ deploymentId: id, spaceId });
    let text = '';
    for await (const chunk of stream)
      text += (chunk as { data: { results: { generated_text: string }[] } }).data.results[0]!.generated_text;
    expect(text).toBe('j i h g from f e d c b a hello');
    const gone = await sdkError(
      watsonx.deploymentGenerateText({
        idOrName: id,
        parameters: { prompt_variables: { who: 'a', place: 'b' } },
      }),
    );
    expect(gone.status).toBe(410);
    expect(gone.body.errors).toEqual([expect.objectContaining({ code: 'deployment_gone' })]);
    const byName = await sdkError(
      watsonx.deploymentGenerateText({
        idOrName: 'slow-greeter',
        parameters: { prompt_variables: { who: 'a', place: 'b' } },
      }),
    );
    expect(byName.status).toBe(404);
  });

  it('deletes deployments and then their space', async () => {
    const busy = await sdkError(watsonx.deleteSpace({ spaceId }));
    expect(busy.status).toBe(409);
    for (const deployment of (await watsonx.listDeployments({ spaceId })).result.resources ?? [])
      await watsonx.deleteDeployment({ deploymentId: deployment.metadata!.id!, spaceId });
    await watsonx.deleteSpace({ spaceId });
    expect((await sdkError(watsonx.getSpace({ spaceId }))).status).toBe(404);
  });
});
